package io.github.twinlane.internal;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies recorded by lane threads (wait-free, allocation-free: HdrHistogram's {@link Recorder})
 * and read by anyone as an interval or as the whole run.
 */
public final class LatencyRecorder {
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(60);
    private final Recorder recorder = new Recorder(MAX_NANOS, 3);
    private final Histogram total = new Histogram(MAX_NANOS, 3);
    private Histogram interval;

    /**
     * Records one latency. Any thread; wait-free; values above 60 s are clamped.
     *
     * @param nanos the latency
     */
    public void record(long nanos) {
        recorder.recordValue(Math.max(0, Math.min(nanos, MAX_NANOS)));
    }

    /**
     * Records one latency, filling in the samples a stalled measurement missed (coordinated
     * omission): see {@link Histogram#recordValueWithExpectedInterval}.
     *
     * @param nanos the latency
     * @param expectedIntervalNanos the interval at which samples were due
     */
    public void recordCorrected(long nanos, long expectedIntervalNanos) {
        recorder.recordValueWithExpectedInterval(Math.max(0, Math.min(nanos, MAX_NANOS)),
                expectedIntervalNanos);
    }

    /**
     * Moves what was recorded since the last call into the run total and returns it as the interval.
     *
     * @return the interval histogram; owned by this recorder, valid until the next call
     */
    public synchronized Histogram interval() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return interval;
    }

    /**
     * A copy of everything recorded so far.
     *
     * @return a new histogram (allocates; for reports, not hot paths)
     */
    public synchronized Histogram total() {
        Histogram latest = recorder.getIntervalHistogram(interval);
        interval = latest;
        total.add(latest);
        return total.copy();
    }
}
