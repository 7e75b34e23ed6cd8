package io.github.twinlane.internal;

import io.github.twinlane.Lane;
import io.github.twinlane.cycle.DutyCycle;
import io.github.twinlane.cycle.DutyCycleRunner;
import io.github.twinlane.cycle.SleepingIdleStrategy;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The concurrent scheduler's machinery: a few loop threads that take turns running many channels.
 * Each channel is pinned to one loop (the least loaded when it opens), so its handlers never run
 * concurrently with themselves. A loop with nothing to do parks until a reader or sender wakes it,
 * or its idle park passes (reopen timers).
 */
public final class LoopGroup {
    private static final Logger LOG = LoggerFactory.getLogger(LoopGroup.class);
    private final java.time.Duration idlePark;
    private final Loop[] loops;
    private final LaneThreads threads;

    /**
     * Creates the group; loops start on the first channel.
     *
     * @param loopThreads how many loop threads
     * @param idlePark the longest park of an idle loop
     * @param threads where they come from
     */
    public LoopGroup(int loopThreads, java.time.Duration idlePark, LaneThreads threads) {
        this.threads = threads;
        this.idlePark = idlePark;
        this.loops = new Loop[loopThreads];
        for (int i = 0; i < loopThreads; i++) {
            loops[i] = new Loop(i);
        }
    }

    /**
     * The loop with the fewest channels, started if it was not yet.
     *
     * @return a running loop
     */
    public synchronized Loop leastLoaded() {
        Loop best = loops[0];
        for (Loop l : loops) {
            if (l.channels.size() < best.channels.size()) {
                best = l;
            }
        }
        best.ensureStarted();
        return best;
    }

    /**
     * Stops every loop and waits until the deadline.
     *
     * @param deadlineNanos the deadline
     * @return loop threads still alive
     */
    public List<Thread> stop(long deadlineNanos) {
        List<DutyCycleRunner> started = new ArrayList<>();
        for (Loop l : loops) {
            synchronized (l) {
                l.stopped = true;
                started.add(l.runner);
            }
        }
        // interrupted too: a handler blocked in sleep or I/O must not hold the loop past close
        return threads.stop(started, true, deadlineNanos);
    }

    /** One loop thread and the channels it runs: a duty cycle over every channel's duty cycle. */
    public final class Loop implements DutyCycle {
        private final int index;
        private final SnapshotArray<SlowChannel<?, ?>> channels = new SnapshotArray<>(SlowChannel<?, ?>[]::new);
        private boolean stopped;
        private volatile DutyCycleRunner runner;

        Loop(int index) {
            this.index = index;
        }

        private synchronized void ensureStarted() {
            if (runner == null && !stopped) {
                // parks idlePark at most (reopen timers); a reader or sender wakes it at once
                runner = threads.run(Lane.SLOW, "loop" + index, "run", this, new SleepingIdleStrategy(idlePark));
            }
        }

        synchronized void add(SlowChannel<?, ?> ch) {
            channels.add(ch, true);
            wake();
        }

        synchronized void remove(SlowChannel<?, ?> ch) {
            channels.remove(ch);
        }

        /** Wakes the loop if it is parked. Any thread. */
        void wake() {
            DutyCycleRunner r = runner;
            if (r != null) {
                r.wake();
            }
        }

        @Override
        public int doWork() {
            long now = System.nanoTime();
            int work = 0;
            for (SlowChannel<?, ?> ch : channels.get()) {
                try {
                    work += ch.doWork(now);
                } catch (Throwable t) {
                    LOG.error("Slow-lane loop {}: channel '{}' failed in its duty cycle; the loop keeps "
                            + "running", index, ch.name(), t);
                }
            }
            return work;
        }
    }
}
