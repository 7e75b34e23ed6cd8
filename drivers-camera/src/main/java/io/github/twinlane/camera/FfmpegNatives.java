package io.github.twinlane.camera;

import org.bytedeco.ffmpeg.global.avdevice;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.Loader;

/**
 * Whether FFmpeg's native libraries load on this machine, in Netty's style. Two layers are checked
 * apart: the codecs and formats (files and network streams), and the device layer (V4L2 cameras),
 * which needs the system library {@code libpulse.so.0}. Checks run once, on first use.
 */
public final class FfmpegNatives {
    private FfmpegNatives() {
    }

    private static final class Core {
        static final Throwable CAUSE = probe(avformat.class);
    }

    private static final class Devices {
        static final Throwable CAUSE = probe(avdevice.class);
    }

    private static Throwable probe(Class<?> library) {
        try {
            Loader.load(library);
            if (library == avformat.class) {
                avutil.av_log_set_level(avutil.AV_LOG_ERROR); // FFmpeg's chatter on stderr: errors only
            } else if (library == avdevice.class) {
                avdevice.avdevice_register_all(); // V4L2 is an input device
            }
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /**
     * Whether files and network streams can be decoded.
     *
     * @return true if FFmpeg's codec and format libraries loaded
     */
    public static boolean isAvailable() {
        return Core.CAUSE == null;
    }

    /**
     * Whether V4L2 cameras can be opened.
     *
     * @return true if FFmpeg's device layer loaded
     */
    public static boolean isDeviceLayerAvailable() {
        return isAvailable() && Devices.CAUSE == null;
    }

    /**
     * Why FFmpeg cannot be used.
     *
     * @return the load failure, or null
     */
    public static Throwable unavailabilityCause() {
        return Core.CAUSE;
    }

    /**
     * Fails unless files and streams can be decoded.
     *
     * @throws IllegalStateException naming the cause and the fix
     */
    public static void ensureAvailability() {
        if (Core.CAUSE != null) {
            throw new IllegalStateException("FFmpeg's native libraries did not load (" + Core.CAUSE + "). Check that "
                    + "the ffmpeg and javacpp jars with the classifier for this platform (" + Loader.getPlatform()
                    + ") are on the class path: build with -Djavacpp.platform=" + Loader.getPlatform() + ".", Core.CAUSE);
        }
    }

    /**
     * Fails unless V4L2 cameras can be opened.
     *
     * @throws IllegalStateException naming the missing system package when it is libpulse
     */
    public static void ensureDeviceLayer() {
        ensureAvailability();
        Throwable cause = Devices.CAUSE;
        if (cause != null) {
            String text = String.valueOf(cause.getMessage()) + (cause.getCause() == null ? "" : " " + cause.getCause());
            String fix = text.contains("libpulse")
                    ? "FFmpeg's device layer needs libpulse.so.0: install it (Debian/Ubuntu: apt-get install libpulse0). "
                    : "FFmpeg's device layer did not load. ";
            throw new IllegalStateException(fix + "Video files and network streams still work. Cause: " + cause, cause);
        }
    }

    /**
     * FFmpeg's version, for diagnostics.
     *
     * @return the version text
     */
    public static String version() {
        ensureAvailability();
        return avutil.av_version_info().getString();
    }
}
