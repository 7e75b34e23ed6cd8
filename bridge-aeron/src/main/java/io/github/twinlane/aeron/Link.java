package io.github.twinlane.aeron;

import io.aeron.ChannelUriStringBuilder;
import io.aeron.CommonContext;
import java.util.Objects;

/**
 * Where one exported device travels: two Aeron channels and a stream id. Data (telemetry, frames)
 * flows from the exporting process on {@link #dataChannel()}, stream {@link #dataStreamId()};
 * commands and late-join requests flow back on {@link #commandChannel()}, stream
 * {@link #commandStreamId()}. Both processes must use equal links.
 *
 * <p>Transports:
 * <ul>
 *   <li>{@link #ipc(int)}: shared memory, both processes on one machine and one media driver (the
 *       importer connects to the exporter's driver with {@link BridgeConfig#externalDriver}).</li>
 *   <li>{@link #udp(int)}: UDP unicast on the loopback interface, the default. Processes with
 *       their own media drivers on one machine.</li>
 *   <li>{@link #udp(String, String, int)}: UDP unicast between machines. Data goes to the
 *       importer's address, commands to the exporter's: each side binds its own.</li>
 *   <li>{@link #multicast(String, String, String, int)}: UDP multicast, for many importers of one
 *       export (an operator station and a logger watching the same camera).</li>
 * </ul>
 *
 * <p>Aeron's UDP transport has no authentication and no encryption: anyone who can send to these
 * ports can inject data or, if an export accepts them, commands. Keep non-loopback links on a
 * trusted network segment.
 *
 * @param dataChannel the Aeron channel URI for data
 * @param commandChannel the Aeron channel URI for commands
 * @param streamId the data stream id; commands use {@code streamId + 1}
 */
public record Link(String dataChannel, String commandChannel, int streamId) {
    /** The loopback data endpoint {@link #udp(int)} uses. */
    public static final String LOOPBACK_DATA = "127.0.0.1:40456";
    /** The loopback command endpoint {@link #udp(int)} uses. */
    public static final String LOOPBACK_COMMANDS = "127.0.0.1:40457";
    /** The MTU loopback links use, Aeron's largest. Other links keep Aeron's Ethernet-safe default. */
    public static final int LOOPBACK_MTU = 65504;

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException naming the value and what is expected
     */
    public Link {
        io.github.twinlane.spi.Require.notNull(dataChannel, "dataChannel", "an Aeron channel URI");
        io.github.twinlane.spi.Require.notNull(commandChannel, "commandChannel", "an Aeron channel URI");
        if (!dataChannel.startsWith("aeron:") || !commandChannel.startsWith("aeron:")) {
            throw new IllegalArgumentException("Aeron channels start with 'aeron:', such as aeron:ipc or "
                    + "aeron:udp?endpoint=127.0.0.1:40456; got '" + dataChannel + "' and '" + commandChannel + "'");
        }
        if (streamId <= 0 || streamId == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("streamId must be 1 to " + (Integer.MAX_VALUE - 1)
                    + " (commands use streamId + 1), was " + streamId);
        }
        if (dataChannel.equals(commandChannel) && dataChannel.startsWith("aeron:udp")) {
            throw new IllegalArgumentException("a UDP link needs two endpoints, one bound by each side: data to the "
                    + "importer, commands to the exporter; both were " + dataChannel);
        }
    }

    /**
     * Shared memory on one machine and one media driver.
     *
     * @param streamId the data stream id; commands use {@code streamId + 1}
     * @return the link
     */
    public static Link ipc(int streamId) {
        return new Link(CommonContext.IPC_CHANNEL, CommonContext.IPC_CHANNEL, streamId);
    }

    /**
     * UDP unicast on loopback: data to {@value #LOOPBACK_DATA}, commands to {@value #LOOPBACK_COMMANDS}.
     *
     * @param streamId the data stream id; commands use {@code streamId + 1}
     * @return the link
     */
    public static Link udp(int streamId) {
        return udp(LOOPBACK_DATA, LOOPBACK_COMMANDS, streamId);
    }

    /**
     * UDP unicast: data to the importer's {@code host:port}, commands to the exporter's.
     *
     * @param importerEndpoint where the importing process receives data, {@code host:port}
     * @param exporterEndpoint where the exporting process receives commands, {@code host:port}
     * @param streamId the data stream id; commands use {@code streamId + 1}
     * @return the link
     * @throws IllegalArgumentException if an endpoint is not {@code host:port}
     */
    public static Link udp(String importerEndpoint, String exporterEndpoint, int streamId) {
        return new Link(udpUri(importerEndpoint, null), udpUri(exporterEndpoint, null), streamId);
    }

    /**
     * UDP multicast: every importer joins {@code dataGroup}; the exporter joins {@code commandGroup}.
     * The interface must have multicast enabled ({@code ip link show} lists MULTICAST).
     *
     * @param dataGroup multicast {@code group:port} for data, e.g. {@code 239.1.1.1:40456}
     * @param commandGroup multicast {@code group:port} for commands
     * @param interfaceAddress the local interface's address, e.g. {@code 192.168.1.10}
     * @param streamId the data stream id; commands use {@code streamId + 1}
     * @return the link
     */
    public static Link multicast(String dataGroup, String commandGroup, String interfaceAddress, int streamId) {
        io.github.twinlane.spi.Require.notNull(interfaceAddress, "interfaceAddress", "a host:port");
        return new Link(udpUri(dataGroup, interfaceAddress), udpUri(commandGroup, interfaceAddress), streamId);
    }

    private static String udpUri(String endpoint, String networkInterface) {
        io.github.twinlane.spi.Require.notNull(endpoint, "endpoint", "a host:port");
        int colon = endpoint.lastIndexOf(':');
        int port = -1;
        if (colon > 0) {
            try {
                port = Integer.parseInt(endpoint.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint must be host:port with a port from 1 to 65535, such as "
                    + LOOPBACK_DATA + "; was '" + endpoint + "'");
        }
        ChannelUriStringBuilder b = new ChannelUriStringBuilder().media("udp").endpoint(endpoint);
        String host = endpoint.substring(0, colon);
        if (networkInterface == null && (host.startsWith("127.") || host.equals("localhost"))) {
            // loopback carries 64 KiB datagrams without IP fragmentation: 45x fewer packets than a
            // 1,408-byte Ethernet-safe MTU, which is what lets a 6 MB frame cross quickly
            b.mtu(LOOPBACK_MTU);
        }
        if (networkInterface != null) {
            b.networkInterface(networkInterface);
        }
        return b.build();
    }

    /** @return the stream id data uses */
    public int dataStreamId() {
        return streamId;
    }

    /** @return the stream id commands and late-join requests use */
    public int commandStreamId() {
        return streamId + 1;
    }

    /** @return true for IPC and for UDP whose endpoints are all on 127.0.0.0/8 or localhost */
    public boolean localOnly() {
        return isLocal(dataChannel) && isLocal(commandChannel);
    }

    private static boolean isLocal(String uri) {
        return uri.startsWith(CommonContext.IPC_CHANNEL)
                || uri.contains("endpoint=127.") || uri.contains("endpoint=localhost:");
    }

    @Override
    public String toString() {
        return dataChannel.equals(commandChannel)
                ? dataChannel + " streams " + dataStreamId() + "/" + commandStreamId()
                : "data " + dataChannel + " stream " + dataStreamId() + ", commands " + commandChannel
                        + " stream " + commandStreamId();
    }
}
