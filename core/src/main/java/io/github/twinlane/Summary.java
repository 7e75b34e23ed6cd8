package io.github.twinlane;

import java.util.List;
import java.util.Locale;

/**
 * Renders statistics as a fixed-width table for consoles and logs: every counter that can explain a
 * problem has a column, each direction's columns sit under a group header, and a latency with no
 * sample reads "n/a", never 0.
 */
final class Summary {
    private static final String CHANNEL_ROW = "%-14s %-4s %-12s | %9s %9s %6s %7s | %9s %9s %7s %7s | %6s %6s %6s %6s | %9s %9s%n";

    private Summary() {
    }

    static String render(List<LoopStats> loops, List<ChannelStats> channels) {
        return render(loops, channels, -1, -1, 0);
    }

    /**
     * The table, and a line of what the runtime's channels and taps hold when {@code heapBytes} is 0 or more.
     *
     * @param loops the loops
     * @param channels the channels
     * @param heapBytes heap reserved by every channel and tap, or -1 for no such line
     * @param directBytes direct memory reserved by them
     * @param budgetBytes the runtime's budget, 0 for none
     * @return the text
     */
    static String render(List<LoopStats> loops, List<ChannelStats> channels, long heapBytes, long directBytes,
                         long budgetBytes) {
        StringBuilder sb = new StringBuilder();
        if (!loops.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%-14s %8s %10s %7s %7s %10s %10s %10s %10s%n", "LOOP", "PERIOD",
                    "CYCLES", "MISSED", "ERRORS", "LATE p50", "p99", "p99.9", "max"));
            for (LoopStats l : loops) {
                LatencySummary s = l.lateness();
                sb.append(String.format(Locale.ROOT, "%-14s %8s %10d %7d %7d %10s %10s %10s %10s%n", l.name(),
                        LatencySummary.human(l.periodNanos()), l.cycles(), l.missed(), l.errors(),
                        orNa(s, s.p50()), orNa(s, s.p99()), orNa(s, s.p999()), orNa(s, s.max())));
            }
            sb.append("  LATE: how long after its deadline each cycle started\n");
        }
        if (!channels.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%-33s | %-35s | %-37s | %-27s |%n", "",
                    "COMMANDS (app -> device)", "DATA (device -> app)", "FAULTS"));
            sb.append(String.format(Locale.ROOT, CHANNEL_ROW, "CHANNEL", "LANE", "STATE", "SENT", "WRITTEN",
                    "FAILED", "DROPPED", "READ", "DELIVERED", "DROPPED", "CORRUPT", "DRIVER", "HANDLR", "RECONN",
                    "STALLS", "AGE p99", "MEMORY"));
            for (ChannelStats c : channels) {
                sb.append(String.format(Locale.ROOT, CHANNEL_ROW, c.name(), c.lane(), c.state(),
                        c.commandsSent(), c.commandsWritten(), c.commandsFailed(), c.commandsDropped(),
                        c.dataReceived(), c.dataDelivered(), c.dataDropped(), c.corruptReads(),
                        c.driverErrors(), c.handlerErrors(), c.reconnects(), c.handlerStalls(),
                        orNa(c.dataLatency(), c.dataLatency().p99()),
                        io.github.twinlane.internal.MemoryBudget.bytes(c.reservedHeapBytes() + c.reservedDirectBytes())
                                .replace(" ", "")));
            }
            sb.append("  CORRUPT: reads the driver rejected as malformed; DRIVER/HANDLR: exceptions from the driver and "
                    + "your handlers;\n  AGE p99: from the driver's read to the handler's start, 99th percentile; "
                    + "MEMORY: its preallocated messages and its taps' rings\n");
        }
        if (heapBytes >= 0) {
            sb.append("  Reserved by channels and taps: ").append(io.github.twinlane.internal.MemoryBudget.bytes(heapBytes))
                    .append(" heap, ").append(io.github.twinlane.internal.MemoryBudget.bytes(directBytes))
                    .append(" direct").append(budgetBytes > 0 ? " (budget "
                            + io.github.twinlane.internal.MemoryBudget.bytes(budgetBytes) + ")" : "").append('\n');
        }
        return sb.toString();
    }

    private static String orNa(LatencySummary s, long nanos) {
        return s.count() == 0 ? "n/a" : LatencySummary.human(nanos);
    }
}
