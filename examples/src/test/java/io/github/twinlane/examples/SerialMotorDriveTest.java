package io.github.twinlane.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.serial.PtyPair;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SerialMotorDriveTest {
    @TempDir
    Path dir;

    @Test
    void shouldDriveTheSimulatedDriveAndStopItSafely() throws Exception {
        String out = Run.capture(SerialMotorDrive::main, "--duration", "2");
        assertTrue(out.contains("drive: simulated"), out);
        assertTrue(out.contains("t=1s OPEN"), out);
        assertTrue(out.contains("t=2s OPEN"), out);
        assertTrue(out.contains("safe stop: zero velocity written to the drive"), out);
    }

    @Test
    void shouldDriveARealSerialPortAndLeaveTheMotorAtZero() throws Exception {
        PtyPair.requireSocat();
        try (PtyPair pty = new PtyPair(dir); LinePeer peer = new LinePeer(pty.b.toString())) {
            String out = Run.capture(SerialMotorDrive::main, "--port", pty.a.toString(), "--duration", "2", "--rate", "100");
            assertTrue(out.contains("drive: " + pty.a), out);
            assertTrue(out.contains("t=2s OPEN"), out);
            assertTrue(out.contains("round trip p50"), "telemetry echoed the commands: " + out);
            assertTrue(peer.commands.size() > 50, "the drive received the loop's commands: " + peer.commands.size());
            String last = peer.commands.get(peer.commands.size() - 1);
            assertTrue(last.startsWith("V 0.000 -1 "), "the last command the drive got is the safe stop: " + last);
        }
    }
}
