package io.github.twinlane.camera;

import io.github.twinlane.video.PixelFormat;
import java.time.Duration;
import java.util.Objects;

/**
 * How to open one camera. Immutable; built by {@link #of(CameraSource)}, whose builder rejects bad
 * values with a message naming the field.
 *
 * @param source where frames come from
 * @param width requested width in pixels, or 0 for the source's own; set with height
 * @param height requested height, or 0
 * @param fps requested frame rate for a device, or 0 for its default
 * @param pixelFormat the pixel layout delivered
 * @param decodeThreads FFmpeg decoder threads for this camera, 1 to 16 (default 1, so one camera cannot take every core)
 * @param ioTimeout the longest a single FFmpeg read may block before the stream counts as stalled
 * @param decodeOnDemand for intra-only streams (MJPEG), decode only frames a consumer takes
 * @param loopFile whether a file starts over at its end (else it stops delivering)
 * @param inputFormat the device's input format to ask for (e.g. {@code mjpeg}), or null
 * @param realtime for files: deliver frames at the pace of their timestamps, like a camera (ffmpeg's
 *     {@code -re}), instead of as fast as they decode
 * @param asDelivered deliver the decoder's own pixel format without conversion when
 *     {@link PixelFormat} can describe it (GRAY8, BGR24, RGB24, 4:2:0 YUV as I420); other formats are
 *     converted to {@code pixelFormat}, with one warning naming the format
 */
public record CameraConfig(CameraSource source, int width, int height, int fps, PixelFormat pixelFormat,
                           int decodeThreads, Duration ioTimeout, boolean decodeOnDemand, boolean loopFile,
                           String inputFormat, boolean realtime, boolean asDelivered) {

    /**
     * Validates every field.
     *
     * @throws IllegalArgumentException naming the field and its allowed range
     */
    public CameraConfig {
        io.github.twinlane.spi.Require.notNull(source, "source", "a CameraSource (Device, File or Stream)");
        if (width < 0 || width > 8192 || height < 0 || height > 8192 || (width == 0) != (height == 0)) {
            throw new IllegalArgumentException("width and height must both be 0 (as delivered) or both from 1 to 8192, were "
                    + width + "x" + height);
        }
        if (fps < 0 || fps > 1000) {
            throw new IllegalArgumentException("fps must be from 0 (device default) to 1000, was " + fps);
        }
        io.github.twinlane.spi.Require.notNull(pixelFormat, "pixelFormat", "a PixelFormat");
        if (decodeThreads < 1 || decodeThreads > 16) {
            throw new IllegalArgumentException("decodeThreads must be from 1 to 16, was " + decodeThreads);
        }
        if (ioTimeout == null || ioTimeout.toMillis() < 100 || ioTimeout.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("ioTimeout must be from 100 ms to 60 s, was " + io.github.twinlane.Durations.human(ioTimeout));
        }
        if (asDelivered && width > 0) {
            throw new IllegalArgumentException("asDelivered must not be combined with a size: scaling converts the "
                    + "frame; drop size(" + width + ", " + height + ") or choose a pixelFormat");
        }
    }

    /**
     * A builder: size and rate as delivered, BGR24, one decode thread, 2 s I/O timeout, decode on demand.
     *
     * @param source the source
     * @return a builder
     */
    public static Builder of(CameraSource source) {
        return new Builder(source);
    }

    /** Builds a {@link CameraConfig}; {@link #build()} checks every value. */
    public static final class Builder {
        private final CameraSource source;
        private int width;
        private int height;
        private int fps;
        private PixelFormat pixelFormat = PixelFormat.BGR24;
        private int decodeThreads = 1;
        private Duration ioTimeout = Duration.ofSeconds(2);
        private boolean decodeOnDemand = true;
        private boolean loopFile;
        private String inputFormat;
        private boolean realtime;
        private boolean asDelivered;

        private Builder(CameraSource source) {
            this.source = source;
        }

        /**
         * @param w width, or 0
         * @param h height, or 0
         * @return this
         */
        public Builder size(int w, int h) {
            this.width = w;
            this.height = h;
            return this;
        }

        /**
         * @param value frames per second for a device, or 0
         * @return this
         */
        public Builder fps(int value) {
            this.fps = value;
            return this;
        }

        /**
         * @param value the delivered pixel layout
         * @return this
         */
        public Builder pixelFormat(PixelFormat value) {
            this.pixelFormat = value;
            return this;
        }

        /**
         * @param value 1 to 16
         * @return this
         */
        public Builder decodeThreads(int value) {
            this.decodeThreads = value;
            return this;
        }

        /**
         * @param value 100 ms to 60 s
         * @return this
         */
        public Builder ioTimeout(Duration value) {
            this.ioTimeout = value;
            return this;
        }

        /**
         * @param value whether to decode intra-only frames only on demand
         * @return this
         */
        public Builder decodeOnDemand(boolean value) {
            this.decodeOnDemand = value;
            return this;
        }

        /**
         * @param value whether a file starts over at its end
         * @return this
         */
        public Builder loopFile(boolean value) {
            this.loopFile = value;
            return this;
        }

        /**
         * @param value a device input format such as {@code mjpeg}, or null
         * @return this
         */
        public Builder inputFormat(String value) {
            this.inputFormat = value;
            return this;
        }

        /**
         * @param value for files: pace frames by their timestamps, like a live camera
         * @return this
         */
        public Builder realtime(boolean value) {
            this.realtime = value;
            return this;
        }

        /**
         * Delivers frames in the decoder's own format where {@link PixelFormat} can describe it.
         *
         * @return this
         */
        public Builder asDelivered() {
            this.asDelivered = true;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the first invalid field
         */
        public CameraConfig build() {
            return new CameraConfig(source, width, height, fps, pixelFormat, decodeThreads, ioTimeout, decodeOnDemand,
                    loopFile, inputFormat, realtime, asDelivered);
        }
    }
}
