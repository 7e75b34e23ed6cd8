package io.github.twinlane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.spi.ReadMode;
import io.github.twinlane.test.Await;
import io.github.twinlane.test.Threads;
import io.github.twinlane.test.TwinlaneExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Taps observe a channel off its lane: they see what the device said and was told, and never change the lane. */
@ExtendWith(TwinlaneExtension.class)
class TapTest {

    /** Produces 0, 1, 2 ... up to a limit, but only once the test says go (so a tap attached after open sees all). */
    static final class GatedDriver extends io.github.twinlane.spi.AbstractDeviceDriver<LongBox, LongBox> {
        final java.util.concurrent.atomic.AtomicBoolean go = new java.util.concurrent.atomic.AtomicBoolean();
        private final long limit;
        private long next;

        GatedDriver(long limit) {
            super("gated", LongBox.TYPE, LongBox.TYPE, ReadMode.NON_BLOCKING);
            this.limit = limit;
        }

        @Override
        public void open() {
        }

        @Override
        public boolean read(LongBox into) {
            if (!go.get() || next >= limit) {
                return false;
            }
            into.value = next++;
            return true;
        }

        @Override
        public void write(LongBox command) {
        }

        @Override
        public void close() {
        }
    }

    private static void assertAccounted(TapStats s) {
        assertEquals(s.offered(), s.delivered() + s.dropped() + s.pending(), s.toString());
    }

    @Test
    void shouldSeeEveryValueTheDeviceProducedInOrderWithItsReceiveTime(TwinlaneRuntime rt) {
        GatedDriver dev = new GatedDriver(5_000);
        List<long[]> seen = new CopyOnWriteArrayList<>();
        DeviceChannel<LongBox, LongBox> ch = rt.open(ChannelConfig.fast("count").build(), dev);
        Tap tap = ch.tapData(new TapConfig("rec", 8192, BackpressurePolicy.DROP_NEWEST),
                (v, at) -> seen.add(new long[] {v.value, at}));
        dev.go.set(true);
        Await.until("the device's 5,000 values are read", () -> ch.stats().dataReceived() == 5_000, ch::toString);
        Await.until("the tap has handed over what it took", () -> tap.stats().pending() == 0, tap::toString);
        TapStats s = tap.stats();
        assertAccounted(s);
        assertEquals(seen.size(), s.delivered());
        assertTrue(s.delivered() > 0, s.toString());
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i)[0] > seen.get(i - 1)[0], "in order");
            assertTrue(seen.get(i)[1] >= seen.get(i - 1)[1], "receive times never go back");
        }
        assertEquals(5_000, s.offered(), "every value read was offered to the tap");
        if (s.dropped() == 0) {
            assertEquals(5_000, seen.size(), "nothing lost when the consumer kept up");
        }
    }

    @Test
    void shouldNotChangeTheLanesDeliveryAndCountEveryDropWhenItsConsumerNeverReturns(TwinlaneRuntime rt)
            throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        GatedDriver dev = new GatedDriver(3_000);
        List<Long> handled = new ArrayList<>();
        DeviceChannel<LongBox, LongBox> ch = rt.open(ChannelConfig.fast("count").dataPolicy(BackpressurePolicy.BLOCK)
                .build(), dev);
        Tap tap = ch.tapData(new TapConfig("stuck", 16, BackpressurePolicy.LATEST), (v, at) -> never.await());
        ch.subscribe((v, at) -> {
            synchronized (handled) {
                handled.add(v.value);
            }
        });
        dev.go.set(true);
        Await.until("every value is read", () -> ch.stats().dataReceived() == 3_000, () -> ch.stats().toString());
        Await.until("and accounted for by the lane", () -> ch.stats().dataDelivered() + ch.stats().dataDropped() == 3_000,
                () -> ch.stats().toString());
        ChannelStats lane = ch.stats();
        synchronized (handled) {
            assertEquals(lane.dataDelivered(), handled.size(), "the handler got every value the lane delivered");
            for (int i = 1; i < handled.size(); i++) {
                assertTrue(handled.get(i) > handled.get(i - 1), "in order");
                if (lane.dataDropped() == 0) {
                    assertEquals(handled.get(i - 1) + 1, handled.get(i), "and none missing");
                }
            }
        }
        TapStats s = tap.stats();
        assertEquals(3_000, s.offered(), "every value was offered to the tap: " + s);
        assertTrue(s.dropped() > 0, "the stuck tap dropped, and counted it: " + s);
        assertAccounted(s);
        ch.close(); // interrupts the stuck consumer
        TapStats end = tap.stats();
        assertAccounted(end);
        assertEquals(0, end.pending(), "what was left is counted as dropped at close: " + end);
        never.countDown();
    }

    @Test
    void shouldSeeEveryCommandWrittenWithItsSendTime(TwinlaneRuntime rt) {
        CountingDriver dev = new CountingDriver(0, ReadMode.NON_BLOCKING, 1_000_000);
        DeviceChannel<LongBox, LongBox> ch = rt.open(ChannelConfig.fast("cmd").commandPolicy(BackpressurePolicy.BLOCK)
                .build(), dev);
        List<long[]> seen = new CopyOnWriteArrayList<>();
        Tap tap = ch.tapCommands(new TapConfig("cmds", 1024, BackpressurePolicy.DROP_NEWEST),
                (c, at) -> seen.add(new long[] {c.value, at}));
        Await.until("open", () -> ch.state() == ChannelState.OPEN, ch::toString);
        long before = System.nanoTime();
        LongBox c = new LongBox();
        for (int i = 0; i < 100; i++) {
            c.value = i;
            assertEquals(SendResult.ACCEPTED, ch.send(c));
        }
        Await.until("100 commands written", () -> dev.written.size() == 100, ch::toString);
        Await.until("and tapped", () -> seen.size() == 100, tap::toString);
        for (int i = 0; i < 100; i++) {
            assertEquals(i, seen.get(i)[0]);
            assertTrue(seen.get(i)[1] >= before, "stamped with its send time");
        }
        assertAccounted(tap.stats());
    }

    @Test
    void shouldRecordNoLatencyButStillStampTappedCommandsWhenLatencyRecordingIsOff(TwinlaneRuntime rt) {
        CountingDriver dev = new CountingDriver(50, ReadMode.NON_BLOCKING, 100_000);
        DeviceChannel<LongBox, LongBox> ch = rt.open(ChannelConfig.fast("quiet").commandPolicy(BackpressurePolicy.BLOCK)
                .dataPolicy(BackpressurePolicy.DROP_NEWEST).latencyRecording(false).build(), dev); // 50 fit: none conflated
        List<long[]> seen = new CopyOnWriteArrayList<>();
        ch.tapCommands(new TapConfig("cmds", 1024, BackpressurePolicy.DROP_NEWEST),
                (c, at) -> seen.add(new long[] {c.value, at}));
        Await.until("open", () -> ch.state() == ChannelState.OPEN, ch::toString);
        long before = System.nanoTime();
        LongBox c = new LongBox();
        for (int i = 0; i < 100; i++) {
            c.value = i;
            assertEquals(SendResult.ACCEPTED, ch.send(c));
        }
        Await.until("100 commands written and tapped", () -> seen.size() == 100, ch::toString);
        Await.until("the device's 50 values delivered", () -> ch.stats().dataDelivered() == 50, ch::toString);
        for (int i = 0; i < 100; i++) {
            assertEquals(i, seen.get(i)[0]);
            assertTrue(seen.get(i)[1] >= before, "stamped with the time it was written");
            assertTrue(i == 0 || seen.get(i)[1] >= seen.get(i - 1)[1], "write times never go back");
        }
        ChannelStats s = ch.stats();
        assertEquals(0, s.commandLatency().count(), s.toString());
        assertEquals(0, s.dataLatency().count(), s.toString());
        assertEquals(100, s.commandsWritten(), s.toString());
    }

    @Test
    void shouldRunOnItsOwnSlowLaneThreadAndEndWithItsChannel(TwinlaneRuntime rt) {
        DeviceChannel<LongBox, LongBox> ch = rt.open(ChannelConfig.fast("dev").build(),
                new CountingDriver(100, ReadMode.NON_BLOCKING, 0));
        ch.tapData(TapConfig.of("view"), (v, at) -> { });
        assertTrue(Threads.twinlane().stream().anyMatch(t -> t.getName().equals("twinlane-slow-dev-tap-view")),
                Threads.twinlane().toString());
        IllegalStateException dup = assertThrows(IllegalStateException.class,
                () -> ch.tapCommands(TapConfig.of("view"), (v, at) -> { }));
        assertTrue(dup.getMessage().contains("already has a tap named 'view'"), dup.getMessage());
        ch.close();
        Await.until("the tap's thread ended", () -> Threads.twinlane().stream()
                .noneMatch(t -> t.getName().contains("-tap-")), () -> Threads.twinlane().toString());
        assertThrows(IllegalStateException.class, () -> ch.tapData(TapConfig.of("late"), (v, at) -> { }));
    }

    @Test
    void shouldRefuseABlockingTapAndBadNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TapConfig("x", 8, BackpressurePolicy.BLOCK));
        assertTrue(e.getMessage().contains("a tap never blocks its lane"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TapConfig.of("no spaces"));
        assertTrue(e.getMessage().startsWith("name must be 1 to 32 letters"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TapConfig.of("x").withCapacity(3));
        assertTrue(e.getMessage().startsWith("capacity must be a power of two"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TapConfig.of("x").withMaxWait(java.time.Duration.ofNanos(9_999)));
        assertEquals("maxWait must be from 10 µs to 1 s, was 9.999 µs", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TapConfig.of("x").withMaxWait(null));
        assertTrue(e.getMessage().startsWith("maxWait must be from 10 µs to 1 s"), e.getMessage());
        assertEquals(TapConfig.DEFAULT_MAX_WAIT, TapConfig.of("x").maxWait());
    }

    @Test
    void shouldAllocateNothingOnTheLaneForATappedValue(TwinlaneRuntime rt) {
        io.github.twinlane.sim.SimulatedMotorDrive sim = new io.github.twinlane.sim.SimulatedMotorDrive("sim", 5000,
                java.time.Duration.ofMillis(50), java.time.Duration.ZERO);
        DeviceChannel<io.github.twinlane.motor.MotorCommand, io.github.twinlane.motor.MotorTelemetry> drive =
                rt.open(ChannelConfig.fast("drive").build(), sim);
        java.util.concurrent.atomic.AtomicLong tappedData = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong tappedCommands = new java.util.concurrent.atomic.AtomicLong();
        drive.tapData(TapConfig.of("d"), (v, at) -> tappedData.incrementAndGet());
        drive.tapCommands(TapConfig.of("c"), (v, at) -> tappedCommands.incrementAndGet());
        io.github.twinlane.motor.MotorCommand cmd = new io.github.twinlane.motor.MotorCommand();
        PeriodicLoop loop = rt.every(java.time.Duration.ofMillis(1), "control", c -> {
            cmd.sequence = c;
            drive.send(cmd);
        });
        Await.until("warm", () -> tappedData.get() > 3_000 && tappedCommands.get() > 500, drive::toString);
        List<Thread> lane = rt.parallelScheduler().threads().stream()
                .filter(t -> t.getName().endsWith("-reader") || t.getName().endsWith("-writer")).toList();
        assertEquals(2, lane.size(), lane.toString());
        long before = Threads.allocatedBytes(lane);
        long d0 = drive.stats().dataReceived();
        long c0 = drive.stats().commandsWritten();
        Await.until("5,000 more values and 500 more commands through the taps", () -> drive.stats().dataReceived() > d0 + 5_000
                && drive.stats().commandsWritten() > c0 + 500, drive::toString);
        long bytes = Threads.allocatedBytes(lane) - before;
        assertTrue(bytes < 2048, "the reader and writer allocated " + bytes + " bytes while copying into taps");
        loop.close();
    }
}
