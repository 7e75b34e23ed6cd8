package io.github.twinlane.video;

/** How pixels are laid out in a {@link VideoFrame}. */
public enum PixelFormat {
    /** 8-bit grey, one byte per pixel. */
    GRAY8(1),
    /** 8-bit blue, green, red: three bytes per pixel, OpenCV's default order. */
    BGR24(3),
    /** 8-bit red, green, blue: three bytes per pixel. */
    RGB24(3),
    /**
     * Planar 4:2:0 YUV (what most cameras and decoders produce): the Y plane ({@code stride} bytes a
     * row), then the U and V planes at half width and half height. {@link #bytesPerPixel()} is the Y
     * plane's.
     */
    I420(1);

    private final int bytesPerPixel;

    PixelFormat(int bytesPerPixel) {
        this.bytesPerPixel = bytesPerPixel;
    }

    /**
     * Bytes per pixel.
     *
     * @return 1 or 3
     */
    public int bytesPerPixel() {
        return bytesPerPixel;
    }

    /**
     * Bytes a whole frame takes.
     *
     * @param height rows
     * @param stride bytes per row (of the Y plane for {@link #I420})
     * @return the size
     */
    public int frameBytes(int height, int stride) {
        if (this == I420) {
            int chroma = ((stride + 1) / 2) * ((height + 1) / 2);
            return stride * height + 2 * chroma;
        }
        return stride * height;
    }
}
