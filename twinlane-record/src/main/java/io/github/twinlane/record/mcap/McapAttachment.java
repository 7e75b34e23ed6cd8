package io.github.twinlane.record.mcap;

/**
 * A file stored beside the messages (a configuration, a calibration, a log).
 *
 * @param logTime when it was recorded
 * @param createTime when it was created, 0 if unknown
 * @param name its name, for example {@code config.json}
 * @param contentType its MIME type, for example {@code application/json}
 * @param data its bytes (not copied)
 */
public record McapAttachment(long logTime, long createTime, String name, String contentType, byte[] data) {
}
