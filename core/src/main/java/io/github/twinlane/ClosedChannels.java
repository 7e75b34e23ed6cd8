package io.github.twinlane;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The final statistics of the most recently closed channels, bounded: a runtime that opens and
 * closes channels for days keeps the last {@link #KEPT}, not all of them. Thread-safe.
 */
final class ClosedChannels {
    /** How many closed channels' statistics a runtime keeps. */
    static final int KEPT = 32;

    private final int limit;
    private final ArrayDeque<ChannelStats> kept = new ArrayDeque<>();

    ClosedChannels(int limit) {
        this.limit = limit;
    }

    synchronized void add(ChannelStats finalStats) {
        if (kept.size() == limit) {
            kept.removeFirst();
        }
        kept.addLast(finalStats);
    }

    synchronized List<ChannelStats> snapshot() {
        return new ArrayList<>(kept);
    }
}
