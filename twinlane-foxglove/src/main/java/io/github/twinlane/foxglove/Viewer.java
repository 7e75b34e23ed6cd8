package io.github.twinlane.foxglove;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A connection's WebSocket side on the event-loop thread, from its accept to its end: a place among the
 * connections waiting for their handshake ({@link FoxgloveConfig#maxPendingConnections()}, closed at once
 * when there is none) for at most {@link FoxgloveConfig#handshakeTimeout()}; the handshake's completion
 * makes it a {@link Session} (server info, the current advertisement); frames go to it; anything that is
 * not the protocol closes the connection with one close frame whose code says why (1007 not this protocol;
 * 1009 a message too big in fragments; the frame decoder's own errors: {@link ControlFrames}), and is
 * counted. Netty's {@code IdleStateHandler} tells it when the viewer has sent nothing for half the idle
 * timeout (it is pinged) and for all of it (it is disconnected, 1001).
 *
 * <p>While the viewer's queue is full, nothing more is read from it: each request it sends would only add
 * a reply it does not take, and parsing a flood of them is an allocation storm in the heap the motor loop
 * shares. Reading resumes once the queue has drained to half; a viewer whose queue stays full is
 * disconnected after {@link FoxgloveConfig#unwritableTimeout()} as before.
 */
final class Viewer extends ChannelInboundHandlerAdapter {
    private final FoxgloveServer server;
    private Session session;
    private boolean pending;
    private Future<?> handshakeTimeout;
    private boolean readsPaused;
    /** How often a viewer whose reads are paused is looked at again. */
    static final long RESUME_CHECK_MILLIS = 20;
    /** From {@link ControlFrames}: a pong found the queue full (pings never reach {@link #channelRead}). */
    static final Object QUEUE_FULL = new Object();

    Viewer(FoxgloveServer server) {
        this.server = server;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (!server.enterPending()) {
            ctx.close(); // no place left before the handshake: closed before it costs more than its descriptor
            return;
        }
        pending = true;
        handshakeTimeout = ctx.executor().schedule(() -> {
            if (session == null && ctx.channel().isActive()) {
                server.handshakeTimedOut();
                ctx.close();
            }
        }, server.config().handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        super.channelActive(ctx);
    }

    private void leavePending() {
        if (pending) {
            pending = false;
            server.leavePending();
            handshakeTimeout.cancel(false);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == QUEUE_FULL) {
            if (session != null && !readsPaused) {
                pauseReads(ctx);
            }
            return;
        }
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            leavePending();
            session = server.connected(ctx.channel());
        } else if (evt instanceof IdleStateEvent && session != null) {
            if (((IdleStateEvent) evt).isFirst()) {
                session.ping(); // silent for half the idle timeout: any client answers a ping
            } else if (session.close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "idle: nothing received for "
                    + io.github.twinlane.Durations.human(server.config().idleTimeout()) + ", not even a pong")) {
                server.idleDisconnect();
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (session == null || !(msg instanceof WebSocketFrame)) {
                return; // nothing before the handshake reaches here; pings are answered before
            }
            try {
                if (msg instanceof TextWebSocketFrame) {
                    session.onText(((TextWebSocketFrame) msg).text());
                } else if (msg instanceof BinaryWebSocketFrame) {
                    ByteBuf b = ((BinaryWebSocketFrame) msg).content();
                    session.onBinary(b);
                } else if (msg instanceof CloseWebSocketFrame) {
                    session.closeReceived((CloseWebSocketFrame) msg);
                }
            } catch (ClientJson.Malformed e) {
                server.malformed();
                session.close(WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "not the foxglove.websocket.v1 protocol: "
                        + e.getMessage());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
        if (session != null && !readsPaused && session.fullFor(System.nanoTime()) > 0) {
            pauseReads(ctx);
        }
    }

    /** Stops reading from a viewer whose queue is full, until it has room. Event loop. */
    private void pauseReads(ChannelHandlerContext ctx) {
        readsPaused = true;
        server.readsPaused();
        ctx.channel().config().setAutoRead(false); // frames already decoded from this read still arrive
        ctx.executor().schedule(() -> resumeWhenRoom(ctx), RESUME_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void resumeWhenRoom(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (session.fullFor(System.nanoTime()) > 0) {
            ctx.executor().schedule(() -> resumeWhenRoom(ctx), RESUME_CHECK_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        readsPaused = false;
        ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException && session != null) {
            // the aggregator: a message of many fragments, too big in all. It drops the rest of that message;
            // the one close frame and the closing handshake follow (the decoder's own errors: ControlFrames)
            server.malformed();
            session.close(WebSocketCloseStatus.MESSAGE_TOO_BIG, "a message larger than "
                    + server.config().maxMessageBytes() + " bytes");
            return;
        }
        if (!(cause instanceof java.io.IOException)) {
            server.connectionError(cause);
        } // an I/O error is the viewer going away (a closed tab, a reset): an ordinary disconnect
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        leavePending();
        if (session != null) {
            server.disconnected(session);
        } else {
            server.releaseAdmission(ctx.channel());
        }
        super.channelInactive(ctx);
    }
}
