package io.github.twinlane.bench;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.CpuPlan;
import io.github.twinlane.MessageType;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.spi.DeviceDriver;
import io.github.twinlane.spi.ReadMode;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/** Scenario 4: 1,000 slow devices at 10 Hz each, on one loop thread against one platform thread per device. */
final class ScaleScenario {
    private static final int DEVICES = 1000;
    private static final long PERIOD = 100_000_000;

    private ScaleScenario() {
    }

    /** A sensor that has a new reading every 100 ms and never blocks. */
    static final class TickSensor implements DeviceDriver<Stamp, Stamp> {
        private long next;

        TickSensor(long phase) {
            this.next = System.nanoTime() + phase;
        }

        @Override
        public String describe() {
            return "tick";
        }

        @Override
        public MessageType<Stamp> commandType() {
            return Stamp.TYPE;
        }

        @Override
        public MessageType<Stamp> dataType() {
            return Stamp.TYPE;
        }

        @Override
        public ReadMode readMode() {
            return ReadMode.NON_BLOCKING;
        }

        @Override
        public void open() {
        }

        @Override
        public boolean read(Stamp into) {
            long now = System.nanoTime();
            if (now - next < 0) {
                return false;
            }
            next += PERIOD;
            into.sentNanos = now;
            return true;
        }

        @Override
        public void write(Stamp command) {
        }

        @Override
        public void close() {
        }
    }

    record Sample(double rate, double heapMb, int threads, double cpuPercent) {
    }

    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static double heapMb() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
    }

    static Sample measure(Settings s, AtomicLong delivered) throws InterruptedException {
        Thread.sleep(s.warmup().toMillis() + 500);
        long d0 = delivered.get();
        long c0 = cpu();
        long t0 = System.nanoTime();
        Thread.sleep(s.trial().toMillis());
        double secs = (System.nanoTime() - t0) / 1e9;
        double rate = (delivered.get() - d0) / secs;
        double cpu = 100.0 * (cpu() - c0) / 1e9 / secs;
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        return new Sample(rate, heapMb(), threads, cpu);
    }

    static Sample twinlane(Settings s) throws InterruptedException {
        AtomicLong delivered = new AtomicLong();
        SplittableRandom rnd = new SplittableRandom(1);
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            for (int i = 0; i < DEVICES; i++) {
                rt.open(ChannelConfig.slow("s" + i).build(), new TickSensor(rnd.nextLong(PERIOD)),
                        (v, at) -> delivered.incrementAndGet());
            }
            return measure(s, delivered);
        }
    }

    static Sample threadPerDevice(Settings s) throws InterruptedException {
        AtomicLong delivered = new AtomicLong();
        SplittableRandom rnd = new SplittableRandom(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            long phase = rnd.nextLong(PERIOD);
            Thread t = new Thread(() -> {
                long next = System.nanoTime() + phase;
                while (!Thread.currentThread().isInterrupted()) {
                    long now;
                    while ((now = System.nanoTime()) - next < 0) {
                        LockSupport.parkNanos(next - now);
                        if (Thread.currentThread().isInterrupted()) {
                            return;
                        }
                    }
                    next += PERIOD;
                    delivered.incrementAndGet(); // the "handler"
                }
            }, "device-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        try {
            return measure(s, delivered);
        } finally {
            for (Thread t : threads) {
                t.interrupt();
            }
            for (Thread t : threads) {
                t.join(2000);
            }
        }
    }

    static void run(Settings s, Report r) throws Exception {
        r.section("4. Slow-lane scale: 1,000 devices at 10 Hz");
        r.para("1,000 simulated sensors, each with a reading every 100 ms (random phase), delivered to a handler: "
                + "twinlane's slow lane (one loop thread polling non-blocking drivers, every channel with its own "
                + "rings, latest-value slot and latency histogram) against one platform thread per device. Heap after "
                + "a full GC, JVM thread count and process CPU while running. Expected rate: 10,000 readings/s.");
        Trials[] tw = {new Trials(), new Trials(), new Trials(), new Trials()};
        Trials[] th = {new Trials(), new Trials(), new Trials(), new Trials()};
        for (int i = 0; i < s.trials(); i++) {
            BenchmarkSuite.progress("scale", "twinlane slow lane trial " + (i + 1) + "/" + s.trials());
            add(tw, twinlane(s));
            BenchmarkSuite.progress("scale", "thread per device trial " + (i + 1) + "/" + s.trials());
            add(th, threadPerDevice(s));
        }
        r.table(List.of("design", "readings/s", "heap (MB)", "JVM threads", "process CPU (%)"), List.of(
                List.of("twinlane: 1 loop thread", Report.num(tw[0]), Report.num(tw[1]), Report.num(tw[2]), Report.num(tw[3])),
                List.of("one platform thread per device", Report.num(th[0]), Report.num(th[1]), Report.num(th[2]),
                        Report.num(th[3]))));
        r.para("Twinlane's heap is the per-channel state (preallocated ring slots, counters, latency histograms); "
                + "the thread-per-device design keeps none of that but pays a stack and a kernel thread per device.");
    }

    private static void add(Trials[] t, Sample x) {
        t[0].add(x.rate());
        t[1].add(x.heapMb());
        t[2].add(x.threads());
        t[3].add(x.cpuPercent());
    }
}
