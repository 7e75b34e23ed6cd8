package io.github.twinlane.aeron;

/**
 * One imported device's link counters, beside the channel's own {@link io.github.twinlane.ChannelStats}.
 *
 * @param name the remote device's description
 * @param inbound what the data stream received
 * @param commandsSent commands offered whole to the exporter
 * @param commandsRefused commands not sent because the exporter announced it refuses remote commands
 * @param commandsTimedOut commands given up after back-pressure outlasted the offer timeout
 * @param lastError the last link problem reported (a schema mismatch, a refused command), or null
 */
public record RemoteStats(String name, InboundStats inbound, long commandsSent, long commandsRefused,
                          long commandsTimedOut, String lastError) {

    @Override
    public String toString() {
        return "remote " + name + " | " + inbound + " | commands sent " + commandsSent + " refused "
                + commandsRefused + " timed-out " + commandsTimedOut
                + (lastError == null ? "" : " | last error: " + lastError);
    }
}
