package io.github.twinlane.bench;

import io.github.twinlane.bench.IsolationScenario.Design;
import io.github.twinlane.bench.IsolationScenario.Loop;
import io.github.twinlane.bench.IsolationScenario.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scenario 3b: the 1 kHz loop with four cameras and the live view on, once with two well-behaved viewers
 * and once with one well-behaved viewer and one hostile one (subscribed to everything, never reading,
 * flooding requests whose replies can only queue). Interleaved trial by trial; the loop's p99 as a ratio
 * per trial pair, and both runs' heap and direct-memory high-water marks, show whether a viewer that
 * misbehaves reaches the motor loop through the shared heap.
 */
final class HostileViewerScenario {
    private HostileViewerScenario() {
    }

    static void run(Settings s, Report r) throws Exception {
        r.section("3b. Live view: a hostile viewer against the control loop");
        if (!Viewers.available()) {
            r.para("Node.js and npm are not installed (Debian packages nodejs npm), so the viewers could not run.");
            return;
        }
        // long enough trials that the server drops the hostile viewer (5 s unwritable) and it comes back
        Settings t = s.quick() ? s : new Settings(false, 5, Duration.ofSeconds(12), s.warmup(), s.out(), s.only());
        Path tmp = java.nio.file.Files.createTempDirectory("twinlane-bench");
        BenchmarkSuite.progress("viewers", "writing the 1080p MJPEG clip the cameras play");
        Path video = TestVideo.mjpeg1080(tmp);
        Design[] designs = {Design.TWINLANE_VIEWED, Design.TWINLANE_FLOODED};
        Trials[][] m = new Trials[designs.length][];
        for (int d = 0; d < designs.length; d++) {
            m[d] = new Trials[] {new Trials(), new Trials(), new Trials(), new Trials(), new Trials(), new Trials(),
                    new Trials(), new Trials(), new Trials(), new Trials(), new Trials()};
        }
        for (int i = 0; i < t.trials(); i++) {
            for (int d = 0; d < designs.length; d++) { // interleaved: a slow minute of the machine hits both alike
                BenchmarkSuite.progress("viewers", "trial " + (i + 1) + "/" + t.trials() + ": " + designs[d].label);
                Outcome o = IsolationScenario.run(t, designs[d], Loop.DRIVE, true, video, tmp);
                Trials[] x = m[d];
                x[0].add(o.lateness().getValueAtPercentile(50));
                x[1].add(o.lateness().getValueAtPercentile(99));
                x[2].add(o.lateness().getValueAtPercentile(99.9));
                x[3].add(o.lateness().getMaxValue());
                x[4].add(100.0 * o.missed() / Math.max(1, o.deadlines()));
                x[5].add(o.viewedFps());
                x[6].add(o.server()[0]);
                x[7].add(o.server()[1]);
                x[8].add(o.server()[2] / 1048576.0);
                x[9].add(o.heapPeakBytes() / 1048576.0);
                x[10].add(o.directPeakBytes() / 1048576.0);
            }
        }
        r.para("The 1 kHz drive loop (twinlane default, CPU plan on) while four cameras decode a 1920×1080 MJPEG clip "
                + "at 30 frames/s and the live view serves their JPEGs, the drive and the stats to two viewers in Node.js "
                + "processes of their own. Hostile: one of the two subscribes to everything, stops reading its socket "
                + "and sends 20 subscribe requests of 1,000 unknown channel ids every 100 ms; the server queues what "
                + "it owes it in that viewer's bounded queue, drops and counts the rest, and disconnects it after "
                + "5 s unwritable (it is then started again). " + t.trials() + " trials of " + t.trial().toSeconds()
                + " s each after " + t.warmup().toMillis() + " ms warm-up, interleaved"
                + (t.quick() ? " (--quick: trials shorter than the 5 s after which the hostile viewer is dropped)" : "")
                + "; heap in use (live and not yet collected) and direct buffers sampled every 100 ms, their "
                + "high-water. Cells are median (min–max) over trials.");
        List<List<String>> rows = new ArrayList<>();
        for (int d = 0; d < designs.length; d++) {
            Trials[] x = m[d];
            rows.add(List.of(d == 0 ? "two well-behaved viewers" : "one well-behaved, one hostile", Report.us(x[0]),
                    Report.us(x[1]), Report.us(x[2]), Report.us(x[3]), Report.num(x[4]) + " %", Report.num(x[5]),
                    Report.num(x[6]), Report.num(x[7]), Report.num(x[8]), Report.num(x[9]), Report.num(x[10])));
        }
        r.table(List.of("viewers", "lateness p50", "p99", "p99.9", "max", "missed", "frames to viewers /s",
                "messages dropped", "viewers disconnected", "largest viewer queue MiB", "heap in use, high-water MiB",
                "direct high-water MiB"), rows);
        double ratio = Trials.medianRatio(m[1][1], m[0][1]);
        r.target("viewers", "live view: loop p99 with four cameras and a hostile viewer / with a well-behaved one "
                + "(per trial pair)", ratio, 1.2, true);
        r.para(String.format(Locale.ROOT, "Heap in use, high-water, %.0f MiB with the hostile viewer against %.0f MiB "
                + "without; direct %.0f MiB against %.0f MiB (medians).", m[1][9].median(), m[0][9].median(),
                m[1][10].median(), m[0][10].median()));
    }
}
