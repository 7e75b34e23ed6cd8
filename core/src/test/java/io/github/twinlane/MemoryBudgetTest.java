package io.github.twinlane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.sim.SimulatedCamera;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.test.Await;
import io.github.twinlane.video.PixelFormat;
import io.github.twinlane.video.VideoFrame;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Memory budgets: a channel or tap whose preallocated messages would pass its own {@code maxBytes}, the
 * runtime's budget or the JVM's direct-memory limit is refused when it is opened or made, naming what it
 * would take and what to change, and reserves nothing; what is reserved shows in the stats and is given
 * back at close. The defaults are the demo's: 1280x720 cameras, four of them.
 */
class MemoryBudgetTest {
    private static final int W = 1280;
    private static final int H = 720;
    private static final long FRAME = (long) W * H * 3;

    private static SimulatedCamera camera(String name) {
        return new SimulatedCamera(name, W, H, 30, PixelFormat.BGR24, Duration.ZERO);
    }

    private static long reserved(ChannelStats s) {
        return s.reservedHeapBytes() + s.reservedDirectBytes();
    }

    @Test
    void shouldShowWhatEachChannelReservesAndGiveItBackAtClose() {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            List<DeviceChannel<?, ?>> cams = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                cams.add(rt.open(ChannelConfig.slow("cam" + i).build(), camera("cam" + i)));
            }
            DeviceChannel<?, ?> drive = rt.open(ChannelConfig.fast("drive").build(), new SimulatedMotorDrive());
            for (DeviceChannel<?, ?> c : cams) {
                ChannelStats s = c.stats();
                // a ring of 4 data slots, its 3 overflow spares, the reader's scratch and the latest value: 9 frames
                assertEquals(9 * FRAME, s.reservedDirectBytes(), s.toString());
                assertTrue(s.reservedHeapBytes() > 0, s.toString());
            }
            assertEquals(0, drive.stats().reservedDirectBytes());
            assertTrue(drive.stats().reservedHeapBytes() > 0);
            String summary = rt.summary();
            assertTrue(summary.contains("MEMORY"), summary);
            assertTrue(summary.contains("Reserved by channels and taps: "), summary);
            assertTrue(summary.contains(" direct"), summary);
            cams.get(0).close();
            assertEquals(0, reserved(cams.get(0).stats()), "given back at close");
        }
    }

    @Test
    void shouldRefuseAChannelOverItsMaxBytesNamingWhatItWouldTakeAndTheFix() {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            ChannelConfig big = ChannelConfig.slow("cam0").capacity(128).build(); // 128 slots of 2.6 MiB frames
            String m = assertThrows(IllegalArgumentException.class, () -> rt.open(big, camera("cam0"))).getMessage();
            assertTrue(m.startsWith("Channel 'cam0' would preallocate 351 MiB for 133 data messages of 2.6 MiB"), m);
            assertTrue(m.contains("more than its maxBytes of 256 MiB"), m);
            assertTrue(m.contains("lower its capacity or raise its maxBytes (ChannelConfig builder)"), m);
            assertEquals(List.of(), rt.channelStats(), "nothing opened");
            // done as the error says: a lower capacity opens
            DeviceChannel<?, ?> ok = rt.open(ChannelConfig.slow("cam0").capacity(16).build(), camera("cam0"));
            assertEquals(21 * FRAME, ok.stats().reservedDirectBytes());
        }
    }

    @Test
    void shouldRefuseWhatPassesTheRuntimesBudgetAndReserveNothingForIt() {
        long budget = 64L << 20; // two 1280x720 cameras (2 x 23.7 MiB), not three
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).memoryBudget(budget).build()) {
            DeviceChannel<?, ?> cam0 = rt.open(ChannelConfig.slow("cam0").build(), camera("cam0"));
            rt.open(ChannelConfig.slow("cam1").build(), camera("cam1"));
            String m = assertThrows(IllegalStateException.class,
                    () -> rt.open(ChannelConfig.slow("cam2").build(), camera("cam2"))).getMessage();
            assertTrue(m.startsWith("Channel 'cam2' would reserve 23.7 MiB for "), m);
            assertTrue(m.contains("more than the runtime's memory budget of 64.0 MiB"), m);
            assertTrue(m.contains("raise TwinlaneRuntime.Builder.memoryBudget"), m);
            assertTrue(rt.summary().contains("(budget 64.0 MiB)"), rt.summary());
            // a refused channel took nothing: closing one makes room for exactly one more
            cam0.close();
            DeviceChannel<?, ?> cam2 = rt.open(ChannelConfig.slow("cam2").build(), camera("cam2"));
            assertEquals(9 * FRAME, cam2.stats().reservedDirectBytes());
            assertThrows(IllegalStateException.class, () -> rt.open(ChannelConfig.slow("cam3").build(), camera("cam3")));
        }
    }

    @Test
    void shouldRefuseAnInvalidBudgetOrMaxBytes() {
        String m = assertThrows(IllegalArgumentException.class,
                () -> TwinlaneRuntime.builder().memoryBudget(1000).build()).getMessage();
        assertEquals("memoryBudget must be 0 (none) or at least 1 MiB, was 1000", m);
        m = assertThrows(IllegalArgumentException.class, () -> ChannelConfig.fast("d").maxBytes(10).build()).getMessage();
        assertEquals("maxBytes must be from 1 KiB to 16 GiB, was 10", m);
        m = assertThrows(IllegalArgumentException.class, () -> TapConfig.of("t").withMaxBytes(-1)).getMessage();
        assertEquals("maxBytes must be from 1 KiB to 16 GiB, was -1", m);
    }

    @Test
    void shouldSizeATapOfFramesToItsMaxBytesAndATapOfSmallValuesToItsCapacity() throws Exception {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            DeviceChannel<NoCommand, VideoFrame> cam = rt.open(ChannelConfig.slow("cam0").build(), camera("cam0"));
            AtomicLong frames = new AtomicLong();
            Tap frameTap = cam.tapData(TapConfig.of("rec"), (f, t) -> frames.incrementAndGet());
            TapStats s = frameTap.stats();
            assertEquals(8, s.capacity(), "8 slots and 3 spares of 2.6 MiB fit in 32 MiB; 16 would not");
            assertEquals(11 * FRAME + 11 * 128, s.reservedBytes());
            assertEquals(9 * FRAME + 11 * FRAME, cam.stats().reservedDirectBytes(), "the channel's row counts its taps");
            Await.until("a frame through the tap", () -> frames.get() > 0, frameTap::toString);

            DeviceChannel<?, ?> drive = rt.open(ChannelConfig.fast("drive").build(), new SimulatedMotorDrive());
            Tap small = drive.tapData(TapConfig.of("view"), (v, t) -> { });
            assertEquals(64, small.stats().capacity(), "small values: the configured capacity");

            String m = assertThrows(IllegalArgumentException.class,
                    () -> cam.tapData(TapConfig.of("tiny").withMaxBytes(8L << 20), (f, t) -> { })).getMessage();
            assertTrue(m.startsWith("Tap 'tiny' of 'cam0' needs at least 13.2 MiB (2 slots and the ring's spares, "
                    + "2.6 MiB each), more than its maxBytes of 8.0 MiB: raise it with TapConfig.withMaxBytes"), m);
            long before = cam.stats().reservedDirectBytes();
            frameTap.close();
            assertEquals(before - 11 * FRAME, cam.stats().reservedDirectBytes(), "a closed tap gives its ring back");
        }
    }

    @Test
    void shouldRefuseATapPastTheRuntimesBudget() {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).memoryBudget(48L << 20).build()) {
            DeviceChannel<NoCommand, VideoFrame> cam = rt.open(ChannelConfig.slow("cam0").build(), camera("cam0"));
            String m = assertThrows(IllegalStateException.class,
                    () -> cam.tapData(TapConfig.of("rec"), (f, t) -> { })).getMessage();
            assertTrue(m.startsWith("Tap 'rec' of 'cam0' would reserve 29.0 MiB for 11 messages of 2.6 MiB"), m);
            assertTrue(m.contains("lower its TapConfig maxBytes or capacity, or raise TwinlaneRuntime.Builder.memoryBudget"), m);
            Tap fits = cam.tapData(TapConfig.of("rec").withMaxBytes(16L << 20), (f, t) -> { });
            assertEquals(2, fits.stats().capacity());
        }
    }

    /**
     * Cameras closed and opened again, in a JVM whose direct memory holds one round of them: the closed
     * ones' frames still count as used until the collector finds them, so the check lets it, as the JDK's
     * own allocation does, instead of refusing what would fit.
     */
    @Test
    void shouldOpenAgainWhatClosedChannelsFreedThoughTheCollectorHadNotRunYet() throws Exception {
        String out = probe("reopen");
        assertTrue(out.contains("PROBE reopened 5 times"), out);
    }

    private static String probe(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:MaxDirectMemorySize=64m", "-cp",
                System.getProperty("java.class.path"), DirectMemoryProbe.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            out = buf.toString(StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(Await.HANG.toSeconds(), TimeUnit.SECONDS), "the probe ended");
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.contains("OutOfMemoryError"), out);
        return out;
    }

    /**
     * Two 1280x720 cameras and a recording tap on each, in a JVM whose direct memory cannot hold them
     * all: the tap that would pass the limit is refused with the limit named, never an
     * {@link OutOfMemoryError}.
     */
    @Test
    void shouldRefuseWhatPassesTheJvmsDirectMemoryLimitInsteadOfRunningOutOfIt() throws Exception {
        String out = probe();
        assertTrue(out.contains("PROBE opened cam0 cam1\n"), out);
        assertTrue(out.contains("PROBE refused: Tap 'rec' of 'cam0' would reserve 29.0 MiB of direct memory for 11 "
                + "messages of 2.6 MiB"), out);
        assertTrue(out.contains("of the JVM's direct-memory limit of 64.0 MiB are free: lower its TapConfig maxBytes "
                + "or capacity, or raise -XX:MaxDirectMemorySize"), out);
    }
}
