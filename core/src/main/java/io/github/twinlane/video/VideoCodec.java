package io.github.twinlane.video;

/**
 * The compression of an {@link EncodedPacket}: what a camera delivered before anything decoded it.
 * {@link #formatName()} is the name viewers and recorders use for it (Foxglove's {@code format}).
 */
public enum VideoCodec {
    /** Motion JPEG: every packet is one complete JPEG image (what most USB cameras send). */
    JPEG("jpeg", true),
    /** H.264 / AVC, as an Annex B access unit (start codes; a key frame carries its SPS and PPS). */
    H264("h264", false),
    /** H.265 / HEVC, as an Annex B access unit (a key frame carries its VPS, SPS and PPS). */
    H265("h265", false),
    /** VP9: one frame per packet. */
    VP9("vp9", false),
    /** AV1, in the low-overhead bitstream format. */
    AV1("av1", false),
    /** Anything else: delivered, but no viewer format is known for it. */
    OTHER("", false);

    private final String formatName;
    private final boolean stillImage;

    VideoCodec(String formatName, boolean stillImage) {
        this.formatName = formatName;
        this.stillImage = stillImage;
    }

    /** @return the lower-case format name ({@code jpeg}, {@code h264}, ...), or "" for {@link #OTHER} */
    public String formatName() {
        return formatName;
    }

    /** @return whether every packet is a complete image on its own (an image, not a video frame) */
    public boolean stillImage() {
        return stillImage;
    }
}
