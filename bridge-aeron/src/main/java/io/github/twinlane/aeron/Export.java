package io.github.twinlane.aeron;

import io.github.twinlane.ChannelStats;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.Tap;
import io.github.twinlane.TapStats;

/**
 * A channel's data being published over a {@link Link}, and importers' commands (if accepted)
 * being forwarded to it. Made by {@link AeronBridge#export}; closed by {@link #close()} or with the
 * bridge.
 *
 * <p>Threading: the source channel's lane only copies each message into the export's tap
 * ({@link io.github.twinlane.Tap}, named {@code aeron-<stream id>}), never waiting; the tap's slow-lane
 * thread queues it for the export's own I/O thread, which publishes and polls commands. Both queues
 * follow the export's policy and capacity, and their drops add up in {@link ExportStats#queueDropped()}.
 * Importers' commands are sent to the source from the export's thread. Thread-safe.
 */
public final class Export implements AutoCloseable {
    private final String name;
    private final Link link;
    private final DeviceChannel<?, ?> carrier;
    private final Tap feed;
    private final ExportDriver<?, ?> driver;

    Export(String name, Link link, DeviceChannel<?, ?> carrier, Tap feed, ExportDriver<?, ?> driver) {
        this.name = name;
        this.link = link;
        this.carrier = carrier;
        this.feed = feed;
        this.driver = driver;
    }

    /** @return the export's name, also its carrier channel's name in the runtime's summary */
    public String name() {
        return name;
    }

    /** @return where it publishes */
    public Link link() {
        return link;
    }

    /**
     * Every counter; see {@link ExportStats} for how they add up.
     *
     * @return a snapshot
     */
    public ExportStats stats() {
        // the driver's counters first: what it has handled was offered before, so offered >= the sum
        long published = driver.published;
        long notConnected = driver.notConnected;
        long abandoned = driver.abandoned;
        long resent = driver.resent;
        long fragments = driver.fragmentsSent;
        long refused = driver.commandsRefused;
        long forwarded = driver.commandsForwarded;
        long notAccepted = driver.commandsNotAccepted;
        InboundStats inbound = driver.inbound();
        ChannelStats c = carrier.stats();
        TapStats tap = feed.stats(); // read last: everything the carrier saw, the tap offered before
        return new ExportStats(name, c.state(), tap.offered(), tap.dropped() + c.commandsDropped(), published,
                notConnected, abandoned, c.commandsFailed(), resent, fragments, forwarded, notAccepted, refused, inbound);
    }

    /** Stops feeding and publishing; idempotent. The source channel is left open. */
    @Override
    public void close() {
        feed.close();
        carrier.close();
    }

    @Override
    public String toString() {
        return stats().toString();
    }
}
