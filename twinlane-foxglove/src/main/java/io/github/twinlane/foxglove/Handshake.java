package io.github.twinlane.foxglove;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Checks a connection's HTTP upgrade before the WebSocket handshake: the {@code foxglove.websocket.v1}
 * subprotocol among those the client offers, the access token if one is configured (query parameter
 * {@code token}, or {@code Authorization: Bearer}), compared in constant time, and room for another
 * viewer. A refused upgrade gets an HTTP error whose text says what to do, and is counted; a request
 * Netty's HTTP decoder could not read gets one that says why (431 for headers over {@value #MAX_HEADERS}
 * bytes, 414 for a request line over {@value #MAX_LINE}). The event-loop thread.
 */
final class Handshake extends ChannelInboundHandlerAdapter {
    static final String SUBPROTOCOL = "foxglove.websocket.v1";
    /** The longest request line Netty's decoder reads. */
    static final int MAX_LINE = 8192;
    /** The most bytes of request headers Netty's decoder reads. */
    static final int MAX_HEADERS = 16384;

    private final FoxgloveServer server;
    private final byte[] token;

    Handshake(FoxgloveServer server, String token) {
        this.server = server;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest)) {
            ctx.fireChannelRead(msg);
            return;
        }
        FullHttpRequest req = (FullHttpRequest) msg;
        if (req.decoderResult().isFailure()) {
            Throwable why = req.decoderResult().cause();
            if (why instanceof TooLongHttpHeaderException) {
                refuse(ctx, req, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "the request's headers are "
                        + "larger than this server reads (" + MAX_HEADERS + " bytes): send fewer or shorter headers");
            } else if (why instanceof TooLongHttpLineException) {
                refuse(ctx, req, HttpResponseStatus.REQUEST_URI_TOO_LONG, "the request line is longer than this "
                        + "server reads (" + MAX_LINE + " bytes)");
            } else {
                refuse(ctx, req, HttpResponseStatus.BAD_REQUEST, "not a valid HTTP request: " + why.getMessage());
            }
            return;
        }
        String offered = req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, "");
        boolean speaks = false;
        for (String p : offered.split(",")) {
            speaks |= p.trim().equals(SUBPROTOCOL);
        }
        if (!req.headers().contains(HttpHeaderNames.UPGRADE)) {
            refuse(ctx, req, HttpResponseStatus.BAD_REQUEST, "This is a Foxglove WebSocket server: connect with "
                    + "Foxglove or Lichtblick (Open connection, Foxglove WebSocket) to ws://" + req.headers().get(
                    HttpHeaderNames.HOST, "this host") + "/");
            return;
        }
        if (!speaks) {
            refuse(ctx, req, HttpResponseStatus.BAD_REQUEST, "the client must offer the WebSocket subprotocol "
                    + SUBPROTOCOL + " (Sec-WebSocket-Protocol)");
            return;
        }
        if (token != null && !MessageDigest.isEqual(token, presented(req))) {
            refuse(ctx, req, HttpResponseStatus.UNAUTHORIZED, "a valid access token is required: connect to "
                    + "ws://host:port/?token=<the server's token>");
            return;
        }
        if (!server.admit(ctx.channel())) {
            refuse(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, "this server already has its "
                    + server.config().maxClients() + " clients (FoxgloveConfig.maxClients): try again later");
            return;
        }
        ctx.fireChannelRead(req); // on to the WebSocket handshake
    }

    private static byte[] presented(FullHttpRequest req) {
        List<String> q = new QueryStringDecoder(req.uri()).parameters().get("token");
        String t = q == null || q.isEmpty() ? null : q.get(0);
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (t == null && auth != null && auth.startsWith("Bearer ")) {
            t = auth.substring(7).trim();
        }
        return t == null ? new byte[0] : t.getBytes(StandardCharsets.UTF_8);
    }

    private void refuse(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String why) {
        req.release();
        server.rejectedHandshake();
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(why + "\n", StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
}
