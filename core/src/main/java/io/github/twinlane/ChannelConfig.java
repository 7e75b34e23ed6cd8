package io.github.twinlane;

import io.github.twinlane.spi.Require;
import java.time.Duration;
import java.util.Objects;

/**
 * How one channel runs: its lane, queue policies and sizes, how its fast-lane threads wait, and how
 * it reconnects. Immutable; built by {@link #fast(String)} or {@link #slow(String)}, whose builder
 * rejects every invalid value with a message naming the field and the allowed range.
 *
 * @param name the channel's name, used in logs, statistics and thread names
 * @param lane the lane the channel runs on
 * @param dataPolicy what happens when handlers fall behind the device
 * @param commandPolicy what happens when the device writer falls behind {@code send}
 * @param capacity slots per direction (a power of two); each slot is one preallocated message
 * @param blockTimeout the longest {@code send} waits under {@link BackpressurePolicy#BLOCK}
 * @param dataWaitMode how the fast-lane dispatcher thread waits for data; {@code BLOCKING} on the slow lane
 * @param commandWaitMode how the fast-lane writer thread waits for commands; {@code BLOCKING} on the slow lane
 * @param backoff delays between reopen attempts
 * @param maxReconnectAttempts reopen attempts in a row before {@link ChannelState#FAILED}; 0 = never give up
 * @param maxDataAge the stale-input interlock: data older than this is stale ({@link DeviceChannel#fresh()},
 *     {@link FreshnessListener}); zero for no limit
 * @param placement where the fast lane runs the channel's duty cycles; {@link Placement#SCHEDULER} on the slow lane
 * @param latencyRecording whether every value and command records its hand-off latency (on by default):
 *     off, a send takes no timestamp unless the watchdog is armed, nothing is recorded per value, and
 *     {@link ChannelStats#dataLatency()} and {@link ChannelStats#commandLatency()} stay empty; command taps
 *     then see the time each command was written instead of the time it was sent
 * @param writeTimeout the longest one device write may take, 1 ms to 60 s (default 500 ms): a write still in
 *     progress after it is a stuck device, and the channel goes {@link ChannelState#FAILED} with a
 *     {@link DeviceStuckException} and closes its driver to unblock the write; an emergency stop and the safe
 *     command at close wait at most twice this long for the device
 * @param maxBytes the most memory (heap and direct) the channel's preallocated messages may take: its two
 *     rings of {@code capacity} slots, their spare slots and its latest-value copies, each slot counted as
 *     its {@link MessageType#heapBytes} plus {@link MessageType#directBytes}. Opening a channel whose
 *     slots would take more is refused, naming what it would take. From 1 KiB to 16 GiB; by default
 *     {@link #DEFAULT_FAST_MAX_BYTES} on the fast lane, {@link #DEFAULT_SLOW_MAX_BYTES} on the slow lane
 */
public record ChannelConfig(String name, Lane lane, BackpressurePolicy dataPolicy,
                            BackpressurePolicy commandPolicy, int capacity, Duration blockTimeout,
                            WaitMode dataWaitMode, WaitMode commandWaitMode, Backoff backoff, int maxReconnectAttempts,
                            Duration maxDataAge, Placement placement, boolean latencyRecording,
                            Duration writeTimeout, long maxBytes) {

    /** The largest {@link #capacity()}. */
    public static final int MAX_CAPACITY = 1 << 16;
    /** The longest {@link #blockTimeout()}. */
    public static final Duration MAX_BLOCK_TIMEOUT = Duration.ofSeconds(10);
    /** The default {@link #writeTimeout()}. */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofMillis(500);
    /** The default {@link #maxBytes()} of a fast-lane channel: 64 MiB (1,024 small commands take well under 1 MiB). */
    public static final long DEFAULT_FAST_MAX_BYTES = 64L << 20;
    /** The default {@link #maxBytes()} of a slow-lane channel: 256 MiB (four 1080p frames in each slot take about 75 MiB). */
    public static final long DEFAULT_SLOW_MAX_BYTES = 256L << 20;
    /** The smallest {@link #maxBytes()}. */
    public static final long MIN_MAX_BYTES = 1L << 10;
    /** The largest {@link #maxBytes()}. */
    public static final long MAX_MAX_BYTES = 16L << 30;

    /**
     * Validates every field.
     *
     * @throws IllegalArgumentException naming the field, the allowed range and the value given
     */
    public ChannelConfig {
        if (name == null || name.isBlank() || name.length() > 64) {
            throw new IllegalArgumentException(
                    "name must be 1 to 64 characters and not blank, was " + Require.quoted(name));
        }
        Require.notNull(lane, "lane", "FAST or SLOW");
        Require.notNull(dataPolicy, "dataPolicy", "one of LATEST, DROP_OLDEST, DROP_NEWEST, BLOCK");
        Require.notNull(commandPolicy, "commandPolicy", "one of LATEST, DROP_OLDEST, DROP_NEWEST, BLOCK");
        if (capacity < 2 || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two from 2 to "
                    + MAX_CAPACITY + ", was " + capacity);
        }
        if (blockTimeout == null || blockTimeout.isNegative() || blockTimeout.isZero()
                || blockTimeout.compareTo(MAX_BLOCK_TIMEOUT) > 0) {
            throw new IllegalArgumentException("blockTimeout must be more than 0 and at most "
                    + Durations.human(MAX_BLOCK_TIMEOUT) + ", was " + Durations.human(blockTimeout));
        }
        Require.notNull(dataWaitMode, "dataWaitMode", "one of BLOCKING, SLEEPING, YIELDING, BUSY_SPIN");
        Require.notNull(commandWaitMode, "commandWaitMode", "one of BLOCKING, SLEEPING, YIELDING, BUSY_SPIN");
        Require.notNull(backoff, "backoff", "set (Backoff.DEFAULT: 50 ms to 2 s)");
        if (lane == Lane.SLOW && (dataWaitMode != WaitMode.BLOCKING || commandWaitMode != WaitMode.BLOCKING)) {
            throw new IllegalArgumentException("wait modes apply to the fast lane only: a slow channel's must be "
                    + "BLOCKING (its loop threads wait as the concurrent scheduler decides), was data "
                    + dataWaitMode + ", commands " + commandWaitMode);
        }
        Require.notNull(placement, "placement", "SCHEDULER or IN_LOOP");
        if (lane == Lane.SLOW && placement != Placement.SCHEDULER) {
            throw new IllegalArgumentException("placement applies to the fast lane only: a slow channel's must be "
                    + "SCHEDULER (the concurrent scheduler's loop threads run it), was " + placement);
        }
        if (placement == Placement.IN_LOOP && (dataWaitMode != WaitMode.BLOCKING || commandWaitMode != WaitMode.BLOCKING)) {
            throw new IllegalArgumentException("wait modes do not apply to an IN_LOOP channel (its loop's deadline is "
                    + "its wait): leave them BLOCKING or use Placement.SCHEDULER, was data " + dataWaitMode
                    + ", commands " + commandWaitMode);
        }
        if (maxReconnectAttempts < 0) {
            throw new IllegalArgumentException(
                    "maxReconnectAttempts must be 0 (never give up) or more, was " + maxReconnectAttempts);
        }
        if (maxDataAge == null || maxDataAge.isNegative() || !maxDataAge.isZero()
                && (maxDataAge.toMillis() < 1 || maxDataAge.compareTo(Duration.ofHours(1)) > 0)) {
            throw new IllegalArgumentException("maxDataAge must be 0 (no limit) or from 1 ms to 1 h, was " + Durations.human(maxDataAge));
        }
        if (writeTimeout == null || writeTimeout.toMillis() < 1 || writeTimeout.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("writeTimeout must be from 1 ms to 60 s, was " + Durations.human(writeTimeout));
        }
        if (maxBytes < MIN_MAX_BYTES || maxBytes > MAX_MAX_BYTES) {
            throw new IllegalArgumentException("maxBytes must be from 1 KiB to 16 GiB, was " + maxBytes);
        }
    }

    /**
     * A builder for a fast-lane channel: capacity 1024, {@link BackpressurePolicy#LATEST} both ways,
     * {@link WaitMode#BLOCKING}.
     *
     * @param name the channel's name
     * @return a builder
     */
    public static FastBuilder fast(String name) {
        return new FastBuilder(name);
    }

    /**
     * A builder for a slow-lane channel: capacity 4 (slots may be megabyte frames),
     * {@link BackpressurePolicy#LATEST} both ways.
     *
     * @param name the channel's name
     * @return a builder
     */
    public static SlowBuilder slow(String name) {
        return new SlowBuilder(name);
    }

    /**
     * Builds a {@link ChannelConfig}; every setter's value is checked by {@link #build()}. The lane's
     * own builder ({@link FastBuilder}, {@link SlowBuilder}) has only the settings that lane uses.
     *
     * @param <B> the lane's builder, returned by every setter
     */
    public abstract static sealed class Builder<B extends Builder<B>> permits FastBuilder, SlowBuilder {
        private final String name;
        private final Lane lane;
        private BackpressurePolicy dataPolicy = BackpressurePolicy.LATEST;
        private BackpressurePolicy commandPolicy = BackpressurePolicy.LATEST;
        private int capacity;
        private Duration blockTimeout = Duration.ofMillis(10);
        WaitMode dataWaitMode = WaitMode.BLOCKING;
        WaitMode commandWaitMode = WaitMode.BLOCKING;
        Placement placement = Placement.SCHEDULER;
        private Backoff backoff = Backoff.DEFAULT;
        private int maxReconnectAttempts;
        private Duration maxDataAge = Duration.ZERO;
        private boolean latencyRecording = true;
        private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
        private long maxBytes;

        Builder(String name, Lane lane, int capacity) {
            this.name = name;
            this.lane = lane;
            this.capacity = capacity;
            this.maxBytes = lane == Lane.FAST ? DEFAULT_FAST_MAX_BYTES : DEFAULT_SLOW_MAX_BYTES;
        }

        /**
         * Sets the data policy.
         *
         * @param policy the policy
         * @return this
         */
        public B dataPolicy(BackpressurePolicy policy) {
            this.dataPolicy = policy;
            return self();
        }

        /**
         * Sets the command policy.
         *
         * @param policy the policy
         * @return this
         */
        public B commandPolicy(BackpressurePolicy policy) {
            this.commandPolicy = policy;
            return self();
        }

        /**
         * Sets the slots per direction.
         *
         * @param slots a power of two from 2 to {@link #MAX_CAPACITY}
         * @return this
         */
        public B capacity(int slots) {
            this.capacity = slots;
            return self();
        }

        /**
         * Sets the longest wait under {@link BackpressurePolicy#BLOCK}.
         *
         * @param timeout more than 0, at most {@link #MAX_BLOCK_TIMEOUT}
         * @return this
         */
        public B blockTimeout(Duration timeout) {
            this.blockTimeout = timeout;
            return self();
        }

        /**
         * Sets the reopen backoff.
         *
         * @param value the backoff
         * @return this
         */
        public B backoff(Backoff value) {
            this.backoff = value;
            return self();
        }

        /**
         * Sets the reopen attempts in a row before giving up.
         *
         * @param attempts 0 to never give up, or more
         * @return this
         */
        public B maxReconnectAttempts(int attempts) {
            this.maxReconnectAttempts = attempts;
            return self();
        }

        /**
         * Sets the stale-input interlock.
         *
         * @param age 0 for none, or 1 ms to 1 h
         * @return this
         */
        public B maxDataAge(Duration age) {
            this.maxDataAge = age;
            return self();
        }

        /**
         * Sets whether the channel records the latency of every value and command (on by default).
         * Off saves a clock read per send and a histogram update per value; the summary then shows no
         * latencies for this channel.
         *
         * @param on false to record none
         * @return this
         */
        public B latencyRecording(boolean on) {
            this.latencyRecording = on;
            return self();
        }

        /**
         * The longest one device write may take before the device counts as stuck: the channel then goes
         * {@link ChannelState#FAILED} (a {@link DeviceStuckException} names the device and the write) and its
         * driver is closed to unblock the write. An emergency stop and the safe command at close wait at most
         * twice this long. Default 500 ms; make it longer than the slowest healthy write (a Modbus
         * transaction with its timeout, a long frame at a low baud rate).
         *
         * @param timeout 1 ms to 60 s
         * @return this builder
         */
        public B writeTimeout(Duration timeout) {
            this.writeTimeout = timeout;
            return self();
        }

        /**
         * The most memory the channel's preallocated messages may take (see {@link ChannelConfig#maxBytes()}):
         * raise it for large frames, or lower {@link #capacity} instead.
         *
         * @param bytes from 1 KiB to 16 GiB
         * @return this builder
         */
        public B maxBytes(long bytes) {
            this.maxBytes = bytes;
            return self();
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the first invalid field
         */
        public ChannelConfig build() {
            return new ChannelConfig(name, lane, dataPolicy, commandPolicy, capacity, blockTimeout,
                    dataWaitMode, commandWaitMode, backoff, maxReconnectAttempts, maxDataAge, placement,
                    latencyRecording, writeTimeout, maxBytes);
        }
    }

    /** The fast lane's builder: also how its dispatcher and writer threads wait, and where its duty cycles run. */
    public static final class FastBuilder extends Builder<FastBuilder> {
        FastBuilder(String name) {
            super(name, Lane.FAST, 1024);
        }

        /**
         * Sets how both fast-lane consumer threads (dispatcher and writer) wait.
         *
         * @param mode the wait mode
         * @return this
         */
        public FastBuilder waitMode(WaitMode mode) {
            dataWaitMode = mode;
            commandWaitMode = mode;
            return this;
        }

        /**
         * Sets how the dispatcher thread waits for data. On 2 cores spin at most one thread.
         *
         * @param mode the wait mode
         * @return this
         */
        public FastBuilder dataWaitMode(WaitMode mode) {
            dataWaitMode = mode;
            return this;
        }

        /**
         * Sets how the writer thread waits for commands. On 2 cores spin at most one thread.
         *
         * @param mode the wait mode
         * @return this
         */
        public FastBuilder commandWaitMode(WaitMode mode) {
            commandWaitMode = mode;
            return this;
        }

        /**
         * Sets where the channel's reader, dispatcher and writer run: on threads of their own (the
         * default) or {@link Placement#IN_LOOP}, on the thread of the periodic loop that drives the
         * channel. Wait modes do not apply in a loop (the loop's deadline is its wait).
         *
         * @param where the placement
         * @return this
         */
        public FastBuilder placement(Placement where) {
            placement = where;
            return this;
        }
    }

    /** The slow lane's builder: its loop threads wait as the concurrent scheduler decides, so no wait modes. */
    public static final class SlowBuilder extends Builder<SlowBuilder> {
        SlowBuilder(String name) {
            super(name, Lane.SLOW, 4);
        }
    }
}
