package io.github.twinlane.record.mcap;

/**
 * One message as read back.
 *
 * @param channelId its channel
 * @param sequence the writer's counter for the channel
 * @param logTime when it was recorded, ns since the recording's epoch (twinlane writes Unix epoch ns)
 * @param publishTime when it was published (for twinlane: received from the device or sent to it)
 * @param data the encoded message (a new array per message)
 */
public record McapMessage(int channelId, long sequence, long logTime, long publishTime, byte[] data) {
}
