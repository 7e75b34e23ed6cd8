package io.github.twinlane.foxglove;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * A connection's WebSocket side on the event-loop thread: the handshake's completion makes it a
 * {@link Session} (server info, the current advertisement); frames go to it; anything that is not the
 * protocol closes the connection with a reason and is counted.
 */
final class Viewer extends ChannelInboundHandlerAdapter {
    private final FoxgloveServer server;
    private Session session;

    Viewer(FoxgloveServer server) {
        this.server = server;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            session = server.connected(ctx.channel());
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (session == null || !(msg instanceof WebSocketFrame)) {
                return; // nothing before the handshake reaches here; pings and closes are handled before
            }
            try {
                if (msg instanceof TextWebSocketFrame) {
                    session.onText(((TextWebSocketFrame) msg).text());
                } else if (msg instanceof BinaryWebSocketFrame) {
                    ByteBuf b = ((BinaryWebSocketFrame) msg).content();
                    session.onBinary(b);
                }
            } catch (ClientJson.Malformed e) {
                server.malformed();
                session.close(WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "not the foxglove.websocket.v1 protocol: "
                        + e.getMessage());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException || cause instanceof CorruptedFrameException) {
            server.malformed(); // Netty has sent the close (1009 too big, 1002 protocol error)
        } else if (!(cause instanceof java.io.IOException)) {
            server.connectionError(cause);
        } // an I/O error is the viewer going away (a closed tab, a reset): an ordinary disconnect
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (session != null) {
            server.disconnected(session);
        } else {
            server.releaseAdmission(ctx.channel());
        }
        super.channelInactive(ctx);
    }
}
