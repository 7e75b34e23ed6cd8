package io.github.twinlane.foxglove;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One connected viewer: its subscriptions, the channels it advertised to publish on, and its
 * {@link OutboundQueue}, bounded in bytes ({@link FoxgloveConfig#clientBufferBytes()}) and messages
 * ({@link FoxgloveConfig#clientBufferMessages()}). Everything sent to the viewer goes through that queue:
 * values, the time, and the JSON messages (server info, advertisements, status replies, one per request
 * however many entries it had). What finds the queue full is dropped and counted for this viewer (values
 * per topic), so a viewer that reads slowly loses values and never slows a topic's thread, another viewer
 * or the server; a viewer whose queue stays full is disconnected by the server's service.
 *
 * <p>The WebSocket close frame is the one thing written past the queue (behind what is queued), at most
 * once per connection: {@link #close} and the answer to the viewer's own close frame share one flag.
 *
 * <p>Threading: messages from the viewer on the server's event-loop thread; {@link #send} on topics'
 * feeding threads; {@link #time} on the service; they meet under this object's lock, so a value is never
 * sent to a subscription after its removal was handled.
 */
final class Session {
    /** How long the server waits for the viewer's answer to its close frame before closing the connection. */
    static final long CLOSE_WAIT_MILLIS = 1000;
    /** Refused entries a status reply names one by one; the rest are counted. */
    private static final int NAMED = 10;

    final Channel channel;
    final String address;
    private final FoxgloveServer server;
    private final OutboundQueue queue;
    private long controlQueued; // guarded by this
    private long controlDropped; // guarded by this
    private long timeDropped; // guarded by this
    private boolean closeSent; // guarded by this
    private final Map<Integer, ServerTopic.Subscriber> subscriptions = new HashMap<>(); // guarded by this
    private final Map<Integer, ServerTopic<?>> publishing = new HashMap<>(); // client channel id -> command topic; event loop
    private final Map<String, long[]> ended = new HashMap<>(); // topic -> {sent, dropped} of closed subscriptions; guarded by this
    private boolean refusalTold; // event loop
    private boolean closed; // guarded by this

    Session(Channel channel, FoxgloveServer server) {
        this.channel = channel;
        this.address = String.valueOf(channel.remoteAddress());
        this.server = server;
        this.queue = new OutboundQueue(channel, server.config().clientBufferBytes(),
                server.config().clientBufferMessages());
    }

    // ------------------------------------------------------------------ to the viewer

    /** A topic's feeding thread: one value's frame into this viewer's queue, or a counted drop. Never blocks. */
    void send(ServerTopic.Subscriber s, ByteBuf payload, long epochNanos) {
        synchronized (this) {
            if (s.closed || closed || closeSent) {
                return;
            }
            ByteBuf header = channel.alloc().buffer(13);
            header.writeByte(0x01).writeIntLE(s.subscriptionId).writeLongLE(epochNanos);
            CompositeByteBuf frame = channel.alloc().compositeBuffer(2);
            frame.addComponents(true, header, payload.retainedDuplicate());
            if (queue.offer(new BinaryWebSocketFrame(frame))) {
                s.sent.incrementAndGet();
            } else {
                s.dropped.incrementAndGet(); // the viewer's queue is full: it loses this value, newer ones follow
            }
        }
    }

    /**
     * A JSON message (server info, advertise, status): queued, or dropped and counted when the viewer's
     * queue is full (a viewer that drains nothing is about to be disconnected). Any thread.
     */
    void text(String json) {
        synchronized (this) {
            if (closed || closeSent) {
                return;
            }
            if (queue.offer(new TextWebSocketFrame(ByteBufUtil.writeUtf8(channel.alloc(), json)))) {
                controlQueued++;
            } else {
                controlDropped++;
            }
        }
    }

    /** A WebSocket ping, through the queue like a JSON message (counted with them). Event loop. */
    void ping() {
        synchronized (this) {
            if (closed || closeSent) {
                return;
            }
            if (queue.offer(new PingWebSocketFrame())) {
                controlQueued++;
            } else {
                controlDropped++;
            }
        }
    }

    /** The answer to the viewer's ping, with its payload (owned by this call), through the queue. Event loop. */
    void pong(ByteBuf data) {
        synchronized (this) {
            if (closed || closeSent) {
                data.release();
                return;
            }
            if (queue.offer(new PongWebSocketFrame(data))) {
                controlQueued++;
            } else {
                controlDropped++;
            }
        }
    }

    /** The server's time (binary opcode 0x02). Dropped, like data, when the viewer's queue is full. Any thread. */
    void time(long epochNanos) {
        synchronized (this) {
            if (closed || closeSent) {
                return;
            }
            ByteBuf b = channel.alloc().buffer(9);
            b.writeByte(0x02).writeLongLE(epochNanos);
            if (!queue.offer(new BinaryWebSocketFrame(b))) {
                timeDropped++;
            }
        }
    }

    /** @return how long this viewer's queue has been full (refusing everything), in nanoseconds; 0 if not. Any thread */
    long fullFor(long nowNanos) {
        return queue.fullFor(nowNanos);
    }

    // ------------------------------------------------------------------ from the viewer (event loop)

    void onText(String text) throws ClientJson.Malformed {
        Map<String, Object> m = ClientJson.object(text);
        String op = ClientJson.string(m, "op");
        switch (op) {
            case "subscribe": {
                Refusals refused = new Refusals();
                for (Object o : ClientJson.list(m, "subscriptions")) {
                    Map<String, Object> s = ClientJson.object(o, "subscriptions");
                    subscribe(ClientJson.id(s.get("id"), "id"), ClientJson.id(s.get("channelId"), "channelId"), refused);
                }
                refused.tell(this);
                return;
            }
            case "unsubscribe": {
                for (Object o : ClientJson.list(m, "subscriptionIds")) {
                    unsubscribe(ClientJson.id(o, "subscriptionIds"));
                }
                return;
            }
            case "advertise": {
                for (Object o : ClientJson.list(m, "channels")) {
                    Map<String, Object> c = ClientJson.object(o, "channels");
                    advertised(ClientJson.id(c.get("id"), "id"), ClientJson.string(c, "topic"),
                            ClientJson.string(c, "encoding"));
                }
                return;
            }
            case "unadvertise": {
                for (Object o : ClientJson.list(m, "channelIds")) {
                    publishing.remove(ClientJson.id(o, "channelIds"));
                }
                return;
            }
            case "getParameters": case "setParameters": case "subscribeParameterUpdates":
            case "unsubscribeParameterUpdates": case "subscribeConnectionGraph": case "unsubscribeConnectionGraph":
            case "fetchAsset":
                // valid protocol this server does not offer (it advertises no such capability): told, not fatal
                text(ServerJson.status(1, "this twinlane server does not support '" + op + "'"));
                return;
            default:
                throw new ClientJson.Malformed("unknown op '" + (op.length() > 40 ? op.substring(0, 40) : op) + "'");
        }
    }

    void onBinary(ByteBuf b) throws ClientJson.Malformed {
        if (b.readableBytes() < 1) {
            throw new ClientJson.Malformed("empty binary message");
        }
        int opcode = b.readUnsignedByte();
        if (opcode == 0x02) {
            text(ServerJson.status(1, "this twinlane server offers no services"));
            return;
        }
        if (opcode != 0x01 || b.readableBytes() < 4) {
            throw new ClientJson.Malformed("binary message with unknown opcode " + opcode + " or no channel id");
        }
        int clientChannel = b.readIntLE();
        ServerTopic<?> target = publishing.get(clientChannel);
        if (target == null) {
            server.refused();
            tellRefusal("a message on client channel " + Integer.toUnsignedString(clientChannel)
                    + ", which this server did not accept: advertise it first, on a topic that takes viewer commands");
            return;
        }
        byte[] data = new byte[b.readableBytes()];
        b.readBytes(data);
        server.viewerCommand(target, data);
    }

    /**
     * A subscribe request's refused entries, told in one status message for the whole request (a request
     * may hold thousands): each kind of refusal with its count and the first few ids. Event loop.
     */
    private static final class Refusals {
        private final StringBuilder[] named = new StringBuilder[3];
        private final int[] counts = new int[3];
        private int level;

        void add(int kind, int level, int id) {
            this.level = Math.max(this.level, level);
            if (counts[kind]++ < NAMED) {
                if (named[kind] == null) {
                    named[kind] = new StringBuilder();
                } else {
                    named[kind].append(", ");
                }
                named[kind].append(Integer.toUnsignedString(id));
            }
        }

        void tell(Session s) {
            String[] what = {"no channel to subscribe to (it was unadvertised, or never advertised): channel id ",
                "subscription id in use (unsubscribe it first): ", "too many subscriptions: this server allows "
                    + s.server.config().maxSubscriptions() + " per client, refused subscription id "};
            StringBuilder m = new StringBuilder();
            for (int k = 0; k < 3; k++) {
                if (counts[k] > 0) {
                    m.append(m.length() == 0 ? "" : "; ").append(what[k]).append(named[k])
                            .append(counts[k] > NAMED ? " and " + (counts[k] - NAMED) + " more" : "");
                }
            }
            if (m.length() > 0) {
                s.text(ServerJson.status(level, m.toString()));
            }
        }
    }

    private void subscribe(int subscriptionId, int channelId, Refusals refused) {
        ServerTopic<?> topic = server.topic(channelId);
        if (topic == null) {
            refused.add(0, 1, channelId);
            return;
        }
        synchronized (this) {
            if (subscriptions.containsKey(subscriptionId)) {
                refused.add(1, 1, subscriptionId);
                return;
            }
            if (subscriptions.size() >= server.config().maxSubscriptions()) {
                refused.add(2, 2, subscriptionId);
                return;
            }
            ServerTopic.Subscriber s = new ServerTopic.Subscriber(this, subscriptionId, topic);
            subscriptions.put(subscriptionId, s);
            topic.add(s);
        }
    }

    private void unsubscribe(int subscriptionId) {
        synchronized (this) {
            ServerTopic.Subscriber s = subscriptions.remove(subscriptionId);
            if (s != null) {
                end(s);
            }
        }
    }

    /** Under the lock: the subscription leaves its topic; its counts stay in this viewer's stats. */
    private void end(ServerTopic.Subscriber s) {
        s.closed = true;
        s.topic.remove(s);
        long[] c = ended.computeIfAbsent(s.topic.topic, k -> new long[2]);
        c[0] += s.sent.get();
        c[1] += s.dropped.get();
    }

    /** A topic went away (its channel closed): its subscriptions end. Any thread. */
    void topicRemoved(ServerTopic<?> topic) {
        synchronized (this) {
            subscriptions.values().removeIf(s -> {
                if (s.topic == topic) {
                    end(s);
                    return true;
                }
                return false;
            });
        }
    }

    private void advertised(int clientChannel, String topic, String encoding) {
        ServerTopic<?> target = server.commandTopic(topic);
        if (target == null || !encoding.equals("json")) {
            server.refused();
            tellRefusal("publishing on " + topic + " (" + encoding + ") refused: commands from a viewer are off "
                    + "unless the application enables them for that channel (FoxgloveServer.acceptCommands); "
                    + "enabled topics take json");
            return;
        }
        publishing.put(clientChannel, target);
    }

    private void tellRefusal(String message) {
        if (!refusalTold) { // once per connection: a refused publisher may send thousands
            refusalTold = true;
            text(ServerJson.status(2, message));
        }
    }

    /** The connection closed: every subscription ends. Idempotent; any thread. */
    void closed() {
        synchronized (this) {
            closed = true;
            for (ServerTopic.Subscriber s : subscriptions.values()) {
                end(s);
            }
            subscriptions.clear();
        }
    }

    /**
     * Starts the WebSocket closing handshake with a reason (malformed input, a full queue, silence, server
     * closing): the one close frame of this connection goes out behind what is queued, the viewer answers
     * with its own and the connection closes; one that does not answer within a second is closed anyway
     * (Netty's protocol handler bounds a close frame that cannot even be written by another second).
     * Nothing if a close frame was sent already. Any thread.
     *
     * @return whether this call sent the close frame
     */
    boolean close(WebSocketCloseStatus status, String reason) {
        synchronized (this) {
            if (closeSent) {
                return false;
            }
            closeSent = true;
        }
        String r = reason.length() > 100 ? reason.substring(0, 100) : reason; // a close reason holds 123 bytes
        channel.writeAndFlush(new CloseWebSocketFrame(status.code(), r));
        try {
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) { // the server's event loop is stopping: it closes every connection
            channel.close();
        }
        return true;
    }

    /**
     * The viewer sent its close frame: answered with one echoing its status code (RFC 6455 5.5.1), unless
     * the server sent its own already, and the connection closes. Event loop.
     */
    void closeReceived(CloseWebSocketFrame frame) {
        boolean answer;
        synchronized (this) {
            answer = !closeSent;
            closeSent = true;
        }
        if (answer) {
            int code = frame.statusCode();
            CloseWebSocketFrame echo = code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, "");
            channel.writeAndFlush(echo).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    FoxgloveStats.Client stats() {
        synchronized (this) {
            Map<String, long[]> per = new java.util.LinkedHashMap<>();
            ended.forEach((k, v) -> per.put(k, v.clone()));
            for (ServerTopic.Subscriber s : subscriptions.values()) {
                long[] c = per.computeIfAbsent(s.topic.topic, k -> new long[2]);
                c[0] += s.sent.get();
                c[1] += s.dropped.get();
            }
            List<FoxgloveStats.TopicCount> topics = new ArrayList<>();
            per.forEach((k, v) -> topics.add(new FoxgloveStats.TopicCount(k, v[0], v[1])));
            return new FoxgloveStats.Client(address, subscriptions.size(), topics, outbound());
        }
    }

    /** @return this viewer's queue and its counts */
    FoxgloveStats.Outbound outbound() {
        synchronized (this) {
            return new FoxgloveStats.Outbound(queue.bytes(), queue.messages(), queue.peakBytes(), queue.peakMessages(),
                    queue.droppedOverBytes(), queue.droppedOverMessages(), controlQueued, controlDropped, timeDropped);
        }
    }
}
