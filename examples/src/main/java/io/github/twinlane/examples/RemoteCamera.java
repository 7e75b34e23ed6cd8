package io.github.twinlane.examples;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.LatencySummary;
import io.github.twinlane.NoCommand;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.aeron.AeronBridge;
import io.github.twinlane.aeron.BridgeConfig;
import io.github.twinlane.aeron.Export;
import io.github.twinlane.aeron.ExportOptions;
import io.github.twinlane.aeron.Link;
import io.github.twinlane.aeron.RemoteOptions;
import io.github.twinlane.aeron.Schemas;
import io.github.twinlane.camera.CameraConfig;
import io.github.twinlane.camera.CameraSource;
import io.github.twinlane.camera.FfmpegCameraDriver;
import io.github.twinlane.camera.Snapshots;
import io.github.twinlane.sim.SimulatedCamera;
import io.github.twinlane.spi.DeviceDriver;
import io.github.twinlane.video.PixelFormat;
import io.github.twinlane.video.VideoFrame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * A camera in one process, watched from another over Aeron. Run the two halves in two terminals
 * (or on two machines):
 *
 * <pre>
 *   RemoteCamera --serve [--camera SRC]     owns the camera (simulated by default) and exports it
 *   RemoteCamera --watch [--snapshot FILE]  prints frames/s and frame age on receipt, saves a snapshot
 *
 *   --importer HOST:PORT   where the watcher receives frames (default 127.0.0.1:40456)
 *   --exporter HOST:PORT   where the server receives requests (default 127.0.0.1:40457)
 *   --ipc DIR              same machine, shared memory: --serve runs the media driver in DIR, --watch joins it
 *   --stream N             stream id (default 7)
 *   --duration S           run time (default 30)
 * </pre>
 *
 * Frame age is capture to receipt, measured across processes through {@code WallClock}; between
 * machines it is only as good as their clock sync. Beyond loopback, Aeron UDP is unauthenticated:
 * use a trusted network segment.
 */
public final class RemoteCamera {
    private static final String USAGE = "RemoteCamera --serve|--watch [--camera SRC] [--snapshot FILE] [--importer HOST:PORT] "
            + "[--exporter HOST:PORT] [--ipc DIR] [--stream N] [--duration S]";

    private RemoteCamera() {
    }

    /**
     * Runs one half.
     *
     * @param args see the class comment
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        Args a = new Args(args, USAGE, "--serve", "--watch");
        if (a.flag("--serve") == a.flag("--watch")) {
            throw new IllegalArgumentException("give exactly one of --serve (own the camera) and --watch; usage: " + USAGE);
        }
        int seconds = a.number("--duration", 30, 1, 86_400);
        int stream = a.number("--stream", 7, 1, 1 << 30);
        String ipc = a.text("--ipc", null);
        Link link = ipc != null ? Link.ipc(stream)
                : Link.udp(a.text("--importer", Link.LOOPBACK_DATA), a.text("--exporter", Link.LOOPBACK_COMMANDS), stream);
        BridgeConfig bridgeConfig = ipc == null ? BridgeConfig.embedded()
                : a.flag("--serve") ? BridgeConfig.embedded(Path.of(ipc)) : BridgeConfig.externalDriver(Path.of(ipc));
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            AeronBridge bridge = AeronBridge.launch(rt, bridgeConfig);
            System.out.println((a.flag("--serve") ? "serving" : "watching") + " on " + link);
            if (a.flag("--serve")) {
                serve(rt, bridge, link, a.text("--camera", null), seconds);
            } else {
                watch(rt, bridge, link, Path.of(a.text("--snapshot", "remote-camera.png")), seconds);
            }
        }
    }

    private static void serve(TwinlaneRuntime rt, AeronBridge bridge, Link link, String source, int seconds)
            throws InterruptedException {
        DeviceDriver<NoCommand, VideoFrame> driver = source == null
                ? new SimulatedCamera("sim-camera", 640, 480, 30, PixelFormat.BGR24, Duration.ZERO)
                : new FfmpegCameraDriver(CameraConfig.of(CameraSource.parse(source)).build(), 1920 * 1080 * 3);
        DeviceChannel<NoCommand, VideoFrame> camera = rt.open(ChannelConfig.slow("camera").build(), driver);
        // frames are large: newest wins, two in hand at most
        Export export = bridge.export(camera, link, Schemas.video(1920 * 1080 * 3), ExportOptions.defaults().capacity(2));
        for (int s = 1; s <= seconds; s++) {
            Thread.sleep(1000);
            System.out.printf(Locale.ROOT, "t=%ds %s%n", s, export.stats());
        }
    }

    private static void watch(TwinlaneRuntime rt, AeronBridge bridge, Link link, Path snapshot, int seconds)
            throws Exception {
        Recorder age = new Recorder(3);
        AtomicLong frames = new AtomicLong();
        // the handler runs on a slow-lane loop thread: record and return, never print or write files there
        DeviceChannel<NoCommand, VideoFrame> camera = rt.open(ChannelConfig.slow("remote-camera").build(),
                bridge.remote("remote-camera", link, Schemas.video(640 * 480 * 3), RemoteOptions.defaults()),
                (f, at) -> {
                    age.recordValue(Math.max(0, f.ageNanos(System.nanoTime())));
                    frames.incrementAndGet();
                });
        VideoFrame newest = new VideoFrame(0);
        boolean saved = false;
        long last = 0;
        for (int s = 1; s <= seconds; s++) {
            Thread.sleep(1000);
            String shot = "none yet";
            if (camera.latest(newest)) {
                Snapshots.write(newest, snapshot);
                saved = true;
                shot = snapshot + " #" + newest.sequence() + " " + newest.width() + "x" + newest.height();
            }
            long f = frames.get();
            System.out.printf(Locale.ROOT, "t=%ds %s %d frames/s, age on receipt %s, snapshot %s%n", s,
                    camera.state(), f - last, Percentiles.of(age.getIntervalHistogram()), shot);
            last = f;
        }
        System.out.println(camera.stats());
        System.out.println(bridge.remoteStats().get(0));
        if (!saved) {
            System.out.println("no frame arrived: is RemoteCamera --serve running with the same --importer, --exporter"
                    + " and --stream (or --ipc)?");
        }
    }
}
