package io.github.twinlane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.sim.SimulatedCamera;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.spi.AbstractDeviceDriver;
import io.github.twinlane.spi.ReadMode;
import io.github.twinlane.test.Await;
import io.github.twinlane.test.TwinlaneExtension;
import io.github.twinlane.video.PixelFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Placement#IN_LOOP}: the loop that drives a channel reads it, runs its handlers, runs the task
 * and writes the commands, in that order, on one thread; and every way to misuse it is refused with
 * a message that says what to do.
 */
class InLoopPlacementTest {

    /** A device that has one value ready per read call pair and logs every read, handler, task and write. */
    static final class Journal extends AbstractDeviceDriver<LongBox, LongBox> {
        final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>(); // read while the loop writes
        private long next;

        Journal() {
            super("journal", LongBox.TYPE, LongBox.TYPE, ReadMode.NON_BLOCKING);
        }

        void log(String what) {
            events.add(what + "@" + Thread.currentThread().getName());
        }

        @Override
        public void open() {
        }

        @Override
        public boolean read(LongBox into) {
            if (next % 2 == 1) { // every other call has nothing: the loop must stop reading and go on
                next++;
                return false;
            }
            into.value = next++;
            log("read");
            return true;
        }

        @Override
        public void write(LongBox command) {
            log("write" + command.value);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void shouldReadHandleRunTheTaskAndWriteOnTheLoopsOneThreadInThatOrder() {
        Journal dev = new Journal();
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            DeviceChannel<LongBox, LongBox> ch = rt.open(ChannelConfig.fast("joint").placement(Placement.IN_LOOP).build(),
                    dev, (v, at) -> dev.log("handle"));
            LongBox cmd = new LongBox(0);
            PeriodicLoop loop = rt.every(LoopConfig.of("ctl", Duration.ofMillis(2)), cycle -> {
                dev.log("task");
                cmd.value = cycle;
                ch.send(cmd);
            }, ch);
            Await.until("ten cycles", () -> loop.stats().cycles() >= 10, () -> loop.stats().toString());
            // the loop reads and writes it; only its stops have a (parked) thread, as every device's that takes commands
            assertEquals(List.of("twinlane-fast-joint-stops"), names(rt.parallelScheduler().threads()).stream()
                    .filter(n -> n.contains("joint")).toList(), "the channel has no reader, dispatcher or writer");
            loop.close();
            assertEquals(ChannelState.CLOSED, ch.state(), "closing the loop closes what it drives");
        }
        TwinlaneExtension.assertNoTwinlaneThreads();
        List<String> ev = new ArrayList<>(dev.events);
        assertTrue(ev.stream().allMatch(e -> e.endsWith("@twinlane-fast-ctl-loop")), ev.toString());
        List<String> what = ev.stream().map(e -> e.substring(0, e.indexOf('@'))).toList();
        // the first cycle: what the device had, its handler, the task, the command the task sent
        assertEquals(List.of("read", "handle", "task", "write0"), what.subList(0, 4), what.toString());
        // every later cycle: each command is written in the cycle that sent it, after the task and before the next read
        for (int i = 0; i < what.size(); i++) {
            if (what.get(i).equals("task") && i + 1 < what.size()) {
                assertTrue(what.get(i + 1).startsWith("write"), "after the task comes its write: " + what);
            }
        }
        long tasks = what.stream().filter("task"::equals).count();
        assertTrue(tasks >= 10, what.toString());
    }

    @Test
    void shouldWriteTheWatchdogsSafeCommandWhileTheLoopThatWritesTheDeviceIsStuck() throws Exception {
        Journal dev = new Journal();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            DeviceChannel<LongBox, LongBox> ch = rt.open(ChannelConfig.fast("joint").placement(Placement.IN_LOOP).build(), dev);
            ch.watchdog(Duration.ofMillis(20), c -> c.value = -1);
            LongBox cmd = new LongBox(0);
            rt.every(LoopConfig.of("ctl", Duration.ofMillis(2)), cycle -> {
                if (cycle == 20) {
                    release.await(); // the task hangs: nothing the loop would write gets written
                }
                cmd.value = cycle;
                ch.send(cmd);
            }, ch);
            Await.until("the safe command written by another thread", () -> dev.events.stream()
                    .anyMatch(e -> e.startsWith("write-1@") && !e.endsWith("@twinlane-fast-ctl-loop")), dev.events::toString);
            assertTrue(dev.events.contains("write19@twinlane-fast-ctl-loop"), "the loop wrote until it hung: " + dev.events);
            release.countDown();
        }
        TwinlaneExtension.assertNoTwinlaneThreads();
    }

    private static List<String> names(List<Thread> threads) {
        return threads.stream().map(Thread::getName).toList();
    }

    @Test
    void shouldRefuseEveryMisuseWithAMessageThatSaysWhatToDo() {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            String blocking = assertThrows(IllegalArgumentException.class, () -> rt.open(ChannelConfig.fast("d0")
                    .placement(Placement.IN_LOOP).build(), new SimulatedMotorDrive())).getMessage();
            assertTrue(blocking.contains("reads BLOCKING") && blocking.contains("SimulatedMotorDrive.nonBlocking"), blocking);

            DeviceChannel<?, ?> own = rt.open(ChannelConfig.fast("d1").build(), new SimulatedMotorDrive());
            String notInLoop = assertThrows(IllegalArgumentException.class,
                    () -> rt.every(LoopConfig.of("l1", Duration.ofMillis(5)), c -> { }, own)).getMessage();
            assertTrue(notInLoop.contains("placement(Placement.IN_LOOP)"), notInLoop);

            DeviceChannel<?, ?> cam = rt.open(ChannelConfig.slow("cam").build(),
                    new SimulatedCamera("c", 8, 8, 30, PixelFormat.GRAY8, Duration.ZERO));
            String slow = assertThrows(IllegalArgumentException.class,
                    () -> rt.every(LoopConfig.of("l2", Duration.ofMillis(5)), c -> { }, cam)).getMessage();
            assertTrue(slow.contains("can drive only fast channels") && slow.contains("'cam'"), slow);

            DeviceChannel<?, ?> d2 = rt.open(ChannelConfig.fast("d2").placement(Placement.IN_LOOP).build(),
                    SimulatedMotorDrive.nonBlocking());
            String twice = assertThrows(IllegalArgumentException.class,
                    () -> rt.every(LoopConfig.of("l3", Duration.ofMillis(5)), c -> { }, d2, d2)).getMessage();
            assertTrue(twice.contains("given twice"), twice);
            rt.every(LoopConfig.of("l4", Duration.ofMillis(5)), c -> { }, d2);
            String other = assertThrows(IllegalStateException.class,
                    () -> rt.every(LoopConfig.of("l5", Duration.ofMillis(5)), c -> { }, d2)).getMessage();
            assertTrue(other.contains("driven by loop 'l4' already"), other);
            Await.until("the loop opened it", () -> d2.state() == ChannelState.OPEN, d2::toString);

            DeviceChannel<?, ?> d3 = rt.open(ChannelConfig.fast("d3").placement(Placement.IN_LOOP).build(),
                    SimulatedMotorDrive.nonBlocking());
            d3.close();
            String closed = assertThrows(IllegalArgumentException.class,
                    () -> rt.every(LoopConfig.of("l6", Duration.ofMillis(5)), c -> { }, d3)).getMessage();
            assertTrue(closed.contains("is closed"), closed);

            try (TwinlaneRuntime other2 = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
                DeviceChannel<?, ?> foreign = other2.open(ChannelConfig.fast("f").placement(Placement.IN_LOOP).build(),
                        SimulatedMotorDrive.nonBlocking());
                String m = assertThrows(IllegalArgumentException.class,
                        () -> rt.every(LoopConfig.of("l7", Duration.ofMillis(5)), c -> { }, foreign)).getMessage();
                assertTrue(m.contains("another runtime"), m);
            }
        }
        TwinlaneExtension.assertNoTwinlaneThreads();
    }

    @Test
    void shouldRefuseInLoopOptionsThatCannotApply() {
        String waits = assertThrows(IllegalArgumentException.class, () -> ChannelConfig.fast("d")
                .placement(Placement.IN_LOOP).commandWaitMode(WaitMode.BUSY_SPIN).build()).getMessage();
        assertTrue(waits.startsWith("wait modes do not apply to an IN_LOOP channel"), waits);
        ChannelConfig ok = ChannelConfig.slow("cam").build();
        String slow = assertThrows(IllegalArgumentException.class, () -> new ChannelConfig(ok.name(), Lane.SLOW,
                ok.dataPolicy(), ok.commandPolicy(), ok.capacity(), ok.blockTimeout(), ok.dataWaitMode(),
                ok.commandWaitMode(), ok.backoff(), ok.maxReconnectAttempts(), ok.maxDataAge(), Placement.IN_LOOP, true,
                ok.writeTimeout(), ok.maxBytes())).getMessage();
        assertTrue(slow.startsWith("placement applies to the fast lane only"), slow);
        assertTrue(java.util.Arrays.stream(ChannelConfig.SlowBuilder.class.getMethods())
                .noneMatch(x -> x.getName().equals("placement")), "the slow builder has no placement setter");
    }
}
