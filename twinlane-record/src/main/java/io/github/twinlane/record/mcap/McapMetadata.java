package io.github.twinlane.record.mcap;

import java.util.Map;

/**
 * A named set of key/value pairs about the recording (the robot, the software version, the drops).
 *
 * @param name for example {@code twinlane}
 * @param metadata the pairs (unmodifiable, in the order written)
 */
public record McapMetadata(String name, Map<String, String> metadata) {
}
