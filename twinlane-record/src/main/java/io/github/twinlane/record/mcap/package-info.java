/**
 * The MCAP file format (mcap.dev/spec), written and read from the specification: {@link
 * io.github.twinlane.record.mcap.McapWriter} (chunked, zstd or lz4, indexed, with a summary),
 * {@link io.github.twinlane.record.mcap.McapReader} (any conforming file; every length and every decoded
 * size bounded by the file and by {@link io.github.twinlane.record.mcap.McapLimits} before it is allocated,
 * every CRC checked) and {@link io.github.twinlane.record.mcap.McapRecovery} (a recording cut short made
 * whole). No twinlane types: usable on its own.
 */
package io.github.twinlane.record.mcap;
