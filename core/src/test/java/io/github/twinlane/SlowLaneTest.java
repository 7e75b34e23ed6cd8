package io.github.twinlane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.sim.SimulatedCamera;
import io.github.twinlane.spi.ReadMode;
import io.github.twinlane.test.Await;
import io.github.twinlane.test.Threads;
import io.github.twinlane.video.PixelFormat;
import io.github.twinlane.video.VideoFrame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SlowLaneTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final TwinlaneRuntime rt = TwinlaneRuntime.builder().stallThreshold(Duration.ofMillis(20)).build();

    @AfterEach
    void close() {
        rt.close();
        assertEquals(List.of(), rt.liveThreads(), "no thread of ours survives close");
    }

    private static SimulatedCamera camera(String name, int fps) {
        return new SimulatedCamera(name, 320, 240, fps, PixelFormat.GRAY8, Duration.ZERO);
    }

    @Test
    void shouldDeliverFramesOnTheLoopThreadWithIncreasingSequenceAndTestPattern() {
        DeviceChannel<NoCommand, VideoFrame> cam = rt.open(ChannelConfig.slow("cam0").build(), camera("cam0", 100));
        List<Long> seqs = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        AtomicLong badPixels = new AtomicLong();
        cam.subscribe((f, at) -> {
            seqs.add(f.sequence());
            threads.add(Thread.currentThread().getName());
            int row = 7;
            int i = 100;
            int expected = (i + row + (int) f.sequence()) & 0xFF;
            if ((f.pixels().get(row * f.stride() + i) & 0xFF) != expected || f.pixels().getLong(0) != f.sequence()) {
                badPixels.incrementAndGet();
            }
        });
        Await.until("20 frames", WAIT, () -> seqs.size() >= 20);
        for (int i = 1; i < seqs.size(); i++) {
            assertTrue(seqs.get(i) > seqs.get(i - 1));
        }
        assertEquals(0, badPixels.get(), "frames arrive intact");
        assertEquals("twinlane-slow-loop0-run", threads.get(0));
        VideoFrame mine = new VideoFrame(0);
        assertTrue(cam.latest(mine));
        assertEquals(320, mine.width());
        assertEquals(PixelFormat.GRAY8, mine.format());
    }

    @Test
    void shouldGiveASlowConsumerOnlyFreshFramesAndCountTheSkippedAndTheStalls() {
        DeviceChannel<NoCommand, VideoFrame> cam = rt.open(ChannelConfig.slow("cam0").build(), camera("cam0", 100));
        List<Long> delivered = new CopyOnWriteArrayList<>();
        List<Long> newestAtReturn = new CopyOnWriteArrayList<>();
        VideoFrame newest = new VideoFrame(0);
        cam.subscribe((f, at) -> {
            delivered.add(f.sequence());
            Thread.sleep(60); // far slower than the camera, and over the 20 ms stall threshold
            newestAtReturn.add(cam.latest(newest) ? newest.sequence() : -1L);
        });
        Await.until("11 slow deliveries", WAIT, () -> newestAtReturn.size() >= 11); // 11 of them finished
        ChannelStats s = cam.stats();
        assertTrue(s.dataDropped() > 0, "skipped frames are counted: " + s);
        assertTrue(s.handlerStalls() >= 10, "stalls are counted: " + s);
        for (int i = 0; i + 1 < newestAtReturn.size() && i + 1 < delivered.size(); i++) {
            // newest wins: the next delivery is at least the frame that was newest when the handler returned
            // (one behind at most, where the camera's read raced the return); a queue would hand over the
            // very next frame however many had arrived meanwhile
            assertTrue(delivered.get(i + 1) >= newestAtReturn.get(i) - 1,
                    "delivery " + (i + 1) + " is no older than the newest frame at the previous handler's return: delivered "
                            + delivered + ", newest at each return " + newestAtReturn);
        }
    }

    @Test
    void shouldKeepOtherCamerasFlowingWhileOneCameraHangs() {
        SimulatedCamera stuck = camera("stuck", 30);
        SimulatedCamera fine = camera("fine", 30);
        DeviceChannel<NoCommand, VideoFrame> a = rt.open(ChannelConfig.slow("stuck").build(), stuck);
        DeviceChannel<NoCommand, VideoFrame> b = rt.open(ChannelConfig.slow("fine").build(), fine);
        Await.until("both open", WAIT, () -> a.state() == ChannelState.OPEN && b.state() == ChannelState.OPEN);
        stuck.faults().hang();
        long before = b.stats().dataDelivered();
        long stuckBefore = a.stats().dataDelivered();
        Await.until("the other camera delivers 15 more frames", WAIT, () -> b.stats().dataDelivered() > before + 15);
        assertTrue(a.stats().dataDelivered() <= stuckBefore + 1, "the hung camera delivers nothing");
    }

    @Test
    void shouldPollNonBlockingDevicesOnTheLoopThreadItself() {
        CountingDriver dev = new CountingDriver(500, ReadMode.NON_BLOCKING, 0);
        List<Long> got = new CopyOnWriteArrayList<>();
        DeviceChannel<LongBox, LongBox> ch = rt.open(ChannelConfig.slow("poll").capacity(1024)
                .dataPolicy(BackpressurePolicy.BLOCK).build(), dev, (v, at) -> got.add(v.value));
        Await.until("all 500 delivered", WAIT, () -> got.size() == 500, () -> ch.stats() + " got " + got.size());
        assertEquals(499L, got.get(499));
        assertEquals(SendResult.ACCEPTED, ch.send(new LongBox(42)));
        Await.until("command written", WAIT, () -> dev.written.contains(42L));
        // its reads and writes run on the loop thread; a stop thread would start with a watchdog or an emergency stop
        assertTrue(Threads.twinlane().stream().noneMatch(t -> t.getName().contains("-poll-")),
                "a non-blocking device gets no thread of its own: " + Threads.twinlane());
    }

    @Test
    void shouldReconnectACameraThatWasUnplugged() {
        SimulatedCamera sim = camera("cam", 60);
        DeviceChannel<NoCommand, VideoFrame> cam = rt.open(ChannelConfig.slow("cam")
                .backoff(new Backoff(Duration.ofMillis(5), Duration.ofMillis(20))).build(), sim);
        Await.until("open", WAIT, () -> cam.state() == ChannelState.OPEN);
        sim.faults().unplug();
        Await.until("reconnecting", WAIT, () -> cam.state() == ChannelState.RECONNECTING);
        sim.faults().replug();
        Await.until("reopened", WAIT, () -> cam.state() == ChannelState.OPEN);
        long before = cam.stats().dataDelivered();
        Await.until("frames again", WAIT, () -> cam.stats().dataDelivered() > before + 3);
        assertEquals(1, cam.stats().reconnects());
    }

    @Test
    void shouldFailAfterTheConfiguredAttempts() {
        SimulatedCamera sim = camera("gone", 30);
        sim.faults().unplug();
        DeviceChannel<NoCommand, VideoFrame> cam = rt.open(ChannelConfig.slow("gone").maxReconnectAttempts(3)
                .backoff(new Backoff(Duration.ofMillis(1), Duration.ofMillis(2))).build(), sim);
        Await.until("failed", WAIT, () -> cam.state() == ChannelState.FAILED);
        assertEquals(SendResult.REJECTED_CLOSED, cam.send(NoCommand.TYPE.newInstance()));
    }
}
