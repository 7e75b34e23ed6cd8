package io.github.twinlane.camera;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Every invalid camera setting is refused when built, naming the field. */
class CameraConfigProperties {
    private static final CameraSource FILE = new CameraSource.File(Path.of("a.mkv"));

    private static void refused(String field, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().startsWith(field + " must"), e.getMessage());
    }

    @Property
    void sizeIsBothZeroOrBothInRange(@ForAll @IntRange(min = -2, max = 9000) int w, @ForAll @IntRange(min = -2, max = 9000) int h) {
        boolean ok = (w == 0 && h == 0) || (w >= 1 && w <= 8192 && h >= 1 && h <= 8192);
        if (ok) {
            CameraConfig.of(FILE).size(w, h).build();
        } else {
            refused("width and height", () -> CameraConfig.of(FILE).size(w, h).build());
        }
    }

    @Property
    void decodeThreadsAreOneToSixteen(@ForAll @IntRange(min = -5, max = 40) int n) {
        if (n >= 1 && n <= 16) {
            CameraConfig.of(FILE).decodeThreads(n).build();
        } else {
            refused("decodeThreads", () -> CameraConfig.of(FILE).decodeThreads(n).build());
        }
    }

    @Property
    void ioTimeoutIsATenthOfASecondToAMinute(@ForAll @LongRange(min = -100, max = 70_000) long ms) {
        if (ms >= 100 && ms <= 60_000) {
            CameraConfig.of(FILE).ioTimeout(Duration.ofMillis(ms)).build();
        } else {
            refused("ioTimeout", () -> CameraConfig.of(FILE).ioTimeout(Duration.ofMillis(ms)).build());
        }
    }

    @Property
    void fpsIsZeroToAThousand(@ForAll @IntRange(min = -10, max = 2000) int fps) {
        if (fps >= 0 && fps <= 1000) {
            CameraConfig.of(FILE).fps(fps).build();
        } else {
            refused("fps", () -> CameraConfig.of(FILE).fps(fps).build());
        }
    }

    @Property
    void streamsNeedAKnownScheme(@ForAll("schemes") String scheme) {
        String url = scheme + "://host:554/x";
        if (scheme.matches("(?i)rtsp|rtsps|http|https|tcp|udp|rtp|srt")) {
            new CameraSource.Stream(url);
        } else {
            refused("stream url", () -> new CameraSource.Stream(url));
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> schemes() {
        return net.jqwik.api.Arbitraries.oneOf(net.jqwik.api.Arbitraries.of("rtsp", "http", "tcp", "udp", "srt", "HTTPS"),
                net.jqwik.api.Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6));
    }

    @Property
    void deviceIndicesAreZeroTo63(@ForAll @IntRange(min = -5, max = 100) int i) {
        if (i >= 0 && i <= 63) {
            CameraSource.Device.index(i);
        } else {
            refused("device index", () -> CameraSource.Device.index(i));
        }
    }
}
