package io.github.twinlane.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.test.Capture;
import io.github.twinlane.test.NullModem;
import io.github.twinlane.test.Pty;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TwoLaneRobotTest {

    private static String run(String... args) throws Exception {
        return Capture.stdout(TwoLaneRobot::main, args);
    }

    private static long number(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertTrue(m.find(), "no match for " + regex + " in\n" + out);
        return Long.parseLong(m.group(1));
    }

    @Test
    void shouldPrintOneRowASecondAndASummaryWithTheLaneTable() throws Exception {
        String out = run("--duration", "2");
        assertTrue(out.contains("two-lane, drive placed IN_LOOP mode"), "the control loop reads and writes the drive: " + out);
        assertTrue(out.contains("loop p50"), out);
        assertTrue(Pattern.compile("(?m)^\\s+1 \\|").matcher(out).find(), "a row for second 1");
        assertTrue(Pattern.compile("(?m)^\\s+2 \\|").matcher(out).find(), "a row for second 2");
        assertTrue(number(out, "control loop: (\\d+) deadlines") > 0, "the loop ran");
        assertTrue(out.contains("command round trip: p50"), "round trips were measured");
        assertTrue(out.contains("control loop spin lead "), "the demo says how its loop waits: " + out);
        assertTrue(Pattern.compile("frames/s in all over \\d+\\.\\d s measured").matcher(out).find(),
                "frames/s divides by the measured run time, and says so");
        assertTrue(out.contains("cam3"), "the lane table lists every channel, the four cameras' too: " + out);
        assertTrue(out.contains("drive"), out);
    }

    @Test
    void shouldRunTheDriveOnThreadsOfItsOwnWhenAsked() throws Exception {
        String out = run("--duration", "1", "--placement", "scheduler");
        assertTrue(out.contains("two-lane, drive placed SCHEDULER mode"), out);
        assertTrue(out.contains("command round trip: p50"), "round trips were measured: " + out);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TwoLaneRobot.main(new String[] {"--placement", "sideways"}));
        assertEquals("--placement must be in-loop or scheduler, was sideways", e.getMessage());
    }

    @Test
    void shouldRecordTheDriveIntoAnMcapFileThatReadsBack(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("demo.mcap");
        // the demo's defaults (four 1280x720 cameras): each recorded, which once ran out of direct memory at start
        String out = run("--duration", "2", "--record", file.toString(), "--black-box", dir.resolve("bb").toString());
        long written = number(out, "recorded (\\d+) value\\(s\\)");
        assertTrue(written > 1000, "two seconds of 1 kHz telemetry and commands: " + out);
        assertTrue(out.contains("exec:java -Dexec.mainClass=io.github.twinlane.record.cli.McapTool -Dexec.args=\"info "
                + file + "\""), "the demo says how to look at it: " + out);
        try (io.github.twinlane.record.mcap.McapReader r = io.github.twinlane.record.mcap.McapReader.open(file)) {
            var summary = r.summary().orElseThrow();
            assertEquals(written, summary.statistics().messageCount());
            assertEquals(java.util.List.of("/drive/data", "/drive/commands", "/twinlane/events", "/cam0/data",
                    "/cam1/data", "/cam2/data", "/cam3/data", "/loop/control/cycles", "/loop/control/in/drive",
                    "/loop/control/out/drive"),
                    summary.channels().stream().map(io.github.twinlane.record.mcap.McapChannel::topic).toList());
        }
        // the simulated camera's frames, JPEG-compressed on the recording's thread, decode back to its size
        java.util.List<io.github.twinlane.video.VideoFrame> frames = new java.util.ArrayList<>();
        try (io.github.twinlane.record.mcap.McapReader r = io.github.twinlane.record.mcap.McapReader.open(file)) {
            r.read(new io.github.twinlane.record.mcap.McapVisitor() {
                @Override
                public void message(io.github.twinlane.record.mcap.McapChannel c,
                                    io.github.twinlane.record.mcap.McapMessage m) {
                    if (c.topic().equals("/cam0/data")) {
                        io.github.twinlane.video.VideoFrame f = new io.github.twinlane.video.VideoFrame(0);
                        assertTrue(io.github.twinlane.record.ImageCodecs.jpeg("cam0", 0.7f).decode(m.data(), 0,
                                m.data().length, f));
                        frames.add(f);
                    }
                }
            });
        }
        assertTrue(!frames.isEmpty(), "camera frames were recorded");
        assertEquals(1280, frames.get(0).width());
        // the ReplayLoop template: the demo's controller replays exactly; a changed gain diverges
        String same = Capture.stdout(ReplayLoop::main, file.toString());
        assertTrue(same.contains("no divergence: every cycle sent exactly the recorded commands"), same);
        String changed = Capture.stdout(ReplayLoop::main, file.toString(), "--gain", "0.6");
        assertTrue(changed.contains("DIVERGES at cycle "), changed);
        assertTrue(changed.contains(", channel drive: recorded {\"sequence\":"), changed);
    }

    @Test
    void shouldRecordARealCamerasOwnJpegsWithoutDecodingThem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path clip = dir.resolve("clip.mkv");
        try (org.bytedeco.javacv.FFmpegFrameRecorder rec = new org.bytedeco.javacv.FFmpegFrameRecorder(clip.toString(),
                320, 240, 0)) {
            rec.setFormat("matroska");
            rec.setVideoCodecName("mjpeg");
            rec.setPixelFormat(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P);
            rec.setFrameRate(30);
            rec.start();
            org.bytedeco.javacv.Frame f = new org.bytedeco.javacv.Frame(320, 240, org.bytedeco.javacv.Frame.DEPTH_UBYTE, 3);
            for (int i = 0; i < 30; i++) {
                rec.record(f, org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24);
            }
            rec.stop();
        }
        java.nio.file.Path file = dir.resolve("cam.mcap");
        String out = run("--duration", "1", "--camera", clip.toString(), "--record", file.toString());
        assertTrue(out.contains("recorded "), out);
        int[] jpegs = {0};
        String[] accounted = {""};
        try (io.github.twinlane.record.mcap.McapReader r = io.github.twinlane.record.mcap.McapReader.open(file)) {
            r.read(new io.github.twinlane.record.mcap.McapVisitor() {
                @Override
                public void metadata(io.github.twinlane.record.mcap.McapMetadata m) {
                    if (m.name().equals("twinlane.drops")) {
                        accounted[0] = m.metadata().get("/cam0/packets");
                    }
                }

                @Override
                public void message(io.github.twinlane.record.mcap.McapChannel c,
                                    io.github.twinlane.record.mcap.McapMessage m) {
                    if (c.topic().equals("/cam0/packets")) {
                        io.github.twinlane.video.EncodedPacket p = new io.github.twinlane.video.EncodedPacket(0);
                        assertTrue(io.github.twinlane.record.ImageCodecs.compressedImage("cam0").decode(m.data(), 0,
                                m.data().length, p));
                        assertEquals(io.github.twinlane.video.VideoCodec.JPEG, p.codec());
                        assertEquals((byte) 0xFF, p.data().get(0));
                        assertEquals((byte) 0xD8, p.data().get(1));
                        jpegs[0]++;
                    }
                }
            });
        }
        // every packet the camera read is accounted for: written (each a JPEG read back above) or dropped
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("offered (\\d+) written (\\d+) dropped (\\d+) "
                + "failed 0 thinned 0").matcher(accounted[0]);
        assertTrue(m.matches(), accounted[0]);
        assertEquals(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) + Long.parseLong(m.group(3)), accounted[0]);
        assertEquals(Long.parseLong(m.group(2)), jpegs[0], accounted[0]);
        assertTrue(jpegs[0] > 0, "the camera's JPEGs were recorded: " + out);
    }

    @Test
    void shouldServeALiveViewAndSayWhereToConnect() throws Exception {
        String out = run("--duration", "1", "--foxglove-port", "0");
        assertTrue(java.util.regex.Pattern.compile("live view: in Foxglove, Open connection > Foxglove WebSocket > "
                + "ws://127\\.0\\.0\\.1:\\d+ \\(layout: examples/foxglove-layout\\.json\\)").matcher(out).find(), out);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TwoLaneRobot.main(new String[] {"--foxglove-port", "70000"}));
        assertTrue(e.getMessage().contains("--foxglove-port"), e.getMessage());
    }

    @Test
    void theFoxgloveLayoutShouldShowOnlyTopicsTheDemoPublishes() throws Exception {
        // the topics the demo's live view advertises with its default four simulated cameras
        java.util.Set<String> published = java.util.Set.of("/drive/data", "/drive/commands", "/cam0/data", "/cam1/data",
                "/cam2/data", "/cam3/data", "/twinlane/stats", "/twinlane/log");
        String layout = java.nio.file.Files.readString(java.nio.file.Path.of("foxglove-layout.json"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "\"(?:imageTopic|value|topicPath|topicToRender)\"\\s*:\\s*\"(/[A-Za-z0-9_/]+)").matcher(layout);
        java.util.Set<String> used = new java.util.TreeSet<>();
        while (m.find()) {
            used.add(m.group(1)); // the topic ends where a field path begins (at '.', '{' or '[')
        }
        assertTrue(used.size() >= 8, "the layout names the cameras, the drive, the stats and the log: " + used);
        for (String topic : used) {
            assertTrue(published.contains(topic), topic + " is not a topic the demo publishes; it has " + published);
        }
    }

    @Test
    void shouldLetTheLanesShareEveryCoreWithoutTheCpuPlan() throws Exception {
        String out = run("--duration", "1", "--no-pin");
        assertTrue(out.contains("CPU plan: not applied, threads are not pinned"), "the plan it runs with is said: " + out);
        assertTrue(number(out, "control loop: (\\d+) deadlines") > 0, out);
        assertTrue(out.contains("cam3"), out);
    }

    @Test
    void shouldRunTheSameDevicesOnASharedPoolInNaiveMode() throws Exception {
        String out = run("--duration", "2", "--naive");
        assertTrue(out.contains("NAIVE shared-pool mode"), out);
        assertTrue(number(out, "control loop: (\\d+) deadlines") > 0, out);
        assertTrue(out.contains("=== summary (naive) ==="), out);
    }

    @Test
    void shouldDriveARealSerialPortWithRealCamerasSwitchedForSimulatedOnes(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        try (NullModem cable = NullModem.open(dir); DrivePeer peer = new DrivePeer(cable.b().toString(), 115_200, 500)) {
            String out = run("--duration", "2", "--port", cable.a().toString());
            assertTrue(out.contains("1 kHz control loop on " + cable.a()), out);
            assertTrue(number(out, "control loop: (\\d+) deadlines") > 0, out);
            assertTrue(out.contains("command round trip: p50"), "the drive echoed commands: " + out);
            assertTrue(peer.commands() > 0, "commands reached the serial drive");
            assertEquals(0, peer.rejected(), "every command line the drive got was well formed");
        }
    }

    @Test
    void shouldRejectBadArgumentsNamingTheOptionAndRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TwoLaneRobot.main(new String[] {"--duration", "0"}));
        assertTrue(e.getMessage().contains("--duration must be from 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TwoLaneRobot.main(new String[] {"--fast"}));
        assertTrue(e.getMessage().contains("unknown option --fast"), e.getMessage());
    }

    private static java.util.List<String> cells(String row) {
        return java.util.List.of(row.replace("|", " ").trim().split("\\s+"));
    }

    @Test
    void shouldShowTheCauseInTheSummaryWhenTheDriveAnswersGarbage(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (Pty pty = Pty.open(dir.resolve("tty"))) {
            java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread garbage = new Thread(() -> { // a peer that echoes nothing a drive would say
                byte[] in = new byte[256];
                while (running.get() && pty.read(in, 0, in.length, java.time.Duration.ofMillis(2)) >= 0) {
                    pty.writeAscii("?? not telemetry ??\n");
                }
            }, "garbage-peer");
            garbage.start();
            String out;
            try {
                out = run("--duration", "2", "--port", pty.link().toString());
            } finally {
                running.set(false);
                garbage.join();
            }
            String header = out.lines().filter(l -> l.startsWith("CHANNEL")).findFirst().orElseThrow()
                    .replace("AGE p99", "AGE_p99");
            java.util.List<String> h = cells(header);
            java.util.List<String> drive = cells(out.lines().filter(l -> l.startsWith("drive ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no drive row in\n" + out)));
            assertTrue(Long.parseLong(drive.get(h.indexOf("CORRUPT"))) > 0, "corrupt replies are counted in the summary:\n" + out);
            assertEquals("0", drive.get(h.indexOf("DELIVERED")), "none of them reached the loop:\n" + out);
        }
    }

    @Test
    void shouldPrintTheSerialPreflightsFindingForAPortThatDoesNotExist(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String missing = dir.resolve("ttyNothere").toString();
        String out = run("--duration", "1", "--port", missing);
        assertTrue(out.contains("serial preflight ERROR: port " + missing + " does not exist"), out);
        String header = out.lines().filter(l -> l.startsWith("CHANNEL")).findFirst().orElseThrow()
                .replace("AGE p99", "AGE_p99");
        java.util.List<String> h = cells(header);
        java.util.List<String> drive = cells(out.lines().filter(l -> l.startsWith("drive ")).findFirst().orElseThrow());
        // the drive never opened: nothing read, nothing written, every command the loop sent dropped and counted
        // (its STATE is CLOSED: the summary comes after the control loop, which closes the drive it reads)
        assertEquals("0", drive.get(h.indexOf("READ")), out);
        assertEquals("0", drive.get(h.indexOf("WRITTEN")), out);
        assertTrue(Long.parseLong(drive.get(h.indexOf("SENT"))) > 0, out);
        assertEquals(drive.get(h.indexOf("SENT")), drive.get(h.indexOf("DROPPED")), "the summary shows the drive never opened:\n" + out);
    }
}
