package io.github.twinlane.foxglove;

import io.github.twinlane.Tap;
import io.github.twinlane.internal.SnapshotArray;
import io.github.twinlane.spi.LogLimiter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One advertised channel of the server (a Foxglove "channel"; a topic here, so as not to be confused
 * with a twinlane channel): its schema, its subscribers, and the one thread that feeds it (a tap's, or
 * the server's service). A value is encoded once, only when someone subscribed, then its bytes are
 * shared by every subscriber's frame.
 *
 * @param <E> the values' type
 */
final class ServerTopic<E> {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTopic.class);

    final int id;
    final String topic;
    final TopicCodec<E> codec;
    final String schema;
    private final long intervalNanos;
    private final long epochMinusNano;
    private final ByteBufAllocator alloc;
    private final AtomicLong failures;
    private final LogLimiter errorLog = new LogLimiter(); // the feeding thread only
    private final SnapshotArray<Subscriber> subscribers = new SnapshotArray<>(Subscriber[]::new);
    private long lastEncoded; // the feeding thread only
    private boolean any; // the feeding thread only
    volatile Tap tap; // what feeds it, closed with it; null for the server's own topics
    volatile boolean closed;

    ServerTopic(int id, String topic, TopicCodec<E> codec, long intervalNanos, long epochMinusNano,
                ByteBufAllocator alloc, AtomicLong failures) {
        this.id = id;
        this.topic = topic;
        this.codec = codec;
        this.schema = new String(codec.schema(), java.nio.charset.StandardCharsets.UTF_8);
        this.intervalNanos = intervalNanos;
        this.epochMinusNano = epochMinusNano;
        this.alloc = alloc;
        this.failures = failures;
    }

    /** A viewer's subscription to this topic. */
    static final class Subscriber {
        final Session session;
        final int subscriptionId;
        final ServerTopic<?> topic;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        volatile boolean closed;

        Subscriber(Session session, int subscriptionId, ServerTopic<?> topic) {
            this.session = session;
            this.subscriptionId = subscriptionId;
            this.topic = topic;
        }
    }

    void add(Subscriber s) {
        subscribers.add(s, true);
    }

    void remove(Subscriber s) {
        subscribers.remove(s);
    }

    int subscriberCount() {
        return subscribers.size();
    }

    /**
     * One value, on the topic's one feeding thread: encoded once if anyone subscribed (and, for a
     * thinned topic, if the interval has passed), then offered to every subscriber's queue. Never blocks.
     * A value the codec cannot encode (an exception, or an {@link OutOfMemoryError} such as a direct
     * buffer's) is dropped, counted in {@link FoxgloveStats#encodeFailures()} and logged at most once every
     * 10 s; the next value is encoded afresh.
     *
     * @param value the value, valid during the call
     * @param stampNanos its time, {@link System#nanoTime()} units
     */
    void offer(E value, long stampNanos) {
        Subscriber[] subs = subscribers.get();
        if (subs.length == 0 || closed) {
            return;
        }
        if (intervalNanos > 0) {
            if (any && stampNanos - lastEncoded < intervalNanos) {
                return; // thinned: not encoded at all
            }
            any = true;
            lastEncoded = stampNanos;
        }
        ByteBuf payload = null;
        try {
            try {
                payload = alloc.buffer(256);
                try (ByteBufOutputStream out = new ByteBufOutputStream(payload)) {
                    codec.encode(value, out);
                }
            } catch (java.io.IOException | RuntimeException | OutOfMemoryError e) {
                // one value lost, not the topic: a direct-memory OutOfMemoryError (a frame's buffer) is
                // survivable, and the module's codecs start the next value with a fresh generator
                failures.incrementAndGet();
                long n = errorLog.due();
                if (n > 0) {
                    LOG.error("Live view: could not encode a value of {} with {} ({} such error(s) since the last "
                            + "report): {}", topic, codec.schemaName(), n, e.toString());
                }
                return;
            }
            long epochNanos = stampNanos + epochMinusNano;
            for (Subscriber s : subs) {
                s.session.send(s, payload, epochNanos);
            }
        } finally {
            if (payload != null) {
                payload.release();
            }
        }
    }
}
