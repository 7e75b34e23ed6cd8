package io.github.twinlane.internal;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Latencies recorded by one lane thread (wait-free, allocation-free: HdrHistogram's
 * {@link SingleWriterRecorder}, a plain histogram underneath, where the multi-writer Recorder pays
 * atomic increments per value) and read by anyone as an interval or as the whole run.
 *
 * <p>Memory: two significant digits (1 % resolution) up to 60 s, about 30 KB per histogram, created
 * on the first value, so a direction that never carries a message (a camera's commands) costs
 * nothing; a thousand slow devices do not pay a gigabyte for their metrics.
 *
 * <p>Threading: {@link #record} and {@link #recordCorrected} from one thread only (each channel
 * direction and each loop has exactly one consumer thread); the readers from any thread.
 */
public final class LatencyRecorder {
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int DIGITS = 2;
    private volatile SingleWriterRecorder recorder;
    private Histogram total;
    private Histogram handedOut;
    private Histogram sinceInterval; // drained from the recorder but not yet handed out by interval()
    private Histogram spare;

    private SingleWriterRecorder recorder() {
        SingleWriterRecorder r = recorder;
        if (r == null) {
            r = new SingleWriterRecorder(MAX_NANOS, DIGITS); // once, on the writer thread's first value
            recorder = r;
        }
        return r;
    }

    /**
     * Records one latency. The single writer thread; wait-free; values above 60 s are clamped.
     *
     * @param nanos the latency
     */
    public void record(long nanos) {
        recorder().recordValue(Math.max(0, Math.min(nanos, MAX_NANOS)));
    }

    /**
     * Records one latency, filling in the samples a stalled measurement missed (coordinated
     * omission): see {@link Histogram#recordValueWithExpectedInterval}.
     *
     * @param nanos the latency
     * @param expectedIntervalNanos the interval at which samples were due
     */
    public void recordCorrected(long nanos, long expectedIntervalNanos) {
        recorder().recordValueWithExpectedInterval(Math.max(0, Math.min(nanos, MAX_NANOS)), expectedIntervalNanos);
    }

    /**
     * What was recorded since the previous call of this method (a {@link #total()} in between does not
     * take anything away from it).
     *
     * @return the interval histogram; owned by this recorder, valid until the next call
     */
    public synchronized Histogram interval() {
        drain();
        Histogram out = sinceInterval;
        sinceInterval = spare;
        sinceInterval.reset();
        spare = out;
        return out;
    }

    /**
     * A copy of everything recorded so far.
     *
     * @return a new histogram (allocates; for reports, not hot paths)
     */
    public synchronized Histogram total() {
        drain();
        return total.copy();
    }

    private void drain() {
        if (total == null) {
            total = new Histogram(MAX_NANOS, DIGITS);
            sinceInterval = new Histogram(MAX_NANOS, DIGITS);
            spare = new Histogram(MAX_NANOS, DIGITS);
        }
        SingleWriterRecorder r = recorder;
        if (r == null) {
            return; // nothing recorded yet
        }
        handedOut = r.getIntervalHistogram(handedOut); // recycles only what this recorder handed out
        total.add(handedOut);
        sinceInterval.add(handedOut);
    }
}
