package io.github.twinlane;

import java.nio.ByteBuffer;
import org.HdrHistogram.Histogram;

/**
 * A whole latency distribution, in nanoseconds: what {@link LatencySummary} summarises, for reports
 * and plots that need every percentile. An immutable copy; reading it never touches the lane that
 * recorded it.
 *
 * <p>For tools that read HdrHistogram's format, {@link #toHdrHistogramBytes()} writes the distribution
 * in HdrHistogram's compressed encoding ({@code Histogram.decodeFromCompressedByteBuffer} reads it),
 * so no HdrHistogram type is part of twinlane's API.
 *
 * <p>Any thread; every method may allocate.
 */
public final class LatencyDistribution {
    /** No samples. */
    public static final LatencyDistribution EMPTY = new LatencyDistribution(new Histogram(3));

    private final Histogram h;

    private LatencyDistribution(Histogram copy) {
        this.h = copy;
    }

    /**
     * Reads a distribution written by {@link #toHdrHistogramBytes()} or by any HdrHistogram
     * ({@code encodeIntoCompressedByteBuffer}), values in nanoseconds.
     *
     * @param compressed the encoding; read from its position, not kept
     * @return the distribution
     * @throws IllegalArgumentException when the bytes are not an HdrHistogram encoding
     */
    public static LatencyDistribution fromHdrHistogramBytes(ByteBuffer compressed) {
        try {
            return new LatencyDistribution(Histogram.decodeFromCompressedByteBuffer(compressed, 0));
        } catch (java.util.zip.DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("not an HdrHistogram compressed encoding: " + e.getMessage(), e);
        }
    }

    /** Samples recorded. */
    public long count() {
        return h.getTotalCount();
    }

    /**
     * The value at a percentile.
     *
     * @param percentile from 0 to 100
     * @return nanoseconds; 0 without samples
     * @throws IllegalArgumentException naming the range and the value given
     */
    public long valueAtPercentile(double percentile) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be from 0 to 100, was " + percentile);
        }
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile);
    }

    /** The largest sample, nanoseconds; 0 without samples. */
    public long max() {
        return h.getTotalCount() == 0 ? 0 : h.getMaxValue();
    }

    /** The mean, nanoseconds; 0 without samples. */
    public double mean() {
        return h.getTotalCount() == 0 ? 0 : h.getMean();
    }

    /** p50, p99, p99.9 and max. */
    public LatencySummary summary() {
        return io.github.twinlane.internal.Latencies.summary(h);
    }

    /**
     * This distribution in HdrHistogram's compressed encoding (values in nanoseconds).
     *
     * @return a new buffer, positioned at 0, limited to the encoding
     */
    public ByteBuffer toHdrHistogramBytes() {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        buf.flip();
        buf.limit(n);
        return buf;
    }

    @Override
    public String toString() {
        return summary().toString();
    }
}
