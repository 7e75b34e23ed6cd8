package io.github.twinlane.camera;

import java.nio.file.Path;
import java.util.Objects;

/** Where frames come from: a V4L2 camera, a video file, or a network stream. */
public sealed interface CameraSource {

    /**
     * What FFmpeg opens.
     *
     * @return a device path, file path or URL
     */
    String url();

    /**
     * A V4L2 camera ({@code /dev/video0}). Needs FFmpeg's device layer, which needs {@code libpulse.so.0}.
     *
     * @param path the device
     */
    record Device(String path) implements CameraSource {
        /** Validates. */
        public Device {
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException("device path must name a V4L2 device such as /dev/video0, was \"" + path + "\"");
            }
        }

        /**
         * The camera {@code /dev/videoN}.
         *
         * @param index N, 0 to 63
         * @return the source
         */
        public static Device index(int index) {
            if (index < 0 || index > 63) {
                throw new IllegalArgumentException("device index must be from 0 to 63, was " + index);
            }
            return new Device("/dev/video" + index);
        }

        @Override
        public String url() {
            return path;
        }
    }

    /**
     * A video file.
     *
     * @param path the file
     */
    record File(Path path) implements CameraSource {
        /** Validates. */
        public File {
            io.github.twinlane.spi.Require.notNull(path, "file path", "a video file's path");
        }

        @Override
        public String url() {
            return path.toString();
        }
    }

    /**
     * A network stream: {@code rtsp://}, {@code http://}, {@code tcp://}, {@code udp://}.
     *
     * @param url the URL
     */
    record Stream(String url) implements CameraSource {
        /** Validates. */
        public Stream {
            if (url == null || !url.matches("(?i)(rtsp|rtsps|http|https|tcp|udp|rtp|srt)://.+")) {
                throw new IllegalArgumentException("stream url must start with rtsp://, http(s)://, tcp://, udp://, "
                        + "rtp:// or srt://, was \"" + url + "\"");
            }
        }
    }

    /**
     * Guesses the kind from text: {@code /dev/video*} or a number is a device, {@code scheme://} a
     * stream, anything else a file. For command lines.
     *
     * @param text the argument
     * @return the source
     */
    static CameraSource parse(String text) {
        if (text.matches("\\d+")) {
            return Device.index(Integer.parseInt(text));
        }
        if (text.startsWith("/dev/video")) {
            return new Device(text);
        }
        if (text.contains("://")) {
            return new Stream(text);
        }
        return new File(Path.of(text));
    }
}
