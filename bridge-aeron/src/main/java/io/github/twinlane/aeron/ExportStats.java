package io.github.twinlane.aeron;

import io.github.twinlane.ChannelState;

/**
 * One export's counters. Every message the device delivered is accounted for:
 * {@code offered == queueDropped + published + notConnected + abandoned + failed + queued}, where
 * queued is at most the export's capacity plus one in hand.
 *
 * @param name the export's name
 * @param state the export's own channel state ({@code OPEN} once its publication exists)
 * @param offered messages the device delivered to the export
 * @param queueDropped dropped by the export's policy while Aeron back-pressured, or while the export
 *     was reopening its link
 * @param published sent whole
 * @param notConnected not sent because no importer was connected
 * @param abandoned given up after back-pressure outlasted the offer timeout (possibly part-sent)
 * @param failed lost to a publication error (the export then reopens)
 * @param resent newest messages sent again to late joiners
 * @param fragmentsSent Aeron frames offered
 * @param commandsForwarded remote commands the device accepted
 * @param commandsNotAccepted remote commands the device's own send refused (its policy, its state,
 *     an emergency stop); counted there too
 * @param commandsRefused remote commands refused because the export does not accept commands
 * @param inbound what the command stream received
 */
public record ExportStats(String name, ChannelState state, long offered, long queueDropped, long published,
                          long notConnected, long abandoned, long failed, long resent, long fragmentsSent,
                          long commandsForwarded, long commandsNotAccepted, long commandsRefused,
                          InboundStats inbound) {

    @Override
    public String toString() {
        return "export " + name + " [" + state + "] offered " + offered + " queue-dropped " + queueDropped
                + " published " + published + " not-connected " + notConnected + " abandoned " + abandoned
                + " failed " + failed + " resent " + resent + " fragments " + fragmentsSent
                + " | commands forwarded " + commandsForwarded + " not-accepted " + commandsNotAccepted + " refused "
                + commandsRefused + " | " + inbound;
    }
}
