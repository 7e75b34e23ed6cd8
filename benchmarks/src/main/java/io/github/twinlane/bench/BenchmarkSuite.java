package io.github.twinlane.bench;

import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Runs every scenario and writes {@code REPORT.md} with PNG plots.
 *
 * <pre>
 * ./mvnw -pl benchmarks -am compile exec:exec                          # the suite, about 10 minutes
 * ./mvnw -pl benchmarks -am compile exec:exec -Dbench.args=--quick     # about 2 minutes
 * </pre>
 * Options: {@code --quick}, {@code --out DIR} (default benchmarks/results), {@code --only a,b} (handoff, throughput, isolation, viewers, scale, serial, camera, remote, gc, record).
 * {@code --soak [--minutes N]} runs the soak instead (default 10 minutes) and writes SOAK.md.
 */
public final class BenchmarkSuite {
    private static long started;

    private BenchmarkSuite() {
    }

    static void progress(String scenario, String what) {
        System.out.printf(Locale.ROOT, "[%5.1fs] %-10s %s%n", (System.nanoTime() - started) / 1e9, scenario, what);
    }

    /**
     * Runs the suite.
     *
     * @param args see the class comment
     * @throws Exception if a scenario cannot run
     */
    public static void main(String[] args) throws Exception {
        started = System.nanoTime();
        if (args.length > 0 && args[0].equals("--soak")) {
            int minutes = 10;
            java.nio.file.Path out = java.nio.file.Path.of("benchmarks", "results");
            for (int i = 1; i < args.length; i++) {
                switch (args[i]) {
                    case "--minutes" -> minutes = Integer.parseInt(args[++i]);
                    case "--out" -> out = java.nio.file.Path.of(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; use --soak [--minutes N] [--out DIR]");
                }
            }
            if (minutes < 1 || minutes > 24 * 60) {
                throw new IllegalArgumentException("--minutes must be from 1 to 1440, was " + minutes);
            }
            Soak.run(out, minutes);
            return;
        }
        Settings s = Settings.parse(args);
        Files.createDirectories(s.out());
        Report r = new Report();
        if (s.runs("handoff")) {
            HandoffScenario.run(s, r);
        }
        if (s.runs("throughput")) {
            ThroughputScenario.run(s, r);
        }
        if (s.runs("isolation")) {
            IsolationScenario.run(s, r);
        }
        if (s.runs("viewers")) {
            HostileViewerScenario.run(s, r);
        }
        if (s.runs("scale")) {
            ScaleScenario.run(s, r);
        }
        if (s.runs("serial")) {
            SerialScenario.run(s, r);
        }
        if (s.runs("camera")) {
            CameraScenario.run(s, r);
        }
        if (s.runs("remote")) {
            RemoteScenario.run(s, r);
        }
        if (s.runs("gc")) {
            GcScenario.run(s, r);
        }
        if (s.runs("record")) {
            RecordScenario.run(s, r);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        String header = "# twinlane benchmark report\n\n"
                + "Run " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16) + ", "
                + (s.quick() ? "`--quick`" : "full suite") + ", " + took.toSeconds() + " s. Every ratio compares "
                + "contenders measured in this same run; no test asserts a latency, this report only measures.\n\n"
                + Machine.describe();
        r.write(s.out().resolve("REPORT.md"), header);
        progress("done", "report in " + s.out().resolve("REPORT.md") + " (" + took.toSeconds() + " s)");
        for (String t : r.targets()) {
            System.out.println("  " + t);
        }
    }
}
