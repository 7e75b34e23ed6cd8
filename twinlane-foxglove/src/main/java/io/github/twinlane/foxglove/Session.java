package io.github.twinlane.foxglove;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One connected viewer: its subscriptions, the channels it advertised to publish on, and its outbound
 * queue, which is the connection's own write buffer bounded by {@link FoxgloveConfig#clientBufferBytes()}:
 * a value that finds it full is dropped and counted for this viewer and topic, so a viewer that reads
 * slowly loses values and never slows a topic's thread, another viewer or the server.
 *
 * <p>Threading: messages from the viewer on the server's event-loop thread; {@link #send} on topics'
 * feeding threads; the two meet under this object's lock, so a value is never sent to a subscription
 * after its removal was handled.
 */
final class Session {
    final Channel channel;
    final String address;
    private final FoxgloveServer server;
    private final Map<Integer, ServerTopic.Subscriber> subscriptions = new HashMap<>(); // guarded by this
    private final Map<Integer, ServerTopic<?>> publishing = new HashMap<>(); // client channel id -> command topic; event loop
    private final Map<String, long[]> ended = new HashMap<>(); // topic -> {sent, dropped} of closed subscriptions; guarded by this
    private boolean refusalTold; // event loop
    private boolean closed; // guarded by this

    Session(Channel channel, FoxgloveServer server) {
        this.channel = channel;
        this.address = String.valueOf(channel.remoteAddress());
        this.server = server;
    }

    // ------------------------------------------------------------------ to the viewer

    /** A topic's feeding thread: one value's frame into this viewer's queue, or a counted drop. Never blocks. */
    void send(ServerTopic.Subscriber s, ByteBuf payload, long epochNanos) {
        synchronized (this) {
            if (s.closed || closed) {
                return;
            }
            if (!channel.isWritable()) {
                s.dropped.incrementAndGet(); // the viewer's queue is full: it loses this value, newer ones follow
                return;
            }
            ByteBuf header = channel.alloc().buffer(13);
            header.writeByte(0x01).writeIntLE(s.subscriptionId).writeLongLE(epochNanos);
            CompositeByteBuf frame = channel.alloc().compositeBuffer(2);
            frame.addComponents(true, header, payload.retainedDuplicate());
            channel.writeAndFlush(new BinaryWebSocketFrame(frame), channel.voidPromise());
            s.sent.incrementAndGet();
        }
    }

    /** Control messages (advertise, status): never dropped; they are small and rare. Any thread. */
    void text(String json) {
        synchronized (this) {
            if (!closed) {
                channel.writeAndFlush(new TextWebSocketFrame(json), channel.voidPromise());
            }
        }
    }

    /** The server's time (binary opcode 0x02). Dropped, like data, when the viewer's queue is full. Any thread. */
    void time(long epochNanos) {
        synchronized (this) {
            if (closed || !channel.isWritable()) {
                return;
            }
            ByteBuf b = channel.alloc().buffer(9);
            b.writeByte(0x02).writeLongLE(epochNanos);
            channel.writeAndFlush(new BinaryWebSocketFrame(b), channel.voidPromise());
        }
    }

    // ------------------------------------------------------------------ from the viewer (event loop)

    void onText(String text) throws ClientJson.Malformed {
        Map<String, Object> m = ClientJson.object(text);
        String op = ClientJson.string(m, "op");
        switch (op) {
            case "subscribe": {
                for (Object o : ClientJson.list(m, "subscriptions")) {
                    Map<String, Object> s = ClientJson.object(o, "subscriptions");
                    subscribe(ClientJson.id(s.get("id"), "id"), ClientJson.id(s.get("channelId"), "channelId"));
                }
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

    private void subscribe(int subscriptionId, int channelId) {
        ServerTopic<?> topic = server.topic(channelId);
        if (topic == null) {
            text(ServerJson.status(1, "no channel " + Integer.toUnsignedString(channelId) + " to subscribe to "
                    + "(it was unadvertised, or never advertised)"));
            return;
        }
        synchronized (this) {
            if (subscriptions.containsKey(subscriptionId)) {
                text(ServerJson.status(1, "subscription id " + Integer.toUnsignedString(subscriptionId)
                        + " is in use: unsubscribe it first"));
                return;
            }
            if (subscriptions.size() >= server.config().maxSubscriptions()) {
                text(ServerJson.status(2, "too many subscriptions: this server allows "
                        + server.config().maxSubscriptions() + " per client"));
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
     * Starts the WebSocket closing handshake with a reason (malformed input, server closing): the close
     * frame goes out, the viewer answers with its own, and Netty then closes the connection (or forces it
     * after a second if the viewer does not answer). Any thread.
     */
    void close(WebSocketCloseStatus status, String reason) {
        String r = reason.length() > 100 ? reason.substring(0, 100) : reason; // a close reason holds 123 bytes
        channel.writeAndFlush(new CloseWebSocketFrame(status.code(), r));
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
            return new FoxgloveStats.Client(address, subscriptions.size(), topics);
        }
    }
}
