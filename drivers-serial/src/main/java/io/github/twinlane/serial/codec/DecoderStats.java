package io.github.twinlane.serial.codec;

/**
 * A decoder's accounting: every byte fed is in a frame, dropped, or still pending.
 *
 * @param bytesIn bytes fed
 * @param frames frames emitted
 * @param frameBytes bytes consumed by emitted frames, framing included
 * @param droppedBytes bytes discarded: garbage, bad frames, oversize frames
 * @param badFrames frames that failed validation (CRC, escapes, structure)
 * @param oversize frames longer than the size limit
 * @param pendingBytes bytes held for a frame not yet complete
 */
public record DecoderStats(long bytesIn, long frames, long frameBytes, long droppedBytes, long badFrames,
                           long oversize, long pendingBytes) {
}
