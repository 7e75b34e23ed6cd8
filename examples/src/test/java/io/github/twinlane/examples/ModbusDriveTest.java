package io.github.twinlane.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.serial.PtyPair;
import io.github.twinlane.serial.modbus.LibmodbusServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModbusDriveTest {
    @TempDir
    Path dir;

    @Test
    void shouldPollTheSimulatedDriveAndFollowTheSetpoint() throws Exception {
        String out = Run.capture(ModbusDrive::main, "--duration", "2", "--setpoint", "1200");
        assertTrue(out.contains("drive: simulated"), out);
        assertTrue(out.contains("registers [1200, "), "the setpoint register reads back: " + out);
        assertTrue(out.matches("(?s).*polls ok [1-9]\\d* timeout 0 exception 0.*"), out);
    }

    @Test
    @SuppressWarnings("try") // the server only has to live as long as the block
    void shouldPollALibmodbusDriveOverAPtyAndWriteItsSetpoint() throws Exception {
        PtyPair.requireSocat();
        try (PtyPair pty = new PtyPair(dir); LibmodbusServer server = new LibmodbusServer(pty.b, 1)) {
            String out = Run.capture(ModbusDrive::main, "--port", pty.a.toString(), "--unit", "1", "--duration", "2",
                    "--setpoint", "777");
            assertTrue(out.contains("registers [777, 10, 20, 30]"), "the written setpoint and the server's registers: " + out);
            // a timeout under load is legitimate here (and reported); the polls must mostly succeed
            assertTrue(out.matches("(?s).*polls ok [1-9]\\d* timeout \\d+ exception 0.*"), out);
        }
    }
}
