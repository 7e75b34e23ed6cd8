package io.github.twinlane.record.mcap;

import java.util.Map;

/**
 * What a file holds, from its summary.
 *
 * @param messageCount messages
 * @param schemaCount schemas
 * @param channelCount channels
 * @param attachmentCount attachments
 * @param metadataCount metadata records
 * @param chunkCount chunks
 * @param messageStartTime the earliest log time, 0 without messages
 * @param messageEndTime the latest log time, 0 without messages
 * @param channelMessageCounts messages per channel id (unmodifiable)
 */
public record McapStatistics(long messageCount, int schemaCount, long channelCount, long attachmentCount,
                             long metadataCount, long chunkCount, long messageStartTime, long messageEndTime,
                             Map<Integer, Long> channelMessageCounts) {
}
