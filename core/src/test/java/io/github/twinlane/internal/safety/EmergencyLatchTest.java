package io.github.twinlane.internal.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EmergencyLatchTest {

    @Test
    void shouldStayLatchedUntilReleasedAndTellTheReleaseWhetherItWasLatched() {
        EmergencyLatch latch = new EmergencyLatch();
        assertFalse(latch.latched(), "a new latch is released");
        assertFalse(latch.release(), "releasing a released latch says it was not latched");

        latch.latch();
        latch.latch();
        assertTrue(latch.latched());
        assertTrue(latch.release(), "the release of a latched latch says so");
        assertFalse(latch.latched());
        assertFalse(latch.release(), "a second release finds it released");
    }
}
