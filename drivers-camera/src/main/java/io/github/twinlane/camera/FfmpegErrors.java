package io.github.twinlane.camera;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.charset.StandardCharsets;
import org.bytedeco.javacpp.BytePointer;

/**
 * FFmpeg's error codes as text: {@code av_strerror} writes a NUL-terminated string into a buffer,
 * and only the bytes before the terminator are text. The rest of the buffer is whatever the native
 * heap held, which must never reach a message or a log line.
 */
final class FfmpegErrors {
    private static final int BUFFER = 256;

    private FfmpegErrors() {
    }

    /**
     * The text for an FFmpeg error code, for example "Connection refused".
     *
     * <p>Any thread; allocates a small native buffer and frees it before returning.
     */
    static String describe(int errorCode) {
        try (BytePointer buf = new BytePointer(BUFFER)) {
            buf.fill(0);
            if (av_strerror(errorCode, buf, BUFFER) < 0) {
                return "FFmpeg error " + errorCode;
            }
            byte[] bytes = new byte[BUFFER];
            buf.get(bytes);
            return text(bytes);
        }
    }

    /** The bytes before the first NUL, as UTF-8; control characters replaced, so a log line stays one line. */
    static String text(byte[] cString) {
        int end = 0;
        while (end < cString.length && cString[end] != 0) {
            end++;
        }
        String s = new String(cString, 0, end, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString().strip();
    }
}
