package io.github.twinlane.serial;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SerialNativesTest {
    @Test
    void shouldLoadTheRealJSerialCommNativeLibraryOnLinux() {
        assertNull(SerialNatives.unavailabilityCause());
        assertTrue(SerialNatives.isAvailable());
        assertDoesNotThrow(SerialNatives::ensureAvailability);
        assertEquals("2.11.4", SerialNatives.version());
    }
}
