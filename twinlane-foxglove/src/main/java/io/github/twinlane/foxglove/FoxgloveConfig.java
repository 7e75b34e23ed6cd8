package io.github.twinlane.foxglove;

import io.github.twinlane.Durations;
import java.time.Duration;

/**
 * How a {@link FoxgloveServer} listens and what it allows. Start from {@link #loopback()} and change what
 * you need; every value is checked, and a bad one is refused with the field, the allowed range and the
 * value given.
 *
 * @param host the interface to listen on: {@code 127.0.0.1} (the default: only this machine), or another
 *     address named on purpose ({@code 0.0.0.0} for every interface), which the server logs as a WARN
 *     because the protocol has no encryption (see the module's javadoc)
 * @param port the TCP port, 0 for any free one ({@link FoxgloveServer#url()} tells which); 8765 by default,
 *     Foxglove's own default
 * @param name the server's name in Foxglove's connection list
 * @param token an access token a client must present ({@code ws://host:port/?token=...}), checked in
 *     constant time at the handshake; null for none. At least 16 characters when set
 * @param maxClients viewers connected at once, 1 to 256 (8 by default); the next one is refused at the
 *     handshake with HTTP 503
 * @param maxSubscriptions subscriptions per viewer, 1 to 100,000 (1,000 by default)
 * @param maxMessageBytes the largest message a viewer may send, 1 KiB to 16 MiB (1 MiB by default); a
 *     larger one closes its connection (1009) and is counted
 * @param clientBufferBytes bytes queued for one viewer before the server drops what it would send that
 *     viewer, 64 KiB to 256 MiB (8 MiB by default): the bound of each viewer's queue, counted at the offer
 *     (one message larger than this is sent only into an empty queue, alone)
 * @param clientBufferMessages messages queued for one viewer before the server drops what it would send that
 *     viewer, 16 to 1,000,000 (8,192 by default): the same queue's bound in messages, so that many small
 *     messages (each with its own bookkeeping on the heap) cannot pile up under the byte bound
 * @param unwritableTimeout how long a viewer's queue may stay full (it drained nothing to below half of
 *     its bounds) before the server disconnects it (close code 1008, the reason in the close frame and in
 *     {@link FoxgloveStats#disconnects()}), 100 ms to 5 min (5 s by default). A viewer that reads, however
 *     slowly, empties its queue now and then and stays
 * @param maxPendingConnections TCP connections that have not yet completed their WebSocket handshake,
 *     held at once, 1 to 10,000 (16 by default); one more is closed as soon as it is accepted
 * @param handshakeTimeout how long a connection may take from its accept to a completed WebSocket
 *     handshake before it is closed, 100 ms to 60 s (5 s by default)
 * @param idleTimeout how long a viewer may send nothing at all (no message, no pong) before it is
 *     disconnected (close code 1001), 1 s to 10 min (20 s by default); the server pings a viewer that has
 *     been silent for half of it, and every WebSocket client answers pings on its own
 * @param imageInterval the least time between two frames a viewer gets of a topic whose frames the server
 *     JPEG-compresses ({@link FoxgloveServer#publishFrames}): 10 ms to 10 s, 200 ms (5 frames/s) by default.
 *     Frames are compressed once per interval for every viewer, on the topic's own slow-lane thread
 * @param closeTimeout how long {@link FoxgloveServer#close()} waits for the server's threads, 100 ms to 30 s
 *     (2 s by default)
 */
public record FoxgloveConfig(String host, int port, String name, String token, int maxClients, int maxSubscriptions,
                             int maxMessageBytes, int clientBufferBytes, int clientBufferMessages,
                             Duration unwritableTimeout, int maxPendingConnections, Duration handshakeTimeout,
                             Duration idleTimeout, Duration imageInterval, Duration closeTimeout) {

    /** Foxglove's default port. */
    public static final int DEFAULT_PORT = 8765;

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException naming the field, what is allowed, the value given and the method that sets it
     */
    public FoxgloveConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must be an interface address such as 127.0.0.1, was "
                    + (host == null ? "null" : "blank"));
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be from 0 (any free port) to 65535, was " + port);
        }
        if (name == null || name.isBlank() || name.length() > 64) {
            throw new IllegalArgumentException("name must be 1 to 64 characters, was "
                    + (name == null ? "null" : "'" + name + "'"));
        }
        if (token != null && token.length() < 16) {
            throw new IllegalArgumentException("token must be at least 16 characters (or null for none), was "
                    + token.length() + " characters long");
        }
        range("maxClients", maxClients, 1, 256, "withLimits");
        range("maxSubscriptions", maxSubscriptions, 1, 100_000, "withLimits");
        range("maxMessageBytes", maxMessageBytes, 1024, 16 << 20, "withLimits");
        range("clientBufferBytes", clientBufferBytes, 64 << 10, 256 << 20, "withLimits");
        range("clientBufferMessages", clientBufferMessages, 16, 1_000_000, "withClientBufferMessages");
        durationRange("unwritableTimeout", unwritableTimeout, Duration.ofMillis(100), Duration.ofMinutes(5),
                "withUnwritableTimeout");
        range("maxPendingConnections", maxPendingConnections, 1, 10_000, "withHandshakeLimits");
        durationRange("handshakeTimeout", handshakeTimeout, Duration.ofMillis(100), Duration.ofSeconds(60),
                "withHandshakeLimits");
        durationRange("idleTimeout", idleTimeout, Duration.ofSeconds(1), Duration.ofMinutes(10), "withIdleTimeout");
        durationRange("imageInterval", imageInterval, Duration.ofMillis(10), Duration.ofSeconds(10), null);
        durationRange("closeTimeout", closeTimeout, Duration.ofMillis(100), Duration.ofSeconds(30), null);
    }

    private static void range(String field, int value, int min, int max, String setter) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be from " + min + " to " + max + ", was " + value
                    + (setter == null ? "" : " (FoxgloveConfig." + setter + ")"));
        }
    }

    private static void durationRange(String field, Duration value, Duration min, Duration max, String setter) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + " must be from " + Durations.human(min) + " to "
                    + Durations.human(max) + ", was " + (value == null ? "null" : Durations.human(value))
                    + (setter == null ? "" : " (FoxgloveConfig." + setter + ")"));
        }
    }

    /**
     * The defaults: {@code 127.0.0.1:8765}, no token, 8 viewers, 8 MiB or 8,192 messages queued per viewer
     * (a viewer whose queue stays full for 5 s is disconnected), 16 connections waiting for their handshake
     * for at most 5 s each, a silent viewer pinged after 10 s and disconnected after 20 s, camera frames at 5
     * per second.
     *
     * @return the configuration
     */
    public static FoxgloveConfig loopback() {
        return new FoxgloveConfig("127.0.0.1", DEFAULT_PORT, "twinlane", null, 8, 1000, 1 << 20, 8 << 20, 8192,
                Duration.ofSeconds(5), 16, Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofMillis(200),
                Duration.ofSeconds(2));
    }

    /** @return this configuration listening on {@code h} (another interface than loopback is logged as a WARN) */
    public FoxgloveConfig withHost(String h) {
        return new FoxgloveConfig(h, port, name, token, maxClients, maxSubscriptions, maxMessageBytes,
                clientBufferBytes, clientBufferMessages, unwritableTimeout, maxPendingConnections, handshakeTimeout,
                idleTimeout, imageInterval, closeTimeout);
    }

    /** @return this configuration on port {@code p} (0 for any free port) */
    public FoxgloveConfig withPort(int p) {
        return new FoxgloveConfig(host, p, name, token, maxClients, maxSubscriptions, maxMessageBytes,
                clientBufferBytes, clientBufferMessages, unwritableTimeout, maxPendingConnections, handshakeTimeout,
                idleTimeout, imageInterval, closeTimeout);
    }

    /** @return this configuration with the server's name {@code n} */
    public FoxgloveConfig withName(String n) {
        return new FoxgloveConfig(host, port, n, token, maxClients, maxSubscriptions, maxMessageBytes,
                clientBufferBytes, clientBufferMessages, unwritableTimeout, maxPendingConnections, handshakeTimeout,
                idleTimeout, imageInterval, closeTimeout);
    }

    /** @return this configuration requiring the access token {@code t} (null for none) */
    public FoxgloveConfig withToken(String t) {
        return new FoxgloveConfig(host, port, name, t, maxClients, maxSubscriptions, maxMessageBytes,
                clientBufferBytes, clientBufferMessages, unwritableTimeout, maxPendingConnections, handshakeTimeout,
                idleTimeout, imageInterval, closeTimeout);
    }

    /** @return this configuration with other limits on viewers: how many, their subscriptions, message sizes, queue bytes */
    public FoxgloveConfig withLimits(int clients, int subscriptions, int messageBytes, int bufferBytes) {
        return new FoxgloveConfig(host, port, name, token, clients, subscriptions, messageBytes, bufferBytes,
                clientBufferMessages, unwritableTimeout, maxPendingConnections, handshakeTimeout, idleTimeout,
                imageInterval, closeTimeout);
    }

    /** @return this configuration with another bound, in messages, on each viewer's queue */
    public FoxgloveConfig withClientBufferMessages(int messages) {
        return new FoxgloveConfig(host, port, name, token, maxClients, maxSubscriptions, maxMessageBytes,
                clientBufferBytes, messages, unwritableTimeout, maxPendingConnections, handshakeTimeout, idleTimeout,
                imageInterval, closeTimeout);
    }

    /** @return this configuration disconnecting a viewer whose queue stays full for {@code timeout} */
    public FoxgloveConfig withUnwritableTimeout(Duration timeout) {
        return new FoxgloveConfig(host, port, name, token, maxClients, maxSubscriptions, maxMessageBytes,
                clientBufferBytes, clientBufferMessages, timeout, maxPendingConnections, handshakeTimeout, idleTimeout,
                imageInterval, closeTimeout);
    }

    /** @return this configuration holding at most {@code pending} connections before their handshake, each for {@code timeout} */
    public FoxgloveConfig withHandshakeLimits(int pending, Duration timeout) {
        return new FoxgloveConfig(host, port, name, token, maxClients, maxSubscriptions, maxMessageBytes,
                clientBufferBytes, clientBufferMessages, unwritableTimeout, pending, timeout, idleTimeout,
                imageInterval, closeTimeout);
    }

    /** @return this configuration disconnecting a viewer silent for {@code timeout} (pinged after half of it) */
    public FoxgloveConfig withIdleTimeout(Duration timeout) {
        return new FoxgloveConfig(host, port, name, token, maxClients, maxSubscriptions, maxMessageBytes,
                clientBufferBytes, clientBufferMessages, unwritableTimeout, maxPendingConnections, handshakeTimeout,
                timeout, imageInterval, closeTimeout);
    }

    /** @return this configuration with another interval between JPEG-compressed frames */
    public FoxgloveConfig withImageInterval(Duration interval) {
        return new FoxgloveConfig(host, port, name, token, maxClients, maxSubscriptions, maxMessageBytes,
                clientBufferBytes, clientBufferMessages, unwritableTimeout, maxPendingConnections, handshakeTimeout,
                idleTimeout, interval, closeTimeout);
    }

    /** @return this configuration with another close timeout */
    public FoxgloveConfig withCloseTimeout(Duration timeout) {
        return new FoxgloveConfig(host, port, name, token, maxClients, maxSubscriptions, maxMessageBytes,
                clientBufferBytes, clientBufferMessages, unwritableTimeout, maxPendingConnections, handshakeTimeout,
                idleTimeout, imageInterval, timeout);
    }

    /** @return whether the server listens on the loopback interface only */
    public boolean loopbackOnly() {
        return host.equals("127.0.0.1") || host.equals("::1") || host.equalsIgnoreCase("localhost");
    }

    @Override
    public String toString() {
        // the token is a secret: never printed
        return "FoxgloveConfig[" + host + ":" + port + ", name " + name + ", token " + (token == null ? "none" : "set")
                + ", " + maxClients + " clients, " + maxSubscriptions + " subscriptions each, messages up to "
                + maxMessageBytes + " B, " + clientBufferBytes + " B or " + clientBufferMessages + " messages queued per client "
                + "(full for " + Durations.human(unwritableTimeout) + ": disconnected), " + maxPendingConnections
                + " connections before their handshake for " + Durations.human(handshakeTimeout) + ", idle for "
                + Durations.human(idleTimeout) + ": disconnected, images every "
                + Durations.human(imageInterval) + ", close within " + Durations.human(closeTimeout) + "]";
    }
}
