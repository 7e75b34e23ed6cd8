package io.github.twinlane.test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fazecast.jSerialComm.SerialPort;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kernel ptys made through JNA, driven from the other side by the real jSerialComm native library. */
class PtyTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void linux() {
        Rig.require(Rig.isLinux(), "Linux's kernel ptys", "run the tests on Linux");
    }

    private static SerialPort open(Path path) {
        SerialPort port = SerialPort.getCommPort(path.toString());
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 100, 0);
        assertTrue(port.openPort(), "jSerialComm could not open " + path);
        return port;
    }

    private static String readUntil(SerialPort port, int bytes) {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[64];
        Await.until(bytes + " bytes on the port", () -> {
            int n = port.readBytes(buf, buf.length);
            if (n > 0) {
                sb.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
            return sb.length() >= bytes;
        }, sb::toString);
        return sb.toString();
    }

    @Test
    void shouldCarryBytesBothWaysBetweenTheMasterAndJSerialComm() throws Exception {
        try (Pty pty = Pty.open(dir.resolve("tty"))) {
            assertTrue(Files.isSymbolicLink(pty.link()));
            assertEquals(pty.slave(), Files.readSymbolicLink(pty.link()));
            SerialPort port = open(pty.link());
            try {
                byte[] ping = "ping\n".getBytes(StandardCharsets.US_ASCII);
                assertEquals(ping.length, port.writeBytes(ping, ping.length));
                byte[] got = new byte[16];
                int[] n = {0};
                Await.until("ping on the master", () -> {
                    int r = pty.read(got, n[0], got.length - n[0], Duration.ofMillis(50));
                    n[0] += Math.max(r, 0);
                    return n[0] >= ping.length;
                });
                assertArrayEquals(ping, java.util.Arrays.copyOf(got, n[0]), "raw mode: no echo, no translation");
                assertTrue(pty.writeAscii("pong\r\n"));
                assertEquals("pong\r\n", readUntil(port, 6));
            } finally {
                port.closePort();
            }
        }
    }

    @Test
    void shouldFailTheDriversReadOnUnplugAndCarryDataAgainAfterReplug() throws Exception {
        try (Pty pty = Pty.open(dir.resolve("tty"))) {
            Path first = pty.slave();
            SerialPort port = open(pty.link());
            pty.unplug();
            assertTrue(!pty.plugged());
            byte[] buf = new byte[8];
            Await.until("jSerialComm's read fails on the unplugged tty", () -> port.readBytes(buf, buf.length) < 0);
            assertEquals(-1, pty.write(buf, 0, 1), "an unplugged master takes nothing");
            assertEquals(-1, pty.read(buf, 0, 1, Duration.ofMillis(10)));
            port.closePort();

            pty.replug();
            assertTrue(pty.plugged());
            assertEquals(pty.slave(), Files.readSymbolicLink(pty.link()), "the same link points at the new pair");
            assertTrue(!first.equals(pty.slave()) || Files.exists(first));
            SerialPort again = open(pty.link());
            try {
                assertTrue(pty.writeAscii("back"));
                assertEquals("back", readUntil(again, 4));
            } finally {
                again.closePort();
            }
        }
    }

    @Test
    void shouldJoinTwoTtysLikeANullModemCable() throws Exception {
        try (NullModem cable = NullModem.open(dir)) {
            SerialPort a = open(cable.a());
            SerialPort b = open(cable.b());
            try {
                byte[] hello = "hello from a".getBytes(StandardCharsets.US_ASCII);
                a.writeBytes(hello, hello.length);
                assertEquals("hello from a", readUntil(b, hello.length));
                byte[] back = "and b".getBytes(StandardCharsets.US_ASCII);
                b.writeBytes(back, back.length);
                assertEquals("and b", readUntil(a, back.length));
                assertEquals(0, cable.dropped());
            } finally {
                a.closePort();
                b.closePort();
            }
        }
    }

    @Test
    void shouldReturnAShortCountInsteadOfBlockingWhenNobodyReads() throws Exception {
        try (Pty pty = Pty.open(dir.resolve("tty"))) {
            byte[] block = new byte[1024];
            long written = 0;
            int n;
            while ((n = pty.write(block, 0, block.length)) == block.length) {
                written += n;
                assertTrue(written < 64L << 20, "a tty's input queue is bounded");
            }
            assertTrue(n >= 0, "a full tty is not an unplug: " + n);
        }
    }
}
