package io.github.twinlane.video;

/** How pixels are laid out in a {@link VideoFrame}. */
public enum PixelFormat {
    /** 8-bit grey, one byte per pixel. */
    GRAY8(1),
    /** 8-bit blue, green, red: three bytes per pixel, OpenCV's default order. */
    BGR24(3),
    /** 8-bit red, green, blue: three bytes per pixel. */
    RGB24(3);

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
}
