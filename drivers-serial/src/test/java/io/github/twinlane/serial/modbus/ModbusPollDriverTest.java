package io.github.twinlane.serial.modbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.Backoff;
import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.ChannelStats;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.serial.SerialConfig;
import io.github.twinlane.test.Await;
import io.github.twinlane.test.Pty;
import io.github.twinlane.test.Rig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The poll driver's writes against a Java Modbus drive on a kernel pty that can stop answering: what
 * the channel counts as written is what reached the bus, a stop is never lost behind other writes,
 * and nothing written before a loss is written after it.
 */
class ModbusPollDriverTest {
    private static final Duration WAIT = Await.HANG;
    private static final int STOP_REGISTER = 9;
    private static final int STOP_VALUE = 0xE57;
    private static final int SETPOINT = 1;
    @TempDir
    Path dir;
    private final TwinlaneRuntime rt = TwinlaneRuntime.builder().build();

    @BeforeAll
    static void rig() {
        Rig.require(Rig.isLinux(), "Linux's kernel ptys", "run the tests on Linux");
    }

    @AfterEach
    void close() {
        rt.close();
        assertEquals(List.of(), rt.liveThreads(), "no thread of ours survives close");
        for (ChannelStats s : rt.channelStats()) {
            assertEquals(s.commandsSent(), s.commandsWritten() + s.commandsFailed() + s.commandsDropped(), s.toString());
        }
    }

    /** A link that exists nowhere under /dev, so an unplugged link can never be taken for a device there. */
    private Path link() {
        String name = "twinlane-modbus-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        assertFalse(Files.exists(Path.of("/dev", name)), name);
        return dir.resolve(name);
    }

    private static ModbusPollDriver driver(Pty pty, Duration period, Duration responseTimeout) {
        // timeouts never count the drive as gone here: the channel stays open while it is silent
        return new ModbusPollDriver(SerialConfig.path(pty.link().toString()).build(), 1, RegisterTable.HOLDING, 0, 4,
                period, responseTimeout, 1_000_000);
    }

    private DeviceChannel<RegisterWrite, RegisterBlock> open(ModbusPollDriver driver) {
        DeviceChannel<RegisterWrite, RegisterBlock> ch = rt.open(ChannelConfig.fast("drive").capacity(256)
                .commandPolicy(BackpressurePolicy.DROP_NEWEST) // every command reaches the driver: nothing conflated
                // a write behind a silent drive waits for the poll in progress, then takes its own timeout; on a
                // loaded 2-core machine that has exceeded the 500 ms default, which would fail the channel as stuck
                .writeTimeout(Duration.ofSeconds(10))
                .backoff(new Backoff(Duration.ofMillis(20), Duration.ofMillis(50))).build(), driver, (b, at) -> { });
        Await.until("open", WAIT, () -> ch.state() == ChannelState.OPEN, ch.stats()::toString);
        return ch;
    }

    private static long setpoints(ModbusPeer peer) {
        return peer.requests.stream().filter(r -> r.writesTo(SETPOINT)).count();
    }

    private static int indexOfStop(ModbusPeer peer) {
        List<ModbusPeer.Request> r = List.copyOf(peer.requests);
        for (int i = 0; i < r.size(); i++) {
            if (r.get(i).writes(STOP_REGISTER, STOP_VALUE)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void shouldPutAnEmergencyStopOnTheBusWhileTheDriveTimesOutBehindABacklogOfWrites() throws Exception {
        try (Pty pty = Pty.open(link()); ModbusPeer peer = new ModbusPeer(pty, 1)) {
            DeviceChannel<RegisterWrite, RegisterBlock> ch = open(driver(pty, Duration.ofMillis(100), Duration.ofMillis(15)));
            Await.until("polls answered", WAIT, () -> peer.polls() >= 2, peer::toString);
            peer.answering = false; // the drive times out: every transaction now takes the whole response timeout
            RegisterWrite w = new RegisterWrite();
            for (int i = 0; i < 200; i++) {
                ch.send(w.single(SETPOINT, 1000 + i));
            }
            // the backlog is being written (a driver that queued 64 of them has a full queue now)
            Await.until("setpoints on the bus", WAIT, () -> setpoints(peer) >= 2, peer::toString);
            boolean stopped = ch.emergencyStop(new RegisterWrite().single(STOP_REGISTER, STOP_VALUE));
            assertTrue(stopped, "the stop was written: " + ch.stats());
            Await.until("the stop frame reaches the drive", WAIT, () -> indexOfStop(peer) >= 0, peer::toString);
            ch.close();
            List<ModbusPeer.Request> all = List.copyOf(peer.requests);
            List<ModbusPeer.Request> after = all.subList(indexOfStop(peer) + 1, all.size());
            assertTrue(after.stream().noneMatch(r -> r.writesTo(SETPOINT)), "no setpoint after the stop: " + after);
            ChannelStats s = ch.stats();
            assertEquals(s.commandsWritten(), setpoints(peer), "every setpoint counted written reached the drive: " + s);
        }
    }

    @Test
    void shouldWriteOnASlowLaneChannelWhoseOneIoThreadBothPollsAndWrites() throws Exception {
        try (Pty pty = Pty.open(link()); ModbusPeer peer = new ModbusPeer(pty, 1)) {
            DeviceChannel<RegisterWrite, RegisterBlock> ch = rt.open(ChannelConfig.slow("drive").build(),
                    driver(pty, Duration.ofMillis(20), Duration.ofMillis(15)), (b, at) -> { });
            Await.until("polls answered", WAIT, () -> peer.polls() >= 2, peer::toString);
            ch.send(new RegisterWrite().single(SETPOINT, 4242));
            Await.until("the setpoint reaches the drive", WAIT, () -> peer.holding.get(SETPOINT) == 4242, peer::toString);
            Await.until("counted written", WAIT, () -> ch.stats().commandsWritten() == 1, ch.stats()::toString);
            assertEquals(0, ch.stats().driverErrors(), ch.stats().toString());
        }
    }

    @Test
    void shouldReturnFalseFromEmergencyStopWhenTheLineIsGoneBeforeAPollNoticed() throws Exception {
        Pty pty = Pty.open(link());
        ModbusPeer peer = new ModbusPeer(pty, 1);
        try {
            // a poll a second: the unplug goes unnoticed by the reader for a while
            DeviceChannel<RegisterWrite, RegisterBlock> ch = open(driver(pty, Duration.ofSeconds(1), Duration.ofMillis(100)));
            Await.until("a poll answered", WAIT, () -> peer.polls() >= 1, peer::toString);
            peer.close();
            pty.unplug();
            assertFalse(ch.emergencyStop(new RegisterWrite().single(STOP_REGISTER, STOP_VALUE)),
                    "nothing can reach an unplugged drive: " + ch.stats());
            assertEquals(-1, indexOfStop(peer));
        } finally {
            peer.close();
            pty.close();
        }
    }

    @Test
    void shouldPutTheSafeCommandOnTheBusWhenTheChannelClosesWhileTheDriveTimesOut() throws Exception {
        try (Pty pty = Pty.open(link()); ModbusPeer peer = new ModbusPeer(pty, 1)) {
            ModbusPollDriver driver = driver(pty, Duration.ofMillis(200), Duration.ofMillis(50));
            DeviceChannel<RegisterWrite, RegisterBlock> ch = open(driver);
            ch.watchdog(Duration.ofSeconds(60), safe -> safe.single(SETPOINT, 0));
            Await.until("a poll answered", WAIT, () -> peer.polls() >= 1, peer::toString);
            peer.answering = false;
            ch.close();
            assertEquals(1, ch.stats().safeStops(), ch.stats().toString());
            Await.until("the safe command reaches the drive", WAIT, () -> peer.writesOf(SETPOINT, 0) == 1, peer::toString);
            assertEquals(1, driver.writeErrors(), "the drive did not acknowledge it, and that is counted");
        }
    }

    @Test
    void shouldNeverWriteACommandSentBeforeAnUnplugAfterTheReplug() throws Exception {
        Pty pty = Pty.open(link());
        ModbusPeer before = new ModbusPeer(pty, 1);
        ModbusPeer after = null;
        try {
            DeviceChannel<RegisterWrite, RegisterBlock> ch = open(driver(pty, Duration.ofMillis(20), Duration.ofMillis(15)));
            Await.until("polls answered", WAIT, () -> before.polls() >= 5, before::toString);
            before.answering = false; // writes pile up behind a drive that times out
            RegisterWrite w = new RegisterWrite();
            for (int i = 0; i < 64; i++) {
                ch.send(w.single(SETPOINT, 1000 + i));
            }
            Await.until("setpoints on the bus", WAIT, () -> setpoints(before) >= 3, before::toString);
            before.close();
            pty.unplug();
            Await.until("the loss noticed and every command accounted for", WAIT, () -> {
                ChannelStats s = ch.stats();
                return ch.state() != ChannelState.OPEN
                        && s.commandsSent() == s.commandsWritten() + s.commandsFailed() + s.commandsDropped();
            }, ch.stats()::toString);
            pty.replug();
            ModbusPeer replugged = new ModbusPeer(pty, 1);
            after = replugged;
            Await.until("open again, polls answered", WAIT, () -> ch.state() == ChannelState.OPEN
                    && replugged.polls() >= 5, () -> ch.stats() + " " + replugged);
            ch.close(); // nothing can be written after this
            assertTrue(replugged.requests.stream().noneMatch(r -> r.writesTo(SETPOINT)),
                    "a setpoint sent before the unplug was written after the replug: " + replugged.requests);
            assertEquals(1, ch.stats().reconnects(), ch.stats().toString());
        } finally {
            before.close();
            if (after != null) {
                after.close();
            }
            pty.close();
        }
    }
}
