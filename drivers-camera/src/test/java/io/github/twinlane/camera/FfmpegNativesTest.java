package io.github.twinlane.camera;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.test.Rig;
import org.junit.jupiter.api.Test;

class FfmpegNativesTest {
    @Test
    void shouldLoadFfmpegsCodecsThroughJavaCppWithNoSystemPackage() {
        assertTrue(FfmpegNatives.isAvailable(), () -> "FFmpeg did not load: " + FfmpegNatives.unavailabilityCause());
        assertTrue(FfmpegNatives.version().startsWith("8."), FfmpegNatives.version());
    }

    @Test
    void shouldLoadTheDeviceLayerWhereLibpulseIsInstalledAndNameThePackageWhereItIsNot() {
        if (Rig.hasSharedLibrary("libpulse.so.0")) {
            assertDoesNotThrow(FfmpegNatives::ensureDeviceLayer);
            assertTrue(FfmpegNatives.isDeviceLayerAvailable());
        } else {
            assertFalse(FfmpegNatives.isDeviceLayerAvailable());
            IllegalStateException e = assertThrows(IllegalStateException.class, FfmpegNatives::ensureDeviceLayer);
            assertTrue(e.getMessage().contains("apt-get install libpulse0"), e.getMessage());
            Rig.require(false, "libpulse.so.0 for FFmpeg's device layer (V4L2 cameras, test sources)",
                    "apt-get install -y libpulse0");
        }
    }
}
