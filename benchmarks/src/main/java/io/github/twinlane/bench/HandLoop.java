package io.github.twinlane.bench;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The control loops a Java developer writes by hand: a dedicated thread parking until each deadline
 * (skipping lost slots, like twinlane), the same pinned to a reserved core and spinning the last
 * 60 µs (the hand-tuned floor), or a pool's {@code scheduleAtFixedRate} (which runs late cycles in a
 * burst). Lateness recorded with the expected-interval correction, like twinlane's.
 */
final class HandLoop implements IsolationScenario.LoopProbe {
    /** One cycle. */
    interface Task {
        void run(long cycle) throws Exception;
    }

    private final long period;
    private final Task task;
    private final Recorder lateness = new Recorder(60_000_000_000L, 3);
    private final AtomicLong deadlines = new AtomicLong();
    private final AtomicLong missed = new AtomicLong();
    private volatile boolean running = true;
    private long base0;
    private long base1;

    HandLoop(long period, Task task) {
        this.period = period;
        this.task = task;
    }

    void runDedicated() {
        run(0);
    }

    /**
     * The hand-tuned floor: pinned to {@code cpu} with 1 ns timer slack, parks until {@code leadNanos}
     * before each deadline and spins the rest.
     *
     * @param cpu the reserved CPU
     * @param leadNanos how long before the deadline to stop parking
     */
    void runParkThenSpin(int cpu, long leadNanos) {
        Affinity.pinHere(cpu);
        run(leadNanos);
    }

    /** Parks until {@code leadNanos} before each deadline, spins the rest (none when 0), skips lost slots. */
    private void run(long leadNanos) {
        long next = System.nanoTime() + period;
        long k = 0;
        while (running) {
            long now;
            while ((now = System.nanoTime()) - (next - leadNanos) < 0) {
                LockSupport.parkNanos(next - leadNanos - now);
            }
            while ((now = System.nanoTime()) - next < 0) {
                Thread.onSpinWait();
            }
            long late = now - next;
            lateness.recordValueWithExpectedInterval(late, period);
            long lost = late / period;
            missed.addAndGet(lost);
            deadlines.addAndGet(lost + 1);
            next += lost * period;
            try {
                task.run(k++);
            } catch (Exception e) {
                // keep the schedule
            }
            next += period;
        }
    }

    void startFixedRate(ScheduledExecutorService pool) {
        long start = System.nanoTime() + period;
        AtomicLong k = new AtomicLong();
        pool.scheduleAtFixedRate(() -> {
            long c = k.getAndIncrement();
            long late = System.nanoTime() - (start + c * period);
            lateness.recordValueWithExpectedInterval(Math.max(0, late), period);
            deadlines.incrementAndGet();
            if (late >= period) {
                missed.incrementAndGet(); // it ran, but a whole period after its deadline
            }
            try {
                task.run(c);
            } catch (Exception e) {
                // keep going
            }
        }, period, period, TimeUnit.NANOSECONDS);
    }

    void stop() {
        running = false;
    }

    @Override
    public void reset() {
        lateness.reset();
        base0 = deadlines.get();
        base1 = missed.get();
    }

    @Override
    public Histogram interval() {
        return lateness.getIntervalHistogram();
    }

    @Override
    public long[] deadlinesAndMissed() {
        return new long[] {deadlines.get() - base0, missed.get() - base1};
    }
}
