package io.github.twinlane.internal;

import io.github.twinlane.DataHandler;
import io.github.twinlane.MessageType;
import io.github.twinlane.Tap;
import io.github.twinlane.TapConfig;
import io.github.twinlane.spi.Require;
import java.util.ArrayList;
import java.util.List;

/**
 * A channel's taps, both directions: made here, offered into by the lane (the reader for data, the
 * writer for commands: one producer each), stopped with the channel.
 *
 * @param <C> command type
 * @param <T> data type
 */
final class TapSet<C, T> {
    private final String channel;
    private final LaneThreads threads;
    private final MemoryBudget budget;
    private final MessageType<C> commandType;
    private final MessageType<T> dataType;
    @SuppressWarnings({"unchecked", "rawtypes"})
    private final SnapshotArray<ChannelTap<T>> data = new SnapshotArray<>(n -> new ChannelTap[n]);
    @SuppressWarnings({"unchecked", "rawtypes"})
    private final SnapshotArray<ChannelTap<C>> commands = new SnapshotArray<>(n -> new ChannelTap[n]);
    private boolean closed;

    TapSet(String channel, LaneThreads threads, MemoryBudget budget, MessageType<C> commandType,
           MessageType<T> dataType) {
        this.channel = channel;
        this.threads = threads;
        this.budget = budget;
        this.commandType = commandType;
        this.dataType = dataType;
    }

    Tap tapData(TapConfig config, DataHandler<T> consumer) {
        return add(config, dataType, consumer, data);
    }

    Tap tapCommands(TapConfig config, DataHandler<C> consumer) {
        return add(config, commandType, consumer, commands);
    }

    private synchronized <E> Tap add(TapConfig config, MessageType<E> type, DataHandler<E> consumer,
                                     SnapshotArray<ChannelTap<E>> into) {
        Require.notNull(config, "config", "a TapConfig (TapConfig.of(name))");
        Require.notNull(consumer, "consumer", "a handler for the tapped values");
        if (closed) {
            throw new IllegalStateException("channel '" + channel + "' is closed: tap it before closing");
        }
        if (has(data, config.name()) || has(commands, config.name())) {
            throw new IllegalStateException("channel '" + channel + "' already has a tap named '" + config.name() + "'");
        }
        List<ChannelTap<E>> self = new ArrayList<>(1);
        ChannelTap<E> tap = new ChannelTap<>(channel, config, type, consumer, () -> into.remove(self.get(0)), budget);
        self.add(tap);
        try {
            tap.start(threads);
        } catch (RuntimeException | Error e) {
            tap.close(); // gives its memory back
            throw e;
        }
        into.add(tap, true);
        return tap;
    }

    private static boolean has(SnapshotArray<? extends ChannelTap<?>> taps, String name) {
        for (ChannelTap<?> t : taps.get()) {
            if (t.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** The reading lane thread: a copy into every data tap's ring. Never blocks, allocates nothing. */
    void offerData(T value, long receivedNanos) {
        for (ChannelTap<T> tap : data.get()) {
            tap.offer(value, receivedNanos);
        }
    }

    /**
     * The writing lane thread: a copy into every command tap's ring. Never blocks, allocates nothing.
     *
     * @param command the command just written
     * @param sentNanos when it was sent, or when it was written if {@code sendTimeKnown} is false (the
     *     clock is then read here, and only when something taps the commands)
     * @param sendTimeKnown whether {@code sentNanos} holds the send time
     */
    void offerCommand(C command, long sentNanos, boolean sendTimeKnown) {
        ChannelTap<C>[] taps = commands.get();
        if (taps.length == 0) {
            return;
        }
        long t = sendTimeKnown ? sentNanos : System.nanoTime();
        for (ChannelTap<C> tap : taps) {
            tap.offer(command, t);
        }
    }

    /** @return heap bytes the open taps' rings take */
    long reservedHeapBytes() {
        long n = 0;
        for (ChannelTap<T> tap : data.get()) {
            n += tap.reservedHeapBytes();
        }
        for (ChannelTap<C> tap : commands.get()) {
            n += tap.reservedHeapBytes();
        }
        return n;
    }

    /** @return direct bytes the open taps' rings take */
    long reservedDirectBytes() {
        long n = 0;
        for (ChannelTap<T> tap : data.get()) {
            n += tap.reservedDirectBytes();
        }
        for (ChannelTap<C> tap : commands.get()) {
            n += tap.reservedDirectBytes();
        }
        return n;
    }

    /**
     * Stops every tap (no new ones after this) by a deadline.
     *
     * @return tap threads still alive then
     */
    List<Thread> stopAll(long deadlineNanos) {
        synchronized (this) {
            closed = true;
        }
        List<Thread> alive = new ArrayList<>();
        for (ChannelTap<T> tap : data.get()) {
            alive.addAll(tap.stop(deadlineNanos));
        }
        for (ChannelTap<C> tap : commands.get()) {
            alive.addAll(tap.stop(deadlineNanos));
        }
        return alive;
    }
}
