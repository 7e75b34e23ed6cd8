package io.github.twinlane.record;

import java.nio.file.Path;
import java.util.List;

/**
 * A recording's counters. Per stream, every value the channel offered is accounted for:
 * {@code offered == written + dropped + failed + thinned + pending}, where pending ones are still in the stream's
 * backlog (for {@code /twinlane/events}, its queue).
 *
 * @param files the files written so far, in order
 * @param streams one entry per recorded stream
 */
public record RecordingStats(List<Path> files, List<Stream> streams) {

    /**
     * One recorded stream.
     *
     * @param topic its topic in the file, for example {@code /drive/data}
     * @param offered values the channel handed to the recording
     * @param written values written into the file
     * @param dropped values dropped because the backlog was full (the file was busy) or still queued at close
     * @param failed values that could not be encoded or written (logged)
     * @param thinned values left out on purpose: they came sooner after the last one written than the
     *     stream's {@linkplain Recording#data(io.github.twinlane.DeviceChannel, RecordCodec, java.time.Duration)
     *     interval}
     */
    public record Stream(String topic, long offered, long written, long dropped, long failed, long thinned) {
    }

    /** @return values written, all streams */
    public long written() {
        return streams.stream().mapToLong(Stream::written).sum();
    }

    /** @return values that could not be encoded or written, all streams */
    public long failed() {
        return streams.stream().mapToLong(Stream::failed).sum();
    }

    /** @return values dropped, all streams */
    public long dropped() {
        return streams.stream().mapToLong(Stream::dropped).sum();
    }
}
