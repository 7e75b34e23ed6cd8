package io.github.twinlane.foxglove;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One viewer's outbound queue, bounded in bytes and in messages: every message the server sends a viewer
 * (values, time, advertisements, status replies) is offered here first, and written to the connection
 * only if it fits. The messages themselves wait where Netty keeps them (its write tasks and the
 * connection's outbound buffer); this class counts them from the offer until Netty has handed them to
 * the socket, so neither count can pass its bound, whatever number of threads offer at once.
 *
 * <p>Netty's own writability (its water marks) is a flag read before a write: several topic threads that
 * read it at once each add a message past the mark, and it counts no messages, so ten thousand status
 * replies of a hundred bytes stay under any byte mark while their bookkeeping fills the heap. Hence the
 * count here, with Netty's hysteresis: once full, the queue refuses everything until it has drained to
 * half of both bounds, so a viewer that reads, however slowly, gets bursts of fresh values and a full
 * queue means a viewer that drains nothing.
 *
 * <p>A refused message is dropped and counted by why ({@link #droppedOverBytes}, {@link #droppedOverMessages});
 * the caller counts it by what it was. A message larger than the byte bound is sent only into an empty
 * queue, alone: the bound of queued bytes is the larger of {@link FoxgloveConfig#clientBufferBytes()} and
 * the largest single message.
 *
 * <p>Threading: {@link #offer} under the owning {@link Session}'s lock (any thread); completions on the
 * event loop, lock-free. Allocates one promise and one listener per message sent, nothing per message
 * refused.
 */
final class OutboundQueue {
    private final Channel channel;
    private final long maxBytes;
    private final long maxMessages;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong droppedOverBytes = new AtomicLong();
    private final AtomicLong droppedOverMessages = new AtomicLong();
    private long peakBytes; // under the session's lock
    private long peakMessages; // under the session's lock
    private volatile long fullSince; // System.nanoTime() when it filled, 0 while it accepts

    OutboundQueue(Channel channel, int maxBytes, int maxMessages) {
        this.channel = channel;
        this.maxBytes = maxBytes;
        this.maxMessages = maxMessages;
    }

    /**
     * Writes {@code frame} if it fits, or releases it. Under the session's lock.
     *
     * @param frame the message, owned by this call
     * @return whether it was queued (false: dropped and counted here by why)
     */
    boolean offer(WebSocketFrame frame) {
        int size = frame.content().readableBytes();
        long b = bytes.get();
        long m = messages.get();
        boolean overMessages = m + 1 > maxMessages;
        boolean overBytes = m > 0 && b + size > maxBytes;
        if (fullSince != 0 || overMessages || overBytes) {
            if (fullSince == 0) {
                fullSince = Math.max(1, System.nanoTime());
            }
            (overMessages && !overBytes ? droppedOverMessages : droppedOverBytes).incrementAndGet();
            frame.release();
            return false;
        }
        b = bytes.addAndGet(size);
        m = messages.incrementAndGet();
        peakBytes = Math.max(peakBytes, b);
        peakMessages = Math.max(peakMessages, m);
        ChannelPromise done = channel.newPromise();
        done.addListener(f -> sent(size));
        channel.writeAndFlush(frame, done);
        return true;
    }

    /** A message left Netty (written to the socket, or failed with the connection). Event loop. */
    private void sent(int size) {
        long b = bytes.addAndGet(-size);
        long m = messages.decrementAndGet();
        if (fullSince != 0 && b <= maxBytes / 2 && m <= maxMessages / 2) {
            fullSince = 0; // drained to half: it accepts again
        }
    }

    /** @return how long it has refused everything, in nanoseconds, 0 while it accepts. Any thread */
    long fullFor(long nowNanos) {
        long since = fullSince;
        return since == 0 ? 0 : Math.max(1, nowNanos - since);
    }

    long bytes() {
        return bytes.get();
    }

    long messages() {
        return messages.get();
    }

    long droppedOverBytes() {
        return droppedOverBytes.get();
    }

    long droppedOverMessages() {
        return droppedOverMessages.get();
    }

    /** Under the session's lock. */
    long peakBytes() {
        return peakBytes;
    }

    /** Under the session's lock. */
    long peakMessages() {
        return peakMessages;
    }
}
