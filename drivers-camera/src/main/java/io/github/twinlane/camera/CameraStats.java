package io.github.twinlane.camera;

/**
 * A camera driver's counters.
 *
 * @param packets compressed frames read from the source
 * @param decoded frames decoded
 * @param skippedUndecoded intra-only frames never decoded because no consumer was waiting
 * @param decodeErrors packets the decoder rejected
 * @param endOfStream whether a file reached its end (and does not loop)
 * @param packetsHanded packets handed to {@linkplain FfmpegCameraDriver#onPacket packet listeners}, once per
 *     listener
 * @param packetFailures packets FFmpeg's Annex B filter refused, plus listener calls that threw
 */
public record CameraStats(long packets, long decoded, long skippedUndecoded, long decodeErrors, boolean endOfStream,
                          long packetsHanded, long packetFailures) {
}
