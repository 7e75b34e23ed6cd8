package io.github.twinlane.internal;

import io.github.twinlane.Lane;
import io.github.twinlane.cycle.DutyCycle;
import io.github.twinlane.cycle.DutyCycleRunner;
import io.github.twinlane.cycle.IdleStrategy;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's one supervisor thread, on the fast lane ({@code twinlane-fast-runtime-supervisor}):
 * it trips motor watchdogs and tracks stale inputs, things no lane thread can see while it is
 * blocked or stalled. It starts with the first channel that arms a watchdog or an age limit, wakes
 * as often as the tightest of them needs (a quarter of it, 1 ms to 100 ms), and stops with the runtime.
 */
public final class Supervisor implements DutyCycle {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final long MAX_SLEEP = TimeUnit.MILLISECONDS.toNanos(100);
    private final LaneThreads threads;
    private final SnapshotArray<ChannelCore<?, ?>> watched = new SnapshotArray<>(ChannelCore<?, ?>[]::new);
    private boolean stopped;
    private DutyCycleRunner runner;
    private long sleepNanos = MAX_SLEEP;

    /**
     * Creates the supervisor; its thread starts on the first {@link #watch}.
     *
     * @param threads where its thread comes from
     */
    public Supervisor(LaneThreads threads) {
        this.threads = threads;
    }

    /**
     * Starts watching a channel.
     *
     * @param ch the channel
     */
    public synchronized void watch(ChannelCore<?, ?> ch) {
        watched.add(ch, true);
        if (runner == null && !stopped) {
            runner = threads.run(Lane.FAST, "runtime", "supervisor", this, new UntilNextCheck());
        }
        if (runner != null) {
            runner.wake();
        }
    }

    /**
     * Stops watching a channel (it closed).
     *
     * @param ch the channel
     */
    public synchronized void forget(ChannelCore<?, ?> ch) {
        watched.remove(ch);
    }

    /** One pass over every watched channel; the idle strategy then parks until the earliest next check. */
    @Override
    public int doWork() {
        long now = System.nanoTime();
        long sleep = MAX_SLEEP;
        for (ChannelCore<?, ?> ch : watched.get()) {
            try {
                long want = ch.supervise(now);
                if (want > 0) {
                    sleep = Math.min(sleep, want);
                }
            } catch (Throwable t) {
                LOG.error("Supervisor: checking channel '{}' failed; it keeps watching the others", ch.name(), t);
            }
        }
        sleepNanos = sleep;
        return 0;
    }

    /** Parks until the tightest watched channel wants its next check (a {@link #watch} wakes it early). */
    private final class UntilNextCheck implements IdleStrategy {
        @Override
        public void idle() {
            LockSupport.parkNanos(Supervisor.this, sleepNanos);
        }

        @Override
        public void reset() {
        }
    }

    /**
     * Stops the thread.
     *
     * @param deadlineNanos how long to wait for it
     * @return the thread if still alive then
     */
    public List<Thread> stop(long deadlineNanos) {
        DutyCycleRunner r;
        synchronized (this) {
            stopped = true;
            r = runner;
        }
        if (r == null) {
            return List.of();
        }
        return threads.stop(List.of(r), false, deadlineNanos); // never interrupt a safe-stop write
    }
}
