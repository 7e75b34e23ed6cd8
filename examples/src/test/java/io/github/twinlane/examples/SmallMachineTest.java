package io.github.twinlane.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.record.mcap.McapReader;
import io.github.twinlane.test.Await;
import io.github.twinlane.test.NodePeer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small-machine profile the README promises: the demo with its defaults (four 1280x720 cameras, 10 s),
 * recording and serving the live view, in a JVM the size of a Raspberry Pi's ({@code -Xmx256m
 * -XX:MaxDirectMemorySize=256m}), with a viewer (Node.js, Foxglove's own client library) subscribed to
 * everything for the whole run: it ends normally, never with an {@link OutOfMemoryError}, and the viewer
 * saw every camera.
 */
class SmallMachineTest {
    private static final Pattern URL = Pattern.compile("live view: .* > (ws://127\\.0\\.0\\.1:\\d+) ");

    @Test
    void shouldRunTheDemoWithRecordingAndALiveViewerInA256MiBJvm(@TempDir Path dir) throws Exception {
        NodePeer peer = NodePeer.prepare(Path.of("..", "twinlane-foxglove", "src", "test", "node"));
        Path file = dir.resolve("small.mcap");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process demo = new ProcessBuilder(java, "-Xmx256m", "-XX:MaxDirectMemorySize=256m",
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                TwoLaneRobot.class.getName(), "--record", file.toString(), "--foxglove", "--foxglove-port", "0")
                .redirectErrorStream(true).start();
        List<String> demoLines = lines(demo, "demo");
        Process viewer = null;
        try {
            Await.until("the demo says where its live view is", () -> url(demoLines) != null || !demo.isAlive(),
                    () -> String.join("\n", demoLines));
            assertTrue(demo.isAlive(), "the demo runs: " + String.join("\n", demoLines));
            viewer = peer.start("viewer.mjs", url(demoLines));
            List<String> seen = lines(viewer, "viewer");
            Await.until("the viewer got the advertisement", () -> seen.stream().anyMatch(l -> l.startsWith(
                    "advertise\t/twinlane/log")), () -> String.join("\n", seen));
            Writer in = new OutputStreamWriter(viewer.getOutputStream(), StandardCharsets.UTF_8);
            in.write("subscribe-all\n");
            in.flush();
            for (int i = 0; i < 4; i++) {
                String topic = "first\t/cam" + i + "/data\t";
                Await.until("the viewer got a frame of cam" + i, () -> seen.stream().anyMatch(l -> l.startsWith(topic)),
                        () -> String.join("\n", seen));
            }
            assertTrue(demo.waitFor(Await.HANG.toSeconds() + 10, TimeUnit.SECONDS), "the demo ended after its 10 s");
            String out = String.join("\n", demoLines);
            assertFalse(out.contains("OutOfMemoryError"), out);
            assertEquals(0, demo.exitValue(), out);
            assertTrue(Pattern.compile("(?m)^\\s+10 \\|").matcher(out).find(), "it ran its whole 10 s: " + out);
            assertTrue(out.contains("recorded "), out);
            assertFalse(out.contains("would reserve"), "nothing was refused: " + out);
            // a viewer that reads is never disconnected as unwritable (1008) or idle (1001 before the end)
            assertTrue(seen.stream().noneMatch(l -> l.startsWith("closed\t1008")), "the viewer kept its place: " + seen);
        } finally {
            if (viewer != null) {
                viewer.destroy();
                viewer.waitFor(10, TimeUnit.SECONDS);
            }
            demo.destroy();
            demo.waitFor(10, TimeUnit.SECONDS);
        }
        try (McapReader r = McapReader.open(file)) {
            List<String> topics = r.summary().orElseThrow().channels().stream()
                    .map(io.github.twinlane.record.mcap.McapChannel::topic).toList();
            for (int i = 0; i < 4; i++) {
                assertTrue(topics.contains("/cam" + i + "/data"), "cam" + i + " was recorded: " + topics);
            }
        }
    }

    private static String url(List<String> lines) {
        for (String l : lines) {
            Matcher m = URL.matcher(l);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    /** A process's output lines as they come, read on a daemon thread. */
    private static List<String> lines(Process p, String name) {
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (java.io.IOException e) {
                lines.add(name + " output: " + e);
            }
        }, name + "-lines");
        t.setDaemon(true);
        t.start();
        return lines;
    }
}
