package io.github.twinlane.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.Backoff;
import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.SendResult;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.serial.codec.DelimiterCodec;
import io.github.twinlane.test.Await;
import io.github.twinlane.test.Pty;
import io.github.twinlane.test.Rig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A serial path that is gone is never opened as another device. jSerialComm maps a path it cannot
 * find to {@code /dev/<last path element>}: a missing {@code ports/tty3} becomes {@code /dev/tty3}, a
 * real console. These tests only ever let it reach devices that are harmless or their own: a name
 * that exists nowhere under /dev, {@code /dev/ptmx} (opening it makes a new pty pair of this JVM's,
 * and nothing is written), and, as root, a decoy link under /dev to a pty of the test's.
 */
class MissingSerialPathTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void rig() {
        Rig.require(Rig.isLinux(), "Linux's kernel ptys", "run the tests on Linux");
    }

    private static String random(String prefix) {
        return prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    }

    private static SerialPortDriver driver(Path link) {
        return SerialPortDriver.blocking(SerialConfig.path(link.toString()).build(), DelimiterCodec.lines(64));
    }

    @Test
    void shouldRefuseToOpenAPtyWhoseLinkWasRemovedSayingThePathDoesNotExist() throws Exception {
        String name = random("twinlane-gone-");
        assertFalse(Files.exists(Path.of("/dev", name)), name);
        Pty pty = Pty.open(dir.resolve(name));
        SerialPortDriver d = driver(pty.link());
        try {
            d.open();
            d.close();
            pty.close(); // unplugged, and the link removed
            IOException e = assertThrows(IOException.class, d::open);
            assertTrue(e.getMessage().contains(pty.link() + " does not exist"), e.getMessage());
        } finally {
            d.close();
            pty.close();
        }
    }

    @Test
    void shouldNotOpenTheDeviceUnderDevThatJSerialCommPutsInPlaceOfAMissingLink() throws Exception {
        // a link named like a device under /dev: jSerialComm would open /dev/ptmx once the link is gone
        assertTrue(Files.exists(Path.of("/dev/ptmx")), "Linux's pty multiplexer");
        Pty pty = Pty.open(dir.resolve("ptmx"));
        SerialPortDriver d = driver(pty.link());
        try {
            d.open();
            d.close();
            pty.close();
            IOException e = assertThrows(IOException.class, d::open, "a missing path was opened as /dev/ptmx");
            String m = e.getMessage();
            assertTrue(m.contains(pty.link() + " does not exist"), m);
            assertTrue(m.contains("/dev/ptmx") && m.contains("not opened"), "names what jSerialComm would open: " + m);
            assertTrue(m.contains("UsbIdentity"), "says what to do: " + m);
            IOException w = assertThrows(IOException.class, () -> d.write(new SerialFrame(64).setAscii("V 1")));
            assertTrue(w.getMessage().contains("closed"), "nothing can be written: " + w.getMessage());
        } finally {
            d.close();
            pty.close();
        }
    }

    @Test
    void shouldWriteNothingToADeviceUnderDevNamedLikeTheMissingLinkWhileReconnecting() throws Exception {
        Rig.require(Files.isWritable(Path.of("/dev")), "a writable /dev (root), to put a decoy device of the test's "
                + "own there", "run as root, as CI does");
        String name = random("twinlane-decoy-");
        Path devLink = Path.of("/dev", name);
        Pty pty = Pty.open(dir.resolve(name));
        try (Pty decoy = Pty.open(devLink); TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            List<String> got = new CopyOnWriteArrayList<>();
            DeviceChannel<SerialFrame, SerialFrame> ch = rt.open(ChannelConfig.fast("drive")
                    .backoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(20))).maxReconnectAttempts(20).build(),
                    driver(pty.link()), (f, at) -> got.add(f.ascii()));
            Await.until("open", () -> ch.state() == ChannelState.OPEN, ch.stats()::toString);
            pty.close(); // the drive is unplugged and its link removed: only the decoy has its name now
            Await.until("the loss noticed", () -> ch.stats().driverErrors() >= 1, ch.stats()::toString);
            Await.until("given up, or reopened", () -> ch.state() == ChannelState.FAILED || ch.stats().reconnects() >= 1,
                    ch.stats()::toString);
            SendResult sent = ch.send(new SerialFrame(64).setAscii("V 99"));
            assertEquals(ChannelState.FAILED, ch.state(), "the channel reopened on " + devLink + ": " + ch.stats());
            assertEquals(SendResult.REJECTED_CLOSED, sent);
            assertEquals(0, decoy.read(new byte[64], 0, 64, Duration.ZERO), "bytes reached the decoy");
        } finally {
            pty.close();
            Files.deleteIfExists(devLink);
        }
    }
}
