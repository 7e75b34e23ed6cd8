package io.github.twinlane;

/**
 * A snapshot of one channel's counters. Values are read one by one while the channel runs, so a
 * snapshot of a busy channel can be off by the messages in flight; once the channel is quiet or
 * closed the identities hold exactly:
 * {@code commandsSent = commandsWritten + commandsFailed + commandsDropped} and
 * {@code dataReceived = dataDelivered + dataDropped}.
 *
 * @param name the channel
 * @param lane its lane
 * @param state its state when read
 * @param commandsSent commands given to {@code send}
 * @param commandsWritten commands the driver wrote
 * @param commandsFailed commands whose write threw
 * @param commandsDropped commands refused, conflated, aged out, dropped while not open, or left at close
 * @param dataReceived values read from the device
 * @param dataDelivered values handed to the handlers (each value counts once, whatever the number of handlers)
 * @param dataDropped values conflated, refused or left at close
 * @param corruptReads reads the driver rejected as corrupt (not in dataReceived)
 * @param handlerErrors exceptions thrown by handlers
 * @param driverErrors exceptions thrown by the driver (each one started a reconnect)
 * @param reconnects times the device was reopened after a failure
 * @param handlerStalls slow-lane handler calls longer than the stall threshold
 * @param dataLatency read to handler, per value
 * @param commandLatency send to the start of the device write, per command
 * @param emergencyStops emergency stops written (out of band, not in commandsSent)
 * @param safeStops safe commands the channel wrote itself: watchdog trips, close, shutdown (not in commandsSent)
 * @param reservedHeapBytes heap the channel's preallocated messages and its taps' rings take, as reserved in the
 *     runtime's memory budget ({@link ChannelConfig#maxBytes()}, {@link TapConfig#maxBytes()}); 0 once closed
 * @param reservedDirectBytes direct memory they take (frames' buffers)
 */
public record ChannelStats(String name, Lane lane, ChannelState state,
                           long commandsSent, long commandsWritten, long commandsFailed, long commandsDropped,
                           long dataReceived, long dataDelivered, long dataDropped, long corruptReads,
                           long handlerErrors, long driverErrors, long reconnects, long handlerStalls,
                           LatencySummary dataLatency, LatencySummary commandLatency, long emergencyStops,
                           long safeStops, long reservedHeapBytes, long reservedDirectBytes) {

    @Override
    public String toString() {
        return name + " [" + lane + ", " + state + "] commands sent " + commandsSent + " written "
                + commandsWritten + " failed " + commandsFailed + " dropped " + commandsDropped
                + " | data received " + dataReceived + " delivered " + dataDelivered + " dropped "
                + dataDropped + " corrupt " + corruptReads + " | errors handler " + handlerErrors
                + " driver " + driverErrors + " | reconnects " + reconnects + " stalls " + handlerStalls
                + " | data latency " + dataLatency + " | command latency " + commandLatency
                + (emergencyStops + safeStops > 0 ? " | emergency stops " + emergencyStops + " safe stops " + safeStops : "")
                + " | reserved heap " + io.github.twinlane.internal.MemoryBudget.bytes(reservedHeapBytes) + " direct "
                + io.github.twinlane.internal.MemoryBudget.bytes(reservedDirectBytes);
    }
}
