package io.github.twinlane.internal;

import io.github.twinlane.Lane;
import java.util.List;
import java.util.Arrays;
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
public final class Supervisor implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final long MAX_SLEEP = TimeUnit.MILLISECONDS.toNanos(100);
    private final LaneThreads threads;
    // an array snapshot, not a CopyOnWriteArrayList: iterating that allocates an iterator every pass
    private volatile ChannelCore<?, ?>[] watched = new ChannelCore<?, ?>[0];
    private volatile boolean running = true;
    private volatile Thread thread;

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
        if (!Arrays.asList(watched).contains(ch)) {
            ChannelCore<?, ?>[] next = Arrays.copyOf(watched, watched.length + 1);
            next[next.length - 1] = ch;
            watched = next;
        }
        if (thread == null && running) {
            thread = threads.start(Lane.FAST, "runtime", "supervisor", this);
        }
        LockSupport.unpark(thread);
    }

    /**
     * Stops watching a channel (it closed).
     *
     * @param ch the channel
     */
    public synchronized void forget(ChannelCore<?, ?> ch) {
        watched = Arrays.stream(watched).filter(c -> c != ch).toArray(ChannelCore<?, ?>[]::new);
    }

    @Override
    public void run() {
        while (running) {
            long now = System.nanoTime();
            long sleep = MAX_SLEEP;
            for (ChannelCore<?, ?> ch : watched) {
                try {
                    long want = ch.supervise(now);
                    if (want > 0) {
                        sleep = Math.min(sleep, want);
                    }
                } catch (Throwable t) {
                    LOG.error("Supervisor: checking channel '{}' failed; it keeps watching the others", ch.name(), t);
                }
            }
            LockSupport.parkNanos(this, sleep);
        }
    }

    /**
     * Stops the thread.
     *
     * @param deadlineNanos how long to wait for it
     * @return the thread if still alive then
     */
    public List<Thread> stop(long deadlineNanos) {
        running = false;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null) {
            return List.of();
        }
        LockSupport.unpark(t);
        return threads.join(List.of(t), deadlineNanos);
    }
}
