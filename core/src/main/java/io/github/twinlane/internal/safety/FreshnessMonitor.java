package io.github.twinlane.internal.safety;

import io.github.twinlane.FreshnessListener;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel's stale-input interlock: data older than {@code maxDataAge} is stale. The supervisor
 * {@link #check}s it and tells the listeners when the data goes stale and when it is fresh again;
 * {@link #fresh} answers any thread.
 *
 * <p>Threading: {@link #check} from the supervisor thread only; the listeners are called through the
 * executor given (the runtime's notifier thread, so that a listener that blocks delays other
 * notifications, never a watchdog); the rest from any thread. Allocation-free except on a transition.
 */
public final class FreshnessMonitor {
    private static final Logger LOG = LoggerFactory.getLogger("io.github.twinlane.safety");
    private final String channel;
    private final long maxAgeNanos;
    private final long startNanos = System.nanoTime();
    private final CopyOnWriteArrayList<FreshnessListener> listeners = new CopyOnWriteArrayList<>();
    private final Executor notifier;
    private boolean stale; // the supervisor's own

    /**
     * Creates the monitor.
     *
     * @param channel the channel's name, for logs and listeners
     * @param maxDataAge the limit; zero for none
     * @param notifier runs the listeners' calls, in order
     */
    public FreshnessMonitor(String channel, Duration maxDataAge, Executor notifier) {
        this.channel = channel;
        this.maxAgeNanos = maxDataAge.toNanos();
        this.notifier = notifier;
    }

    /**
     * Whether the newest data is within the limit (always true without one). Any thread.
     *
     * @param nowNanos the time
     * @param latestDataNanos the newest value's time, or -1 for none yet
     * @return true if fresh
     */
    public boolean fresh(long nowNanos, long latestDataNanos) {
        return maxAgeNanos == 0 || latestDataNanos >= 0 && nowNanos - latestDataNanos <= maxAgeNanos;
    }

    /**
     * The supervisor's check: logs and tells the listeners on a change. Supervisor thread only.
     *
     * @param nowNanos the time
     * @param latestDataNanos the newest value's time, or -1 for none yet (its age then counts from the start)
     */
    public void check(long nowNanos, long latestDataNanos) {
        if (maxAgeNanos == 0) {
            return;
        }
        long age = nowNanos - (latestDataNanos < 0 ? startNanos : latestDataNanos);
        boolean nowStale = age > maxAgeNanos;
        if (nowStale == stale) {
            return;
        }
        stale = nowStale;
        if (nowStale) {
            LOG.warn("Channel '{}': data is stale ({} ms old, limit {} ms)", channel, age / 1_000_000,
                    maxAgeNanos / 1_000_000);
        } else {
            LOG.info("Channel '{}': data is fresh again", channel);
        }
        if (listeners.isEmpty()) {
            return;
        }
        boolean fresh = !nowStale;
        notifier.execute(() -> {
            for (FreshnessListener l : listeners) {
                try {
                    l.onFreshness(channel, fresh, age);
                } catch (Throwable t) {
                    LOG.warn("Freshness listener of channel '{}' threw; ignored: {}", channel, t.toString());
                }
            }
        });
    }

    /** @return the listeners */
    public CopyOnWriteArrayList<FreshnessListener> listeners() {
        return listeners;
    }

    /** @return the check interval this monitor needs (a quarter of the limit, at least 1 ms), 0 without a limit */
    public long checkIntervalNanos() {
        return maxAgeNanos == 0 ? 0 : Math.max(TimeUnit.MILLISECONDS.toNanos(1), maxAgeNanos / 4);
    }
}
