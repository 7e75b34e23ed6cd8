package io.github.twinlane.record.mcap;

/**
 * How a linear read of a file ended.
 *
 * @param complete whether it reached the data-end record (the file was closed properly)
 * @param validBytes the offset just past the last complete, valid record of the data section
 * @param messages messages read
 * @param chunks chunks read
 * @param problem why it stopped early (truncation or corruption, naming the offset); null if complete
 */
public record McapScan(boolean complete, long validBytes, long messages, long chunks, McapException problem) {
}
