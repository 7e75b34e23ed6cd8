package io.github.twinlane.examples;

import io.github.twinlane.LatencySummary;
import org.HdrHistogram.Histogram;

/** The examples measure their own latencies with HdrHistogram; this turns one into twinlane's summary type. */
final class Percentiles {
    private Percentiles() {
    }

    static LatencySummary of(Histogram h) {
        if (h == null || h.getTotalCount() == 0) {
            return LatencySummary.EMPTY;
        }
        return new LatencySummary(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getMaxValue());
    }
}
