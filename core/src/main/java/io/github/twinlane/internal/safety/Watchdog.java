package io.github.twinlane.internal.safety;

import io.github.twinlane.Durations;
import io.github.twinlane.MessageType;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A channel's motor watchdog: senders feed it with the time of each command the channel accepted; the
 * supervisor asks it whether it is {@link #due} and, if so, has the safe command written.
 *
 * <p>It trips once per feed: the trip remembers the feed time it judged stale, so a sender never has to
 * clear a "tripped" flag. (A flag cleared by senders and set by the supervisor can disarm the watchdog:
 * the supervisor reads an old feed, a sender feeds and clears the flag, the supervisor sets it, and no
 * trip follows until the next send.) A feed after a trip is a new feed time, so the next stall trips
 * again.
 *
 * <p>Threading: {@link #feed} from any sender thread (one release store, no fence, no allocation);
 * {@link #due} from the supervisor thread only; {@link #arm} and {@link #restart} from any thread.
 *
 * @param <C> command type
 */
public final class Watchdog<C> {
    private final MessageType<C> type;
    // a release store per feed (lazySet), not a volatile write whose full fence would be the costliest
    // instruction of a send; the supervisor reads it at most a few µs late
    private final AtomicLong lastFeedNanos = new AtomicLong(System.nanoTime());
    private volatile long timeoutNanos;
    private volatile C safeCommand;
    private long trippedFeed = Long.MIN_VALUE; // the supervisor's own
    private boolean everTripped; // the supervisor's own
    private volatile boolean tripAgain; // a trip's safe command was not written: the same stale feed trips again
    private final AtomicLong trips = new AtomicLong();

    /**
     * Creates an unarmed watchdog.
     *
     * @param type the command type, for the safe command's storage
     */
    public Watchdog(MessageType<C> type) {
        this.type = type;
    }

    /**
     * Arms it, or changes its timeout and safe command. The first arming starts the feed now; arming again
     * is not a feed (a thread that refreshes the safe command must not keep a stalled sender's watchdog
     * from tripping).
     *
     * @param feedTimeout the longest gap between accepted commands, 1 ms to 60 s
     * @param fill fills the safe command; called once, now
     * @throws IllegalArgumentException if the timeout is out of range
     */
    public void arm(Duration feedTimeout, Consumer<C> fill) {
        if (feedTimeout == null || feedTimeout.toMillis() < 1 || feedTimeout.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("feedTimeout must be from 1 ms to 60 s, was " + Durations.human(feedTimeout));
        }
        C safe = type.newInstance();
        fill.accept(safe);
        safeCommand = safe;
        if (timeoutNanos == 0) {
            lastFeedNanos.set(System.nanoTime());
        }
        timeoutNanos = feedTimeout.toNanos();
    }

    /** @return whether armed */
    public boolean armed() {
        return timeoutNanos > 0;
    }

    /** @return the safe command, or null when not armed; never modified after arming */
    public C safeCommand() {
        return safeCommand;
    }

    /**
     * A command was accepted at {@code nowNanos}. Any sender thread; one release store.
     *
     * @param nowNanos its send time
     */
    public void feed(long nowNanos) {
        lastFeedNanos.lazySet(nowNanos);
    }

    /**
     * Starts the feed again from now (an emergency stop was released: the loop gets a whole timeout).
     *
     * @param nowNanos the time
     */
    public void restart(long nowNanos) {
        lastFeedNanos.set(nowNanos);
    }

    /**
     * The supervisor's question: has the feed been silent for longer than the timeout, for a feed
     * that has not tripped yet? True once per such feed. Supervisor thread only.
     *
     * @param nowNanos the time
     * @return true if the safe command must be written now
     */
    public boolean due(long nowNanos) {
        long timeout = timeoutNanos;
        if (timeout == 0) {
            return false;
        }
        if (tripAgain) {
            tripAgain = false;
            everTripped = false;
        }
        long feed = lastFeedNanos.get();
        if (nowNanos - feed <= timeout || everTripped && feed == trippedFeed) {
            return false;
        }
        trippedFeed = feed;
        everTripped = true;
        trips.incrementAndGet();
        return true;
    }

    /**
     * The safe command of the last trip was not written (its write failed, the device went down before
     * it): the same stale feed trips again at the next check the device is open for. Any thread.
     */
    public void tripAgain() {
        tripAgain = true;
    }

    /** @return times {@link #due} said yes */
    public long trips() {
        return trips.get();
    }

    /** @return the supervisor's check interval this watchdog needs (a quarter of its timeout, at least 1 ms), 0 unarmed */
    public long checkIntervalNanos() {
        long t = timeoutNanos;
        return t == 0 ? 0 : Math.max(TimeUnit.MILLISECONDS.toNanos(1), t / 4);
    }
}
