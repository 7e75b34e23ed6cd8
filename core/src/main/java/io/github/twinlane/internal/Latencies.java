package io.github.twinlane.internal;

import io.github.twinlane.LatencyDistribution;
import io.github.twinlane.LatencySummary;
import java.nio.ByteBuffer;
import org.HdrHistogram.Histogram;

/** Turns the recorders' HdrHistograms into twinlane's value types, so none of HdrHistogram's leaks out. */
public final class Latencies {
    private Latencies() {
    }

    /**
     * p50, p99, p99.9 and max of a histogram.
     *
     * @param h nanoseconds
     * @return the summary; {@link LatencySummary#EMPTY} without samples
     */
    public static LatencySummary summary(Histogram h) {
        if (h == null || h.getTotalCount() == 0) {
            return LatencySummary.EMPTY;
        }
        return new LatencySummary(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getMaxValue());
    }

    /**
     * A copy of a histogram as a {@link LatencyDistribution}. Allocates; for readers, never a lane.
     *
     * @param h nanoseconds
     * @return the distribution
     */
    public static LatencyDistribution distribution(Histogram h) {
        if (h == null || h.getTotalCount() == 0) {
            return LatencyDistribution.EMPTY;
        }
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        h.encodeIntoCompressedByteBuffer(buf);
        buf.flip();
        return LatencyDistribution.fromHdrHistogramBytes(buf);
    }
}
