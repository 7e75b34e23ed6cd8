package io.github.twinlane.internal;

import io.github.twinlane.ChannelState;
import io.github.twinlane.ChannelStats;
import io.github.twinlane.Lane;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A channel's fault counters and its two latency recorders, and how they and the pipes' own counts
 * add up to one {@link ChannelStats}. The lane's threads count; any thread reads.
 *
 * <p>Allocates nothing when counting; {@link #stats} allocates its snapshot.
 */
final class ChannelCounters {
    /** Reads the driver rejected as malformed. */
    final AtomicLong corruptReads = new AtomicLong();
    /** Exceptions from the application's handlers. */
    final AtomicLong handlerErrors = new AtomicLong();
    /** Exceptions from the driver: failed opens, reads, writes. Counted by the lifecycle too. */
    final AtomicLong driverErrors = new AtomicLong();
    /** Reopens that succeeded after a loss. Counted by the lifecycle. */
    final AtomicLong reconnects = new AtomicLong();
    /** Slow-lane handler calls over the stall threshold. */
    final AtomicLong handlerStalls = new AtomicLong();
    /** Commands the driver failed to write. */
    final AtomicLong commandsFailed = new AtomicLong();
    /** Commands refused as invalid (null, or their type's copy threw); also counted as dropped by the pipe. */
    final AtomicLong invalidCommands = new AtomicLong();
    /** Commands taken off the ring and not written: device not open, emergency stop, superseded by a stop, closing. */
    final AtomicLong commandsDiscarded = new AtomicLong();
    /** From the driver's read to the handlers' start. */
    final LatencyRecorder dataLatency = new LatencyRecorder();
    /** From {@code send} to the driver's write. */
    final LatencyRecorder commandLatency = new LatencyRecorder();

    /**
     * A snapshot of everything. Exact once the channel is closed: what was still queued then is
     * counted as dropped.
     *
     * @param name the channel
     * @param lane its lane
     * @param state its state now
     * @param closed whether it is closed (its pending values count as dropped)
     * @param inbound device to handlers
     * @param outbound senders to the device
     * @param emergencyStops emergency stops latched
     * @param safeStops safe commands written (watchdog, close)
     * @return the statistics
     */
    ChannelStats stats(String name, Lane lane, ChannelState state, boolean closed, Pipe<?> inbound, Pipe<?> outbound,
                       long emergencyStops, long safeStops, long reservedHeap, long reservedDirect) {
        long cmdPending = closed ? Math.max(0, outbound.pending()) : 0;
        long dataPending = closed ? Math.max(0, inbound.pending()) : 0;
        long failed = commandsFailed.get();
        long notOpen = commandsDiscarded.get();
        return new ChannelStats(name, lane, state,
                outbound.offered(), outbound.delivered() - failed - notOpen, failed,
                outbound.dropped() + notOpen + cmdPending,
                inbound.offered(), inbound.delivered(), inbound.dropped() + dataPending,
                corruptReads.get(), handlerErrors.get(), driverErrors.get(), reconnects.get(),
                handlerStalls.get(), Latencies.summary(dataLatency.total()),
                Latencies.summary(commandLatency.total()), emergencyStops, safeStops, reservedHeap, reservedDirect);
    }
}
