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
 *     viewer (newest value wins), 64 KiB to 256 MiB (8 MiB by default): the bound of each viewer's queue
 * @param imageInterval the least time between two frames a viewer gets of a topic whose frames the server
 *     JPEG-compresses ({@link FoxgloveServer#publishFrames}): 10 ms to 10 s, 200 ms (5 frames/s) by default.
 *     Frames are compressed once per interval for every viewer, on the topic's own slow-lane thread
 * @param closeTimeout how long {@link FoxgloveServer#close()} waits for the server's threads, 100 ms to 30 s
 *     (2 s by default)
 */
public record FoxgloveConfig(String host, int port, String name, String token, int maxClients, int maxSubscriptions,
                             int maxMessageBytes, int clientBufferBytes, Duration imageInterval, Duration closeTimeout) {

    /** Foxglove's default port. */
    public static final int DEFAULT_PORT = 8765;

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException naming the field, what is allowed and the value given
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
        range("maxClients", maxClients, 1, 256);
        range("maxSubscriptions", maxSubscriptions, 1, 100_000);
        range("maxMessageBytes", maxMessageBytes, 1024, 16 << 20);
        range("clientBufferBytes", clientBufferBytes, 64 << 10, 256 << 20);
        durationRange("imageInterval", imageInterval, Duration.ofMillis(10), Duration.ofSeconds(10));
        durationRange("closeTimeout", closeTimeout, Duration.ofMillis(100), Duration.ofSeconds(30));
    }

    private static void range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be from " + min + " to " + max + ", was " + value);
        }
    }

    private static void durationRange(String field, Duration value, Duration min, Duration max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + " must be from " + Durations.human(min) + " to "
                    + Durations.human(max) + ", was " + (value == null ? "null" : Durations.human(value)));
        }
    }

    /**
     * The defaults: {@code 127.0.0.1:8765}, no token, 8 viewers, 8 MiB queued per viewer, camera frames at
     * 5 per second.
     *
     * @return the configuration
     */
    public static FoxgloveConfig loopback() {
        return new FoxgloveConfig("127.0.0.1", DEFAULT_PORT, "twinlane", null, 8, 1000, 1 << 20, 8 << 20,
                Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    /** @return this configuration listening on {@code h} (another interface than loopback is logged as a WARN) */
    public FoxgloveConfig withHost(String h) {
        return new FoxgloveConfig(h, port, name, token, maxClients, maxSubscriptions, maxMessageBytes,
                clientBufferBytes, imageInterval, closeTimeout);
    }

    /** @return this configuration on port {@code p} (0 for any free port) */
    public FoxgloveConfig withPort(int p) {
        return new FoxgloveConfig(host, p, name, token, maxClients, maxSubscriptions, maxMessageBytes,
                clientBufferBytes, imageInterval, closeTimeout);
    }

    /** @return this configuration with the server's name {@code n} */
    public FoxgloveConfig withName(String n) {
        return new FoxgloveConfig(host, port, n, token, maxClients, maxSubscriptions, maxMessageBytes,
                clientBufferBytes, imageInterval, closeTimeout);
    }

    /** @return this configuration requiring the access token {@code t} (null for none) */
    public FoxgloveConfig withToken(String t) {
        return new FoxgloveConfig(host, port, name, t, maxClients, maxSubscriptions, maxMessageBytes,
                clientBufferBytes, imageInterval, closeTimeout);
    }

    /** @return this configuration with other limits on viewers */
    public FoxgloveConfig withLimits(int clients, int subscriptions, int messageBytes, int bufferBytes) {
        return new FoxgloveConfig(host, port, name, token, clients, subscriptions, messageBytes, bufferBytes,
                imageInterval, closeTimeout);
    }

    /** @return this configuration with another interval between JPEG-compressed frames */
    public FoxgloveConfig withImageInterval(Duration interval) {
        return new FoxgloveConfig(host, port, name, token, maxClients, maxSubscriptions, maxMessageBytes,
                clientBufferBytes, interval, closeTimeout);
    }

    /** @return this configuration with another close timeout */
    public FoxgloveConfig withCloseTimeout(Duration timeout) {
        return new FoxgloveConfig(host, port, name, token, maxClients, maxSubscriptions, maxMessageBytes,
                clientBufferBytes, imageInterval, timeout);
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
                + maxMessageBytes + " B, " + clientBufferBytes + " B queued per client, images every "
                + Durations.human(imageInterval) + ", close within " + Durations.human(closeTimeout) + "]";
    }
}
