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
 * @param encodeFailures values a topic's codec could not encode (logged)
 * @param clients the viewers connected now
 */
public record FoxgloveStats(String url, long connections, long rejectedHandshakes, long malformed,
                            long refusedPublishes, long commandsAccepted, long commandsDropped, long encodeFailures,
                            List<Client> clients) {

    /**
     * One viewer.
     *
     * @param address its remote address
     * @param subscriptions its subscriptions now
     * @param topics what it was sent and what it lost, per topic it subscribed to
     */
    public record Client(String address, int subscriptions, List<TopicCount> topics) {

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
}
