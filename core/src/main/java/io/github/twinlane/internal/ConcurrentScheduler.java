package io.github.twinlane.internal;

import io.github.twinlane.Lane;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slow lane: a few loop threads (default one) that take turns running many channels. Each
 * channel is pinned to one loop (the least loaded when it opens), so its handlers never run
 * concurrently with themselves. A loop with nothing to do parks until a reader or sender wakes it,
 * or 10 ms pass (reopen timers).
 */
public final class ConcurrentScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(ConcurrentScheduler.class);
    private static final long IDLE_PARK = TimeUnit.MILLISECONDS.toNanos(10);
    private final Loop[] loops;
    private final LaneThreads threads;

    /**
     * Creates the scheduler; loops start on the first channel.
     *
     * @param loopThreads how many loop threads
     * @param threads where they come from
     */
    public ConcurrentScheduler(int loopThreads, LaneThreads threads) {
        this.threads = threads;
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
            if (l.channels.length < best.channels.length) {
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
        List<Thread> started = new ArrayList<>();
        for (Loop l : loops) {
            l.running = false;
            if (l.thread != null) {
                l.thread.interrupt(); // a handler blocked in sleep or I/O must not hold the loop past close
                started.add(l.thread);
            }
        }
        return threads.join(started, deadlineNanos);
    }

    /** One loop thread and the channels it runs. */
    public final class Loop implements Runnable {
        private final int index;
        private volatile SlowChannel<?, ?>[] channels = new SlowChannel<?, ?>[0];
        private volatile boolean running = true;
        private volatile Thread thread;

        Loop(int index) {
            this.index = index;
        }

        private synchronized void ensureStarted() {
            if (thread == null) {
                thread = threads.start(Lane.SLOW, "loop" + index, "run", this);
            }
        }

        synchronized void add(SlowChannel<?, ?> ch) {
            SlowChannel<?, ?>[] next = Arrays.copyOf(channels, channels.length + 1);
            next[next.length - 1] = ch;
            channels = next;
            wake();
        }

        synchronized void remove(SlowChannel<?, ?> ch) {
            channels = Arrays.stream(channels).filter(c -> c != ch).toArray(SlowChannel<?, ?>[]::new);
        }

        /** Wakes the loop if it is parked. Any thread. */
        void wake() {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }

        @Override
        public void run() {
            while (running) {
                long now = System.nanoTime();
                int work = 0;
                for (SlowChannel<?, ?> ch : channels) {
                    try {
                        work += ch.doWork(now);
                    } catch (Throwable t) {
                        LOG.error("Slow-lane loop {}: channel '{}' failed in its duty cycle; the loop keeps "
                                + "running", index, ch.name(), t);
                    }
                }
                if (work == 0) {
                    LockSupport.parkNanos(this, IDLE_PARK);
                }
                if (!running) {
                    break;
                }
                Thread.interrupted(); // an interrupt meant for a handler must not leak into the next one
            }
        }
    }
}
