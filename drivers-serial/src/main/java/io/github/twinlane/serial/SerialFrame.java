package io.github.twinlane.serial;

import io.github.twinlane.MessageType;

/**
 * One frame on a serial line: the payload a codec cut out of the byte stream (data), or the payload
 * to frame and send (commands). Mutable and reusable; preallocated at the codec's maximum size.
 */
public final class SerialFrame {
    private final byte[] data;
    private int length;

    /**
     * An empty frame.
     *
     * @param capacity the largest payload
     */
    public SerialFrame(int capacity) {
        this.data = new byte[capacity];
    }

    /**
     * The message type for frames of up to {@code capacity} bytes.
     *
     * @param capacity the largest payload
     * @return the type
     */
    public static MessageType<SerialFrame> type(int capacity) {
        return MessageType.of(() -> new SerialFrame(capacity), SerialFrame::copyTo);
    }

    /**
     * The payload bytes; only the first {@link #length()} are valid.
     *
     * @return the array, shared, not copied
     */
    public byte[] data() {
        return data;
    }

    /**
     * The payload length.
     *
     * @return bytes
     */
    public int length() {
        return length;
    }

    /**
     * Sets the payload from a range.
     *
     * @param src the bytes
     * @param off start
     * @param len length, at most the capacity
     * @return this
     * @throws IllegalArgumentException if longer than the capacity
     */
    public SerialFrame set(byte[] src, int off, int len) {
        if (len > data.length) {
            throw new IllegalArgumentException("frame of " + len + " bytes exceeds the capacity of " + data.length);
        }
        System.arraycopy(src, off, data, 0, len);
        length = len;
        return this;
    }

    /**
     * Sets the payload from ASCII text, for line protocols.
     *
     * @param text the text
     * @return this
     */
    public SerialFrame setAscii(CharSequence text) {
        if (text.length() > data.length) {
            throw new IllegalArgumentException("frame of " + text.length() + " bytes exceeds the capacity of " + data.length);
        }
        for (int i = 0; i < text.length(); i++) {
            data[i] = (byte) text.charAt(i);
        }
        length = text.length();
        return this;
    }

    /**
     * The payload as ASCII text (allocates: for logs and tests).
     *
     * @return the text
     */
    public String ascii() {
        return new String(data, 0, length, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * Copies into another frame.
     *
     * @param to the destination
     */
    public void copyTo(SerialFrame to) {
        to.set(data, 0, Math.min(length, data.length));
    }
}
