package io.github.twinlane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.spi.ReadMode;
import io.github.twinlane.test.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The safety promises under adversity, one test per way they were found broken: a send the ring cannot
 * copy, commands queued behind a slow write, a stuck device, an emergency stop and a close during a stuck
 * write, a loop whose driver's reads are interruptible, a tap whose consumer is descheduled mid-copy.
 * Ordinary commands are positive, safe commands -1, emergency stops -2. The bounds in the waits only
 * catch a hang.
 */
class SafetyPromisesTest {
    private static final long TOO_LONG = Long.MIN_VALUE; // a value the command type refuses to copy
    private static final MessageType<LongBox> PICKY = MessageType.of(LongBox::new, (a, b) -> {
        if (a.value == TOO_LONG) {
            throw new IllegalArgumentException("frame longer than the codec's limit");
        }
        b.value = a.value;
    });
    private final TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build();

    @AfterEach
    void close() {
        rt.close();
        assertEquals(List.of(), rt.liveThreads());
    }

    private static void quiet(DeviceChannel<?, ?> ch) {
        Await.until("every command accounted for", () -> {
            ChannelStats s = ch.stats();
            return s.commandsSent() == s.commandsWritten() + s.commandsFailed() + s.commandsDropped();
        }, () -> ch.stats().toString());
    }

    private static DeviceChannel<LongBox, LongBox> opened(DeviceChannel<LongBox, LongBox> ch) {
        Await.until("open", () -> ch.state() == ChannelState.OPEN);
        return ch;
    }

    /** No ordinary (positive) command after the first stop or safe command (negative). */
    private static void assertNothingOrdinaryAfterTheStop(List<Long> written) {
        int stop = -1;
        for (int i = 0; i < written.size(); i++) {
            if (written.get(i) < 0) {
                stop = i;
                break;
            }
        }
        assertTrue(stop >= 0, "a stop was written: " + written);
        for (int i = stop + 1; i < written.size(); i++) {
            assertTrue(written.get(i) < 0, "command " + written.get(i) + " was written after the stop: " + written);
        }
    }

    @ParameterizedTest
    @EnumSource(BackpressurePolicy.class)
    void shouldKeepTheCommandRingFlowingAndEveryCommandCountedAfterSendsItCannotCopy(BackpressurePolicy policy) {
        ScriptedDriver d = new ScriptedDriver(PICKY, ReadMode.BLOCKING, 1_000_000);
        // BLOCK waits as long as it may: only a ring that stopped draining times a send out
        DeviceChannel<LongBox, LongBox> ch = opened(rt.open(ChannelConfig.fast("motor").commandPolicy(policy)
                .blockTimeout(ChannelConfig.MAX_BLOCK_TIMEOUT).build(), d));
        assertEquals(SendResult.REJECTED_INVALID, ch.send(null));
        assertEquals(SendResult.REJECTED_INVALID, ch.send(new LongBox(TOO_LONG)));
        LongBox c = new LongBox();
        for (int i = 1; i <= 2000; i++) {
            c.value = i;
            SendResult r = ch.send(c);
            if (policy == BackpressurePolicy.BLOCK) {
                assertEquals(SendResult.ACCEPTED, r, "command " + i);
            }
        }
        quiet(ch);
        c.value = 3000;
        assertEquals(SendResult.ACCEPTED, ch.send(c));
        Await.until("a command sent after them is written", () -> d.written.contains(3000L), d.written::toString);
        quiet(ch);
        ChannelStats s = ch.stats();
        assertEquals(2003, s.commandsSent(), s.toString());
        if (policy == BackpressurePolicy.BLOCK) {
            assertEquals(2001, s.commandsWritten(), "every valid command written under BLOCK: " + s);
        }
        assertTrue(s.commandsDropped() >= 2, "the two invalid sends are counted as dropped: " + s);
        assertFalse(d.written.contains(TOO_LONG));
    }

    @Test
    void shouldTripTheWatchdogWhileEverySendIsRefused() throws Exception {
        ScriptedDriver d = new ScriptedDriver(PICKY, ReadMode.BLOCKING, 1_000_000);
        DeviceChannel<LongBox, LongBox> ch = opened(rt.open(ChannelConfig.fast("motor").build(), d));
        // a second: far longer than any gap between the loop's sends on a loaded machine, so only a watchdog
        // that refused sends do not feed can trip
        ch.watchdog(Duration.ofSeconds(1), s -> s.value = -1);
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread loop = new Thread(() -> {
            LongBox bad = new LongBox(TOO_LONG);
            while (sending.get()) {
                ch.send(bad); // refused every time: it must not feed the watchdog
                LockSupport.parkNanos(1_000_000);
            }
        });
        loop.start();
        try {
            Await.until("the watchdog writes the safe command", () -> d.written.contains(-1L), ch.stats()::toString);
        } finally {
            sending.set(false);
            loop.join();
        }
        assertEquals(List.of(-1L), d.written);
    }

    @Test
    void shouldNeverWriteACommandQueuedBeforeTheWatchdogsSafeCommandAfterIt() {
        ScriptedDriver d = new ScriptedDriver();
        d.writeNanos = TimeUnit.MILLISECONDS.toNanos(40); // a slow device: the commands below queue behind the first
        DeviceChannel<LongBox, LongBox> ch = opened(rt.open(ChannelConfig.fast("motor")
                .commandPolicy(BackpressurePolicy.DROP_NEWEST).build(), d));
        ch.watchdog(Duration.ofMillis(20), s -> s.value = -1);
        for (long i = 1; i <= 5; i++) {
            assertEquals(SendResult.ACCEPTED, ch.send(new LongBox(i)));
        }
        // the loop stalls here
        Await.until("the watchdog's safe command", () -> d.written.contains(-1L), d.written::toString);
        quiet(ch);
        assertNothingOrdinaryAfterTheStop(d.written);
        assertEquals(-1L, d.last(), "the device is left on the safe command: " + d.written);
        assertTrue(ch.stats().commandsDropped() >= 1, "the superseded commands are counted: " + ch.stats());
    }

    @Test
    void shouldNeverWriteAQueuedCommandAfterTheSafeCommandAtClose() {
        ScriptedDriver d = new ScriptedDriver();
        d.writeNanos = TimeUnit.MILLISECONDS.toNanos(20);
        DeviceChannel<LongBox, LongBox> ch = opened(rt.open(ChannelConfig.fast("motor")
                .commandPolicy(BackpressurePolicy.DROP_NEWEST).build(), d));
        ch.watchdog(Duration.ofSeconds(30), s -> s.value = -1);
        for (long i = 1; i <= 5; i++) {
            assertEquals(SendResult.ACCEPTED, ch.send(new LongBox(i)));
        }
        Await.until("the first write started", () -> d.inWrite.get() > 0 || !d.written.isEmpty());
        ch.close();
        assertNothingOrdinaryAfterTheStop(d.written);
        assertEquals(-1L, d.last(), "the last thing the motor heard: " + d.written);
        ChannelStats s = ch.stats();
        assertEquals(s.commandsSent(), s.commandsWritten() + s.commandsFailed() + s.commandsDropped(), s.toString());
    }

    @Test
    void shouldNeverWriteACommandQueuedBeforeADeviceLossAfterTheReconnect() {
        ScriptedDriver d = new ScriptedDriver();
        d.writeNanos = TimeUnit.MILLISECONDS.toNanos(150); // the device reconnects while this write is still going
        DeviceChannel<LongBox, LongBox> ch = opened(rt.open(ChannelConfig.fast("motor")
                .commandPolicy(BackpressurePolicy.DROP_NEWEST)
                .backoff(new Backoff(Duration.ofMillis(1), Duration.ofMillis(5))).build(), d));
        for (long i = 1; i <= 20; i++) {
            assertEquals(SendResult.ACCEPTED, ch.send(new LongBox(i)));
        }
        Await.until("the first write started", () -> d.inWrite.get() > 0);
        d.unplugged = true;
        d.close(); // the reader's next read fails: the device is lost
        Await.until("the loss noticed", () -> ch.state() != ChannelState.OPEN);
        d.unplugged = false;
        Await.until("reconnected", () -> ch.state() == ChannelState.OPEN && d.opens.get() == 2);
        quiet(ch);
        // the write in flight at the loss (1) may complete; nothing queued behind it may follow
        assertEquals(List.of(), d.writtenSinceOpen.stream().filter(v -> v > 1).toList(),
                "commands sent before the loss, replayed after the reconnect: " + d.writtenSinceOpen);
        ch.send(new LongBox(99));
        Await.until("a command sent after the reconnect is written", () -> d.writtenSinceOpen.contains(99L));
    }

    @Test
    void shouldKeepEveryOtherChannelsWatchdogRunningAndFailTheStuckOne() {
        ScriptedDriver stuckDevice = new ScriptedDriver();
        ScriptedDriver healthy = new ScriptedDriver();
        DeviceChannel<LongBox, LongBox> stuck = opened(rt.open(ChannelConfig.fast("stuck")
                .writeTimeout(Duration.ofMillis(200)).build(), stuckDevice));
        DeviceChannel<LongBox, LongBox> other = opened(rt.open(ChannelConfig.fast("other").build(), healthy));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        stuck.onStateChange((n, from, to, cause) -> {
            if (to == ChannelState.FAILED) {
                failure.set(cause);
            }
        });
        stuck.watchdog(Duration.ofMillis(30), s -> s.value = -1);
        other.watchdog(Duration.ofMillis(30), s -> s.value = -1);
        stuckDevice.hang = true;
        stuck.send(new LongBox(1));
        Await.until("the stuck device's write hangs", () -> stuckDevice.hung.get() == 1);
        other.send(new LongBox(1));
        // neither loop feeds its watchdog any more
        Await.until("the healthy channel's watchdog writes its safe command", () -> healthy.written.contains(-1L),
                healthy.written::toString);
        Await.until("the stuck channel failed", () -> stuck.state() == ChannelState.FAILED);
        assertInstanceOf(DeviceStuckException.class, failure.get());
        String m = failure.get().getMessage();
        assertTrue(m.contains("'stuck'") && m.contains("scripted") && m.contains("a command") && m.contains("writeTimeout"), m);
        Await.until("its driver was closed to unblock the write", () -> stuckDevice.inWrite.get() == 0);
        assertFalse(stuckDevice.written.contains(1L));
        other.send(new LongBox(2));
        Await.until("the healthy channel keeps working", () -> healthy.written.contains(2L));
    }

    @Test
    void shouldReturnFromAnEmergencyStopWhileAWriteIsStuckAndSayTheStopWasNotWritten() throws Exception {
        ScriptedDriver d = new ScriptedDriver();
        DeviceChannel<LongBox, LongBox> ch = opened(rt.open(ChannelConfig.fast("motor")
                .writeTimeout(Duration.ofMillis(200)).build(), d));
        d.hang = true;
        ch.send(new LongBox(1));
        Await.until("the write hangs", () -> d.hung.get() == 1);
        AtomicReference<Boolean> result = new AtomicReference<>();
        Thread estop = new Thread(() -> result.set(ch.emergencyStop(new LongBox(-2))));
        estop.start();
        estop.join(Await.HANG.toMillis());
        assertFalse(estop.isAlive(), "emergencyStop returned");
        assertEquals(Boolean.FALSE, result.get(), "the stop did not reach the device and says so");
        Await.until("the stuck channel failed", () -> ch.state() == ChannelState.FAILED);
        assertEquals(SendResult.REJECTED_CLOSED, ch.send(new LongBox(3)), "a failed channel takes nothing more");
    }

    @Test
    void shouldWriteAnEmergencyStopAfterTheWriteInProgressAndNothingQueuedAfterIt() {
        ScriptedDriver d = new ScriptedDriver();
        d.writeNanos = TimeUnit.MILLISECONDS.toNanos(30);
        DeviceChannel<LongBox, LongBox> ch = opened(rt.open(ChannelConfig.fast("motor")
                .commandPolicy(BackpressurePolicy.DROP_NEWEST).build(), d));
        // the release comes while the device takes the stop, before the writer looks at its queue again: the
        // latch alone would let the commands queued before the stop through then
        d.onWrite = v -> {
            if (v == -2) {
                Thread releaser = new Thread(ch::releaseEmergencyStop);
                releaser.start();
                try {
                    releaser.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        for (long i = 1; i <= 5; i++) {
            ch.send(new LongBox(i));
        }
        Await.until("the first write started", () -> d.inWrite.get() > 0 || !d.written.isEmpty());
        assertTrue(ch.emergencyStop(new LongBox(-2)), "the stop reached the device");
        quiet(ch);
        assertNothingOrdinaryAfterTheStop(d.written);
        assertEquals(-2L, d.last(), "queued commands are not written after the release either: " + d.written);
        ch.send(new LongBox(9));
        Await.until("a command sent after the release is written", () -> d.written.contains(9L));
    }

    @Test
    void shouldCloseWithinTheCloseTimeoutAndStillStopTheHealthyDevicesWhileTwoWritesAreStuck() throws Exception {
        TwinlaneRuntime r = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).closeTimeout(Duration.ofSeconds(1)).build();
        ScriptedDriver a = new ScriptedDriver();
        ScriptedDriver b = new ScriptedDriver();
        ScriptedDriver healthy = new ScriptedDriver();
        // a write timeout far beyond the close timeout: the supervisor does not fail them first, close must cope
        ChannelConfig.FastBuilder slowToFail = ChannelConfig.fast("a").writeTimeout(Duration.ofSeconds(60));
        DeviceChannel<LongBox, LongBox> ca = opened(r.open(slowToFail.build(), a));
        DeviceChannel<LongBox, LongBox> cb = opened(r.open(ChannelConfig.fast("b").writeTimeout(Duration.ofSeconds(60)).build(), b));
        DeviceChannel<LongBox, LongBox> ch = opened(r.open(ChannelConfig.fast("healthy").build(), healthy));
        for (DeviceChannel<LongBox, LongBox> c : List.of(ca, cb, ch)) {
            c.watchdog(Duration.ofSeconds(30), s -> s.value = -1);
        }
        a.hang = true;
        b.hang = true;
        ca.send(new LongBox(1));
        cb.send(new LongBox(1));
        ch.send(new LongBox(1));
        Await.until("both writes hang", () -> a.hung.get() == 1 && b.hung.get() == 1 && healthy.written.contains(1L));
        Thread closer = new Thread(r::close);
        closer.start();
        closer.join(Await.HANG.toMillis());
        assertFalse(closer.isAlive(), "close returned");
        assertEquals(-1L, healthy.last(), "the healthy device got its safe command: " + healthy.written);
        assertEquals(List.of(), r.liveThreads(), "the drivers' close unblocked the stuck writes");
    }

    @Test
    void shouldWriteTheSafeCommandOfALoopDrivenChannelWhoseReadsAreInterruptible() {
        TwinlaneRuntime r = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build();
        // a non-blocking read that takes most of the cycle, on an interruptible channel: an interrupt closes it
        ScriptedDriver d = new ScriptedDriver(LongBox.TYPE, ReadMode.NON_BLOCKING, TimeUnit.MILLISECONDS.toNanos(3));
        d.interruptibleReads = true;
        DeviceChannel<LongBox, LongBox> ch = r.open(ChannelConfig.fast("drive").placement(Placement.IN_LOOP).build(), d);
        LongBox cmd = new LongBox(1);
        r.every(LoopConfig.of("control", Duration.ofMillis(1)), k -> ch.send(cmd), ch);
        Await.until("the loop drives the device", () -> d.written.contains(1L));
        ch.watchdog(Duration.ofSeconds(30), s -> s.value = -1);
        r.close();
        assertEquals(-1L, d.last(), "the safe command was the last thing written: " + d.written.subList(
                Math.max(0, d.written.size() - 5), d.written.size()));
    }

    @Test
    void shouldKeepWritingCommandsWhileACommandTapsThreadIsDescheduledMidCopy() throws Exception {
        AtomicBoolean holdTapCopy = new AtomicBoolean();
        CountDownLatch tapInCopy = new CountDownLatch(1);
        MessageType<LongBox> type = MessageType.of(LongBox::new, (a, b) -> {
            if (holdTapCopy.get() && Thread.currentThread().getName().contains("-tap-")) {
                tapInCopy.countDown();
                while (holdTapCopy.get()) {
                    LockSupport.parkNanos(1_000_000); // the tap's thread, descheduled in the middle of a copy
                }
            }
            b.value = a.value;
        });
        ScriptedDriver d = new ScriptedDriver(type, ReadMode.BLOCKING, 1_000_000);
        DeviceChannel<LongBox, LongBox> ch = opened(rt.open(ChannelConfig.fast("motor")
                .commandPolicy(BackpressurePolicy.DROP_NEWEST).build(), d)); // every command written, none conflated
        AtomicBoolean holdConsumer = new AtomicBoolean(true);
        CountDownLatch consumerHeld = new CountDownLatch(1);
        Tap tap = ch.tapCommands(new TapConfig("recorder", 2, BackpressurePolicy.LATEST), (v, at) -> {
            consumerHeld.countDown();
            while (holdConsumer.get()) {
                LockSupport.parkNanos(1_000_000);
            }
        });
        LongBox c = new LongBox(1);
        ch.send(c);
        assertTrue(consumerHeld.await(Await.HANG.toSeconds(), TimeUnit.SECONDS), "the tap's consumer took the first");
        for (int i = 2; i <= 20; i++) { // the next fills the tap's ring, the rest park in its overflow slot
            c.value = i;
            ch.send(c);
        }
        Await.until("the tap's ring is full", () -> d.written.contains(20L) && tap.stats().offered() == 20);
        holdTapCopy.set(true);
        holdConsumer.set(false); // the tap's thread drains its ring, then copies the overflow slot out, and stalls
        try {
            assertTrue(tapInCopy.await(Await.HANG.toSeconds(), TimeUnit.SECONDS), "the tap's thread stalled mid-copy");
            for (int i = 21; i <= 120; i++) {
                c.value = i;
                ch.send(c);
                LockSupport.parkNanos(200_000);
            }
            Await.until("the writer keeps writing", () -> d.written.contains(120L), d.written::toString);
            assertTrue(ch.emergencyStop(new LongBox(-2)), "the stop reached the device");
        } finally {
            holdTapCopy.set(false);
        }
        Await.until("the tap counts what it could not take", () -> tap.stats().dropped() > 0, tap.stats()::toString);
    }
}
