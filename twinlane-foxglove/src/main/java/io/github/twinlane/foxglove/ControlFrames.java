package io.github.twinlane.foxglove;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.util.AttributeKey;

/**
 * What comes out of Netty's WebSocket frame decoder before its protocol handler sees it, for the two
 * things that handler does in a way that defeats the server's bounds (it sits right after the decoder once
 * the connection is upgraded):
 * <ul>
 * <li>a ping is answered through the {@link Session}'s bounded queue: the protocol handler writes each pong
 *     straight to the connection, so a viewer that stops reading and sends pings would grow the server by one
 *     pong per ping; here a pong that finds the queue full is dropped and counted like any control message;</li>
 * <li>a protocol error of the decoder (a frame too big: 1009; a broken frame or an invalid close code: 1002;
 *     text that is not UTF-8: 1007) gets the one close frame of the connection with the decoder's code, and
 *     the closing handshake (the decoder discards what follows). The protocol handler would close at once,
 *     and a viewer still sending then gets a reset instead of the close frame.</li>
 * </ul>
 * The event-loop thread.
 */
final class ControlFrames extends ChannelInboundHandlerAdapter {
    /** The connection's session, set when its handshake completes. */
    static final AttributeKey<Session> SESSION = AttributeKey.valueOf("twinlane.session");

    private final FoxgloveServer server;

    ControlFrames(FoxgloveServer server) {
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof PingWebSocketFrame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Session s = ctx.channel().attr(SESSION).get();
        PingWebSocketFrame ping = (PingWebSocketFrame) msg;
        if (s == null) {
            ping.release();
        } else {
            s.pong(ping.content()); // owns it
            if (s.fullFor(System.nanoTime()) > 0) {
                ctx.fireUserEventTriggered(Viewer.QUEUE_FULL); // a ping flood stops being read too
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Session s = ctx.channel().attr(SESSION).get();
        if (cause instanceof CorruptedWebSocketFrameException && s != null) {
            server.malformed();
            CorruptedWebSocketFrameException c = (CorruptedWebSocketFrameException) cause;
            s.close(c.closeStatus(), c.getMessage() == null ? c.closeStatus().reasonText() : c.getMessage());
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
