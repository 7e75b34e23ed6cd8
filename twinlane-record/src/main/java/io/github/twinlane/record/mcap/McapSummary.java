package io.github.twinlane.record.mcap;

import java.util.List;

/**
 * What a file's summary section says, read from its footer without scanning the data.
 *
 * @param schemas every schema
 * @param channels every channel
 * @param chunkCount chunk index records (one per chunk)
 * @param attachments attachment names, from the attachment indexes
 * @param metadata metadata record names, from the metadata indexes
 * @param statistics the statistics record, or null if the file has none
 */
public record McapSummary(List<McapSchema> schemas, List<McapChannel> channels, long chunkCount,
                          List<String> attachments, List<String> metadata, McapStatistics statistics) {
}
