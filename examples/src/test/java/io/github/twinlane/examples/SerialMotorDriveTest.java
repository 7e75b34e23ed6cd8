package io.github.twinlane.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.test.Await;
import io.github.twinlane.test.Capture;
import io.github.twinlane.test.NullModem;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SerialMotorDriveTest {
    @TempDir
    Path dir;

    @Test
    void shouldDriveTheSimulatedDriveAndStopItSafely() throws Exception {
        String out = Capture.stdout(SerialMotorDrive::main, "--duration", "2");
        assertTrue(out.contains("drive: simulated"), out);
        assertTrue(out.contains("t=1s OPEN"), out);
        assertTrue(out.contains("t=2s OPEN"), out);
        assertTrue(out.contains("safe stop: zero velocity written to the drive"), out);
    }

    @Test
    void shouldDriveARealSerialPortAndLeaveTheMotorAtZero() throws Exception {
        try (NullModem cable = NullModem.open(dir); DrivePeer peer = new DrivePeer(cable.b().toString(), 115_200, 500)) {
            String out = Capture.stdout(SerialMotorDrive::main, "--port", cable.a().toString(), "--duration", "2",
                    "--rate", "100");
            assertTrue(out.contains("drive: " + cable.a()), out);
            assertTrue(out.contains("t=2s OPEN"), out);
            assertTrue(out.contains("round trip p50"), "telemetry echoed the commands: " + out);
            assertTrue(peer.commands() > 1, "the drive received the loop's commands: " + peer.commands());
            assertEquals(0, peer.rejected(), "every command line was well formed");
            assertTrue(out.contains("safe stop: zero velocity written to the drive, acknowledged"),
                    "the example closed the port only after the drive acknowledged the stop: " + out);
            // acknowledged by telemetry, so the drive has parsed it; the peer's record of it is then final
            Await.until("the safe stop reaches the drive", () -> peer.lastCommand().startsWith("V 0.000 -1 "),
                    peer::lastCommand);
            assertTrue(peer.lastCommand().startsWith("V 0.000 -1 "), "the last command the drive got is the safe stop");
        }
    }
}
