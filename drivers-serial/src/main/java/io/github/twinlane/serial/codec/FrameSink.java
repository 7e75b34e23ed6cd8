package io.github.twinlane.serial.codec;

/** Receives decoded frames. */
@FunctionalInterface
public interface FrameSink {
    /**
     * One complete, validated frame.
     *
     * @param buf the decoder's buffer; valid only during the call
     * @param off where the payload starts
     * @param len payload length
     */
    void onFrame(byte[] buf, int off, int len);
}
