package io.github.twinlane.foxglove;

import java.util.List;

/**
 * A live view's counters. Per viewer and topic, every value the server had for it is either sent or
 * dropped (the viewer's queue was full: it read too slowly) or thinned (a JPEG-compressed topic's frames
 * come at most once per image interval).
 *
 * @param url where viewers connect
 * @param connections connections accepted since start
 * @param rejectedHandshakes connections refused at the handshake (wrong path or token, no
 *     {@code foxglove.websocket.v1} subprotocol, too many viewers)
 * @param malformed client messages that were not the protocol (their connection was closed)
 * @param refusedPublishes viewer advertisements and messages refused because commands from viewers are off
 *     for that topic
 * @param commandsAccepted viewer commands handed to a channel's {@code send}
 * @param commandsDropped viewer commands dropped: the server's command queue was full, or they did not decode
 * @param encodeFailures values a topic's codec could not encode (logged; the codec starts afresh with the
 *     next value)
 * @param readsPaused times the server stopped reading a viewer because its queue was full (it resumes once
 *     the queue has drained to half): what such a viewer sends meanwhile waits in its socket, unparsed
 * @param outbound every viewer's queue since start, summed, those that left included (its queued bytes and
 *     messages are those of the viewers connected now; its peaks the largest of any one viewer)
 * @param disconnects connections the server ended because of what they did, or did not do
 * @param clients the viewers connected now
 */
public record FoxgloveStats(String url, long connections, long rejectedHandshakes, long malformed,
                            long refusedPublishes, long commandsAccepted, long commandsDropped, long encodeFailures, long readsPaused,
                            Outbound outbound, Disconnects disconnects, List<Client> clients) {

    /**
     * One viewer.
     *
     * @param address its remote address
     * @param subscriptions its subscriptions now
     * @param topics what it was sent and what it lost, per topic it subscribed to
     * @param outbound its queue
     */
    public record Client(String address, int subscriptions, List<TopicCount> topics, Outbound outbound) {

        /** @return values dropped for this viewer, all topics */
        public long dropped() {
            return topics.stream().mapToLong(TopicCount::dropped).sum();
        }

        /** @return values sent to this viewer, all topics */
        public long sent() {
            return topics.stream().mapToLong(TopicCount::sent).sum();
        }
    }

    /**
     * One viewer's traffic on one topic.
     *
     * @param topic the topic
     * @param sent values sent
     * @param dropped values dropped because the viewer's queue was full
     */
    public record TopicCount(String topic, long sent, long dropped) {
    }

    /**
     * A viewer's outbound queue ({@link FoxgloveConfig#clientBufferBytes()},
     * {@link FoxgloveConfig#clientBufferMessages()}). Every message the server had for the viewer was either
     * queued or dropped; every drop is counted once by why ({@code droppedOverBytes + droppedOverMessages})
     * and once by what it was ({@code controlDropped + timeDropped +} the data values dropped per topic).
     *
     * @param queuedBytes bytes queued now (counted from the offer until Netty handed them to the socket)
     * @param queuedMessages messages queued now
     * @param peakBytes the most bytes ever queued at once: at most the byte bound, or one message larger
     *     than it, alone
     * @param peakMessages the most messages ever queued at once: at most the message bound
     * @param droppedOverBytes messages dropped because the queue was full by its byte bound (or still
     *     draining to half of it)
     * @param droppedOverMessages messages dropped because the queue was full by its message bound only
     * @param controlQueued JSON messages (server info, advertisements, status replies) and WebSocket pings
     *     and pongs queued
     * @param controlDropped JSON messages, pings and pongs dropped
     * @param timeDropped time messages dropped (the 10 Hz clock)
     */
    public record Outbound(long queuedBytes, long queuedMessages, long peakBytes, long peakMessages,
                           long droppedOverBytes, long droppedOverMessages, long controlQueued, long controlDropped,
                           long timeDropped) {

        /** @return every message dropped, whatever it was */
        public long dropped() {
            return droppedOverBytes + droppedOverMessages;
        }

        Outbound plus(Outbound o) {
            return new Outbound(queuedBytes + o.queuedBytes, queuedMessages + o.queuedMessages,
                    Math.max(peakBytes, o.peakBytes), Math.max(peakMessages, o.peakMessages),
                    droppedOverBytes + o.droppedOverBytes, droppedOverMessages + o.droppedOverMessages,
                    controlQueued + o.controlQueued, controlDropped + o.controlDropped, timeDropped + o.timeDropped);
        }

        /** Counts only: what a viewer that left still adds to the totals. */
        Outbound ended() {
            return new Outbound(0, 0, peakBytes, peakMessages, droppedOverBytes, droppedOverMessages, controlQueued,
                    controlDropped, timeDropped);
        }

        static final Outbound NONE = new Outbound(0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * Connections the server ended on its own.
     *
     * @param unwritable viewers whose queue stayed full longer than {@link FoxgloveConfig#unwritableTimeout()}
     *     (close code 1008)
     * @param idle viewers that sent nothing, not even a pong, for {@link FoxgloveConfig#idleTimeout()}
     *     (close code 1001)
     * @param handshakeTimeouts connections that had not completed their WebSocket handshake within
     *     {@link FoxgloveConfig#handshakeTimeout()}
     * @param overPendingLimit connections closed as soon as accepted because
     *     {@link FoxgloveConfig#maxPendingConnections()} others were waiting for their handshake
     */
    public record Disconnects(long unwritable, long idle, long handshakeTimeouts, long overPendingLimit) {
    }
}
