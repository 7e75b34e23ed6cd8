package io.github.twinlane.foxglove;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The handlers of one connection, in order, each bounding what the connection may make the server hold:
 * Netty's idle detection (any byte from the viewer counts), its HTTP decoder (request line and headers up to
 * {@value Handshake#MAX_LINE} and {@value Handshake#MAX_HEADERS} bytes) and aggregator, the {@link Handshake}
 * checks, {@link ControlFrames}, Netty's WebSocket protocol handler (frames up to
 * {@link FoxgloveConfig#maxMessageBytes()}, one close frame per connection) and frame aggregator (messages up
 * to the same), and the {@link Viewer}. Runs on the event loop as each connection is accepted.
 */
final class ViewerPipeline extends ChannelInitializer<SocketChannel> {
    private final FoxgloveServer server;

    ViewerPipeline(FoxgloveServer server) {
        this.server = server;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        FoxgloveConfig config = server.config();
        long idle = config.idleTimeout().toNanos();
        ch.pipeline().addLast(
                // first, so that any bytes from the viewer count (a pong too): half the idle timeout silent
                // gets a ping, all of it a close (Viewer)
                new IdleStateHandler(false, idle / 2, 0, 0, TimeUnit.NANOSECONDS),
                new HttpServerCodec(Handshake.MAX_LINE, Handshake.MAX_HEADERS, 8192),
                new HttpObjectAggregator(65_536),
                new Handshake(server, config.token()),
                new ControlFrames(server), // after the upgrade, the frame decoder comes just before it
                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath("/").checkStartsWith(true).subprotocols(Handshake.SUBPROTOCOL)
                        .handshakeTimeoutMillis(config.handshakeTimeout().toMillis())
                        // close frames reach the Viewer, which answers once (Netty's own handling echoes even
                        // a close the server started: a second close frame)
                        .handleCloseFrames(false)
                        // a close without a close frame sends 1000; a later close frame, and anything after
                        // one, is dropped here: one close frame per connection
                        .sendCloseFrame(WebSocketCloseStatus.NORMAL_CLOSURE)
                        .forceCloseTimeoutMillis(Session.CLOSE_WAIT_MILLIS) // a close frame that cannot go out
                        .decoderConfig(WebSocketDecoderConfig.newBuilder()
                                .maxFramePayloadLength(config.maxMessageBytes())
                                // ControlFrames sends the close frame with the decoder's code: the decoder's
                                // own went out past the protocol handler (so Netty's 1000 followed it), and for
                                // an invalid close code it sent none (only the 1000)
                                .closeOnProtocolViolation(false).build())
                        .build()),
                new WebSocketFrameAggregator(config.maxMessageBytes()),
                new Viewer(server));
    }
}
