package io.github.twinlane;

import java.util.List;
import java.util.Locale;

/** Renders statistics as a fixed-width table for consoles and logs. */
final class Summary {
    private Summary() {
    }

    static String render(List<LoopStats> loops, List<ChannelStats> channels) {
        StringBuilder sb = new StringBuilder();
        if (!loops.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%-14s %8s %10s %7s %7s %10s %10s %10s %10s%n", "LOOP", "PERIOD",
                    "CYCLES", "MISSED", "ERRORS", "LATE p50", "p99", "p99.9", "max"));
            for (LoopStats l : loops) {
                LatencySummary s = l.lateness();
                sb.append(String.format(Locale.ROOT, "%-14s %8s %10d %7d %7d %10s %10s %10s %10s%n", l.name(),
                        LatencySummary.human(l.periodNanos()), l.cycles(), l.missed(), l.errors(),
                        LatencySummary.human(s.p50()), LatencySummary.human(s.p99()),
                        LatencySummary.human(s.p999()), LatencySummary.human(s.max())));
            }
        }
        if (!channels.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%-14s %-4s %-12s %9s %9s %7s %9s %9s %8s %6s %6s %6s %10s%n",
                    "CHANNEL", "LANE", "STATE", "CMD SENT", "WRITTEN", "DROPPED", "DATA IN", "DELIVERED",
                    "DROPPED", "ERRORS", "RECONN", "STALLS", "DATA p99"));
            for (ChannelStats c : channels) {
                sb.append(String.format(Locale.ROOT, "%-14s %-4s %-12s %9d %9d %7d %9d %9d %8d %6d %6d %6d %10s%n",
                        c.name(), c.lane(), c.state(), c.commandsSent(), c.commandsWritten(), c.commandsDropped(),
                        c.dataReceived(), c.dataDelivered(), c.dataDropped(),
                        c.handlerErrors() + c.driverErrors() + c.commandsFailed(), c.reconnects(), c.handlerStalls(),
                        LatencySummary.human(c.dataLatency().p99())));
            }
        }
        return sb.toString();
    }
}
