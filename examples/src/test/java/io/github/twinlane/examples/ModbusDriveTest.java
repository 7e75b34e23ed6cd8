package io.github.twinlane.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.test.Capture;
import io.github.twinlane.test.LibmodbusServer;
import io.github.twinlane.test.NullModem;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModbusDriveTest {
    @TempDir
    Path dir;

    @Test
    void shouldPollTheSimulatedDriveAndFollowTheSetpoint() throws Exception {
        String out = Capture.stdout(ModbusDrive::main, "--duration", "2", "--setpoint", "1200");
        assertTrue(out.contains("drive: simulated"), out);
        assertTrue(out.contains("registers [1200, "), "the setpoint register reads back: " + out);
        assertTrue(out.matches("(?s).*polls ok [1-9]\\d* timeout 0 exception 0.*"), out);
    }

    @Test
    @SuppressWarnings("try") // the server only has to live as long as the block
    void shouldPollALibmodbusDriveOverAPtyAndWriteItsSetpoint() throws Exception {
        try (NullModem cable = NullModem.open(dir); LibmodbusServer server = new LibmodbusServer(cable.b(), 1)) {
            String out = Capture.stdout(ModbusDrive::main, "--port", cable.a().toString(), "--unit", "1", "--duration",
                    "2", "--setpoint", "777");
            assertTrue(out.contains("registers [777, 10, 20, 30]"), "the written setpoint and the server's registers: " + out);
            // the line of a second in which the setpoint read back: polls answered, none refused by the server
            // (a timeout on a loaded machine is legitimate; the example reports it)
            Matcher m = Pattern.compile("t=\\d+s (\\w+) registers \\[777, 10, 20, 30\\] \\| polls ok (\\d+) timeout (\\d+) "
                    + "exception (\\d+)").matcher(out);
            assertTrue(m.find(), "a second's line shows the setpoint read back from an answered poll: " + out);
            assertEquals("OPEN", m.group(1));
            assertTrue(Long.parseLong(m.group(2)) > 0, "polls answered");
            assertEquals(0, Long.parseLong(m.group(4)), "exception responses");
        }
    }
}
