package io.github.twinlane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.spi.DeviceDriver;
import io.github.twinlane.spi.ReadMode;
import io.github.twinlane.test.Await;
import io.github.twinlane.test.Rig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CPU plan on a real Linux kernel: masks read back from /proc. Needs Linux with two or more
 * CPUs; under CI=true a machine without them fails the run instead of skipping.
 */
class CpuPlanTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static String all;

    @BeforeAll
    static void needsLinuxWithTwoCpus() {
        Rig.requireLinuxCpus(2);
        all = allowed(tid());
    }

    static int tid() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
            return Integer.parseInt(link.substring(link.lastIndexOf('/') + 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String allowed(int tid) {
        return field(tid, "Cpus_allowed_list:");
    }

    static String field(int tid, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/task/" + tid + "/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith(name)) {
                    return line.substring(name.length()).trim();
                }
            }
        } catch (IOException e) {
            return "gone";
        }
        throw new AssertionError(name + " missing for " + tid);
    }

    /** The few libc calls the test makes itself, apart from the library's own. */
    interface Sched extends com.sun.jna.Library {
        int sched_setscheduler(int pid, int policy, int[] param);
    }

    /**
     * Asks the kernel directly, from a scratch thread that then ends, whether this process may run a
     * thread at SCHED_FIFO {@code priority}: independent of the CPU plan's own code path.
     */
    static boolean fifoPermitted(int priority) throws InterruptedException {
        Sched c = com.sun.jna.Native.load("c", Sched.class);
        boolean[] ok = new boolean[1];
        Thread probe = new Thread(() -> ok[0] = c.sched_setscheduler(0, 1, new int[] {priority}) == 0, "fifo-probe");
        probe.start();
        probe.join();
        return ok[0];
    }

    /** Scheduling policy and real-time priority from /proc/self/task/TID/stat (fields 41 and 40). */
    static int[] policyAndPriority(int tid) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new int[] {Integer.parseInt(f[38]), Integer.parseInt(f[37])};
    }

    static Map<Integer, String> everyThreadsMask() throws IOException {
        Map<Integer, String> masks = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                int tid = Integer.parseInt(t.getFileName().toString());
                String m = allowed(tid);
                if (!m.equals("gone")) {
                    masks.put(tid, m);
                }
            }
        }
        return masks;
    }

    /** A device whose library starts a helper thread in open(), like jSerialComm's event thread or FFmpeg's decoders. */
    static final class HelperStartingDriver implements DeviceDriver<LongBox, LongBox> {
        final Set<Integer> readerTids = ConcurrentHashMap.newKeySet();
        final Set<Integer> writerTids = ConcurrentHashMap.newKeySet();
        volatile int helperTid;
        volatile boolean closed;
        private final ReadMode mode;

        HelperStartingDriver(ReadMode mode) {
            this.mode = mode;
        }

        @Override
        public String describe() {
            return "helper";
        }

        @Override
        public MessageType<LongBox> commandType() {
            return LongBox.TYPE;
        }

        @Override
        public MessageType<LongBox> dataType() {
            return LongBox.TYPE;
        }

        @Override
        public ReadMode readMode() {
            return mode;
        }

        @Override
        public void open() {
            closed = false;
            if (helperTid == 0) {
                Thread helper = new Thread(() -> {
                    helperTid = tid();
                    while (!closed) {
                        LockSupport.parkNanos(1_000_000);
                    }
                }, "library-helper");
                helper.setDaemon(true);
                helper.start();
            }
        }

        @Override
        public boolean read(LongBox into) throws IOException {
            if (closed) {
                throw new IOException("closed");
            }
            readerTids.add(tid());
            LockSupport.parkNanos(1_000_000);
            into.value++;
            return true;
        }

        @Override
        public void write(LongBox command) {
            writerTids.add(tid());
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void shouldReserveTheLastCpuForTheFastLaneAndMoveEverythingElseOffIt() throws Exception {
        Set<Integer> dispatchTids = ConcurrentHashMap.newKeySet();
        Set<Integer> loopTids = ConcurrentHashMap.newKeySet();
        Set<Integer> slowHandlerTids = ConcurrentHashMap.newKeySet();
        HelperStartingDriver fastDev = new HelperStartingDriver(ReadMode.BLOCKING);
        HelperStartingDriver slowDev = new HelperStartingDriver(ReadMode.BLOCKING);
        String fastCpu;
        String otherCpus;
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            CpuPlanReport plan = rt.cpuPlan();
            assertTrue(plan.applied(), plan.toString());
            fastCpu = plan.fastCpus();
            otherCpus = plan.otherCpus();
            assertEquals(all, plan.visibleCpus());
            // (availableProcessors() now answers 1: the JVM asks the calling thread's mask)
            assertEquals(String.valueOf(io.github.twinlane.internal.CpuSets.parse(all).length() - 1), fastCpu,
                    "the default reserves the last CPU");
            assertEquals(otherCpus, allowed(tid()), "the app's own thread moved off the reserved CPU");

            DeviceChannel<LongBox, LongBox> fast = rt.open(ChannelConfig.fast("fastdev").build(), fastDev,
                    (v, at) -> dispatchTids.add(tid()));
            DeviceChannel<LongBox, LongBox> slow = rt.open(ChannelConfig.slow("slowdev").build(), slowDev,
                    (v, at) -> slowHandlerTids.add(tid()));
            rt.every(Duration.ofMillis(1), "ctl", c -> {
                loopTids.add(tid());
                fast.send(new LongBox(c));
            });
            Await.until("every lane thread ran", WAIT, () -> !dispatchTids.isEmpty() && !loopTids.isEmpty()
                    && !slowHandlerTids.isEmpty() && !fastDev.writerTids.isEmpty() && !fastDev.readerTids.isEmpty()
                    && !slowDev.readerTids.isEmpty() && fastDev.helperTid != 0 && slowDev.helperTid != 0);
            Await.until("the helper threads exist in /proc", WAIT,
                    () -> !allowed(fastDev.helperTid).equals("gone") && !allowed(slowDev.helperTid).equals("gone"));

            Set<Integer> fastTids = new java.util.HashSet<>();
            fastTids.addAll(dispatchTids);
            fastTids.addAll(loopTids);
            fastTids.addAll(fastDev.readerTids);
            fastTids.addAll(fastDev.writerTids);
            assertEquals(4, fastTids.size(), "reader, dispatcher, writer, loop");
            for (int t : fastTids) {
                assertEquals(fastCpu, allowed(t), "fast-lane thread " + t);
            }
            for (int t : slowHandlerTids) {
                assertEquals(otherCpus, allowed(t), "slow-lane loop thread");
            }
            for (int t : slowDev.readerTids) {
                assertEquals(otherCpus, allowed(t), "slow-lane reader thread");
            }
            assertEquals(otherCpus, allowed(slowDev.helperTid),
                    "a thread the driver started while opening on the slow lane inherited the slow lane's CPUs");
            assertEquals(otherCpus, allowed(fastDev.helperTid),
                    "a helper thread started by a fast-lane device's open was swept off the reserved CPU");
            Map<Integer, String> masks = everyThreadsMask();
            for (Map.Entry<Integer, String> e : masks.entrySet()) {
                String name = field(e.getKey(), "Name:"); // the kernel keeps 15 characters of it
                if (fastTids.contains(e.getKey()) || name.startsWith("twinlane-fast-")) {
                    // the four above, and the drive's stop thread and the runtime's supervisor
                    assertEquals(fastCpu, e.getValue(), "fast-lane thread " + e.getKey() + " (" + name + ")");
                } else {
                    assertEquals(otherCpus, e.getValue(), "thread " + e.getKey() + " (" + name
                            + ") must be off the reserved CPU");
                }
            }
            assertTrue(masks.size() > 10, "the JVM's own threads (GC, JIT, ...) were checked too: " + masks.size());
            assertTrue(rt.summary().startsWith("CPU plan: fast lane on CPU " + fastCpu), rt.summary());
            slow.close();
        }
        assertEquals(all, allowed(tid()), "close gives every thread its CPUs back");
        for (String m : everyThreadsMask().values()) {
            assertEquals(all, m);
        }
    }

    @Test
    void shouldKeepEveryFastLaneThreadOnTheReservedCpuWhenDevicesOpenWhileOthersStart() throws Exception {
        // every device open sweeps the process's threads off the reserved CPU; fast-lane threads starting
        // during a sweep must not be swept with them (a sweep that passed over a thread before it registered
        // used to move it off the reserved CPU for good)
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            String fastCpu = rt.cpuPlan().fastCpus();
            java.util.List<Thread> openers = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                Thread t = new Thread(() -> rt.open(ChannelConfig.fast("d" + n).build(),
                        new HelperStartingDriver(ReadMode.BLOCKING)));
                openers.add(t);
                t.start();
            }
            for (Thread t : openers) {
                t.join();
            }
            Await.until("every device open", WAIT, () -> rt.channelStats().stream()
                    .allMatch(c -> c.state() == ChannelState.OPEN));
            java.util.List<String> off = new java.util.ArrayList<>();
            for (Map.Entry<Integer, String> e : everyThreadsMask().entrySet()) {
                String name = field(e.getKey(), "Name:");
                if (name.startsWith("twinlane-fast-") && !fastCpu.equals(e.getValue())) {
                    off.add(name + " (" + e.getKey() + ") on " + e.getValue());
                }
            }
            assertEquals(java.util.List.of(), off, "fast-lane threads off the reserved CPU " + fastCpu);
        }
    }

    @Test
    void shouldRunTheFastLaneAtSchedFifoWhenPermittedAndSayWhyNotOtherwise() throws Exception {
        Set<Integer> readers = ConcurrentHashMap.newKeySet();
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.DEFAULT.withFastPriority(10)).build()) {
            rt.open(ChannelConfig.fast("drive").build(), new SimulatedMotorDrive(), (t, at) -> readers.add(tid()));
            Await.until("a delivery", WAIT, () -> !readers.isEmpty());
            int[] policy = policyAndPriority(readers.iterator().next());
            CpuPlanReport plan = rt.cpuPlan();
            if (fifoPermitted(10)) {
                assertEquals(10, plan.fastPriority(), "the kernel permits SCHED_FIFO 10 here: " + plan);
                assertEquals(1, policy[0], "SCHED_FIFO");
                assertEquals(10, policy[1]);
                // the threads that watch and stop devices run one above, so a loop spinning at 10 cannot starve them
                java.util.List<Integer> supervisor = new java.util.ArrayList<>();
                for (int t : everyThreadsMask().keySet()) {
                    if (field(t, "Name:").equals("twinlane-fast-r")) { // twinlane-fast-runtime-supervisor, cut to 15
                        supervisor.add(policyAndPriority(t)[1]);
                    }
                }
                assertEquals(java.util.List.of(11), supervisor, "the supervisor's real-time priority");
            } else {
                assertNotEquals(10, plan.fastPriority(), "the kernel refuses SCHED_FIFO 10 here: " + plan);
                assertEquals(0, policy[0], "refused: normal priority");
                assertTrue(plan.notes().stream().anyMatch(n -> n.contains("SCHED_FIFO 10 refused") && n.contains("rtprio")),
                        plan.toString());
            }
        }
    }

    @Test
    void shouldGiveFastLaneThreadsOneNanosecondOfTimerSlack() throws Exception {
        Set<Integer> dispatch = ConcurrentHashMap.newKeySet();
        Set<Integer> loop = ConcurrentHashMap.newKeySet();
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            rt.open(ChannelConfig.fast("drive").build(), new SimulatedMotorDrive(), (t, at) -> dispatch.add(tid()));
            rt.open(ChannelConfig.slow("cam").build(), new io.github.twinlane.sim.SimulatedCamera(), (f, at) -> loop.add(tid()));
            Await.until("both lanes delivered", WAIT, () -> !dispatch.isEmpty() && !loop.isEmpty());
            assertEquals("1", Files.readString(Path.of("/proc/" + dispatch.iterator().next() + "/timerslack_ns")).trim(),
                    "the kernel's own answer for a fast-lane thread");
            assertEquals(1, rt.cpuPlan().timerSlackNanos(), rt.cpuPlan().toString());
            assertTrue(rt.cpuPlan().toString().contains("fast-lane timer slack 1 ns"), rt.cpuPlan().toString());
            assertNotEquals("1", Files.readString(Path.of("/proc/" + loop.iterator().next() + "/timerslack_ns")).trim(),
                    "the slow lane keeps the kernel's default");
        }
    }

    @Test
    void shouldLetOneAdaptiveLoopSpinOnTheReservedCoreAndNoLoopWithoutOne() {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            PeriodicLoop first = rt.every(Duration.ofMillis(1), "first", c -> { });
            PeriodicLoop second = rt.every(Duration.ofMillis(1), "second", c -> { });
            PeriodicLoop fixed = rt.every(new LoopConfig("fixed", Duration.ofMillis(1), Duration.ZERO, false), c -> { });
            assertNotEquals(Duration.ZERO, first.spinLead(), "the first adaptive loop spins on the reserved core"
                    + " (the lead's bounds are SpinLeadProperties')");
            assertEquals(Duration.ZERO, second.spinLead(), "one spinning thread per reserved core");
            assertEquals(Duration.ZERO, fixed.spinLead(), "spin 0 means never");
        }
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            assertEquals(Duration.ZERO, rt.every(Duration.ofMillis(1), "unpinned", c -> { }).spinLead(),
                    "without a reserved core nothing spins by default");
        }
    }

    @Test
    void shouldLockMemoryWhenPermittedAndSayWhyNotOtherwise() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), MemoryLockProbe.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        long lockedKb = Long.parseLong(out.replaceAll("(?s).*PROBE VmLck: (\\d+) kB.*", "$1"));
        if (out.contains("PROBE locked=true")) {
            assertTrue(lockedKb > 0, "the kernel counts locked memory: " + out);
            assertTrue(out.contains("memory locked"), out);
        } else {
            assertEquals(0, lockedKb, out);
            assertTrue(out.contains("memory not locked: mlockall refused") && out.contains("ulimit -l"),
                    "one WARN naming the limit and the fix: " + out);
        }
    }

    @Test
    void shouldSetTheSlowLanesNiceValue() throws Exception {
        Set<Integer> loop = ConcurrentHashMap.newKeySet();
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.DEFAULT.withSlowNice(5)).build()) {
            rt.open(ChannelConfig.slow("cam").build(), new io.github.twinlane.sim.SimulatedCamera(),
                    (f, at) -> loop.add(tid()));
            Await.until("a frame", WAIT, () -> !loop.isEmpty());
            String stat = Files.readString(Path.of("/proc/self/task/" + loop.iterator().next() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            assertEquals(5, Integer.parseInt(f[16]), "nice is field 19 of stat");
        }
    }

    @Test
    void shouldRejectFastCoresTheProcessCannotUse() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TwinlaneRuntime.builder().cpuPlan(CpuPlan.DEFAULT.withFastCores(1000)).build());
        assertTrue(e.getMessage().startsWith("fastCores 1000 are not among the CPUs"), e.getMessage());
        {
            int n = io.github.twinlane.internal.CpuSets.parse(all).length();
            int[] every = new int[n];
            for (int i = 0; i < n; i++) {
                every[i] = i;
            }
            e = assertThrows(IllegalArgumentException.class,
                    () -> TwinlaneRuntime.builder().cpuPlan(CpuPlan.DEFAULT.withFastCores(every)).build());
            assertTrue(e.getMessage().contains("take every visible CPU"), e.getMessage());
        }
        assertEquals(all, allowed(tid()), "a refused plan moved nothing");
    }

    @Test
    void shouldPinNothingWhenSwitchedOff() {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            assertFalse(rt.cpuPlan().applied());
            assertEquals(all, allowed(tid()));
            assertTrue(rt.cpuPlan().toString().contains("switched off"), rt.cpuPlan().toString());
        }
    }

    @Test
    void shouldDegradeCleanlyUnderTasksetToOneCpu() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("taskset", "-c", "0", java, "-cp", System.getProperty("java.class.path"),
                CpuPlanProbe.class.getName()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("CPU plan not applied: one visible CPU (0)"), "one INFO line says so:\n" + out);
        assertTrue(out.contains("PROBE CPU plan: not applied"), out);
        assertNotEquals(-1, out.indexOf("PROBE received="), out);
        assertTrue(Long.parseLong(out.replaceAll("(?s).*PROBE received=(\\d+).*", "$1")) >= 100, "the lanes still ran:\n" + out);
        // twinlane's own log lines only: a JDK 22+ prints its own "WARNING: A restricted method ..." for JNA
        assertFalse(out.lines().anyMatch(l -> l.contains("io.github.twinlane") && (l.contains(" WARN ")
                || l.contains(" ERROR "))), "nothing failed:\n" + out);
    }
}
