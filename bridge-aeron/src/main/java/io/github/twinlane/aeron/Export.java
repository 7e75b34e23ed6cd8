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
 * thread (parking at most 100 µs when there is nothing to send, so a value waits at most that long
 * before Aeron) encodes it and offers it to Aeron itself, waiting out back-pressure while the tap's ring
 * (the export's policy and capacity) absorbs the values behind it; its drops are
 * {@link ExportStats#queueDropped()}. The export's own I/O thread (its carrier channel on the slow
 * lane) polls importers' commands and sends them to the source, and reopens the link when it fails.
 *
 * <p>Hand-offs per direction. Data: the device's reader → tap ring → tap thread → Aeron (the media
 * driver's sender, the network, its receiver) → the importer's reader → its ring → its dispatcher:
 * four twinlane threads. Commands: the importer's writer → Aeron → the export's I/O thread → the
 * source's ring → the source's writer: three. Over IPC a round trip crosses seven thread hand-offs,
 * over UDP eleven (the media drivers' sender and receiver threads each way). Thread-safe.
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

    /** @return the driver behind the carrier; for this package's tests */
    ExportDriver<?, ?> driver() {
        return driver;
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
        long failed = driver.failed;
        long notOpen = driver.notOpen;
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
        return new ExportStats(name, c.state(), tap.offered(), tap.dropped() + notOpen, published,
                notConnected, abandoned, failed, resent, fragments, forwarded, notAccepted, refused, inbound);
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
