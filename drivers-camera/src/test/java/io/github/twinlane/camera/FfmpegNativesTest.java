package io.github.twinlane.camera;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FfmpegNativesTest {
    @Test
    void shouldLoadFfmpegAndItsDeviceLayerThroughJavaCpp() {
        assertTrue(FfmpegNatives.isAvailable(), () -> "FFmpeg did not load: " + FfmpegNatives.unavailabilityCause());
        assertTrue(FfmpegNatives.version().startsWith("8."), FfmpegNatives.version());
        // CI installs libpulse0 (see .ci/run); without it this names the package to install
        assertDoesNotThrow(FfmpegNatives::ensureDeviceLayer);
        assertTrue(FfmpegNatives.isDeviceLayerAvailable());
    }
}
