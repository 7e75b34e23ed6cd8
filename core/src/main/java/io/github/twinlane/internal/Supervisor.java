package io.github.twinlane.internal;

import io.github.twinlane.Lane;
import io.github.twinlane.cycle.DutyCycle;
import io.github.twinlane.cycle.DutyCycleRunner;
import io.github.twinlane.cycle.IdleStrategy;
import io.github.twinlane.spi.LogLimiter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
    private static final int NOTIFICATIONS = 256;
    private final LaneThreads threads;
    private final ArrayBlockingQueue<Runnable> notifications = new ArrayBlockingQueue<>(NOTIFICATIONS);
    private final AtomicLong notificationsDropped = new AtomicLong();
    private final LogLimiter droppedLog = new LogLimiter(); // the supervisor's
    private DutyCycleRunner notifier; // guarded by this
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

    /**
     * Runs a listener's call on the runtime's notifier thread ({@code twinlane-slow-runtime-notify}, started
     * on first use), in order, so that a listener that blocks never holds the supervisor and every other
     * channel's watchdog. At most {@value #NOTIFICATIONS} wait; past that a call is dropped, counted and
     * logged. Never blocks.
     *
     * @param call the listeners' call
     */
    public void notify(Runnable call) {
        DutyCycleRunner n;
        synchronized (this) {
            if (notifier == null && !stopped) {
                notifier = threads.run(Lane.SLOW, "runtime", "notify", this::notifyOnce, new Parked());
            }
            n = stopped ? null : notifier; // a call queued after stop would never run: dropped and counted instead
        }
        if (n == null || !notifications.offer(call)) {
            long d = notificationsDropped.incrementAndGet();
            long since;
            synchronized (droppedLog) {
                since = droppedLog.due();
            }
            if (since > 0) {
                LOG.error("Supervisor: a freshness notification was dropped (#{}, {} since the last such line): {} are "
                        + "waiting for a listener that does not return, or the runtime is closing", d, since, NOTIFICATIONS);
            }
            return;
        }
        n.wake();
    }

    private int notifyOnce() {
        int n = 0;
        Runnable r;
        while (n < 16 && (r = notifications.poll()) != null) {
            try {
                r.run();
            } catch (Throwable t) {
                LOG.warn("Supervisor: a listener's call threw; ignored: {}", t.toString());
            }
            n++;
        }
        return n;
    }

    /** The notifier's wait: parked until woken, 100 ms at most. */
    private static final class Parked implements IdleStrategy {
        @Override
        public void idle() {
            LockSupport.parkNanos(this, MAX_SLEEP);
        }

        @Override
        public void reset() {
        }
    }

    /** @return listener calls dropped because the notifier's queue was full (or it was stopped) */
    public long notificationsDropped() {
        return notificationsDropped.get();
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
        DutyCycleRunner n;
        synchronized (this) {
            stopped = true;
            r = runner;
            n = notifier;
        }
        List<Thread> alive = new ArrayList<>();
        if (r != null) {
            alive.addAll(threads.stop(List.of(r), false, deadlineNanos));
        }
        if (n != null) {
            alive.addAll(threads.stop(List.of(n), true, deadlineNanos)); // a listener blocked in a sleep must not hold close
        }
        return alive;
    }
}
