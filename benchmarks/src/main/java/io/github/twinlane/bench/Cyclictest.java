package io.github.twinlane.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The machine's own timer floor: {@code cyclictest} (Debian {@code rt-tests}) at 1 kHz with
 * {@code clock_nanosleep} (its default), normal priority, on one CPU, run as a separate process for one trial.
 * Its histogram (1 µs buckets) becomes an HdrHistogram so it sits in the same table as the loops.
 */
final class Cyclictest implements IsolationScenario.LoopProbe {
    private static final int HISTOGRAM_US = 20_000;
    private final Process process;
    private final Path out;
    private final long loops;
    private Histogram result;
    private long overflows;

    private Cyclictest(Process process, Path out, long loops) {
        this.process = process;
        this.out = out;
        this.loops = loops;
    }

    /** @return whether the program is installed */
    static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "cyclictest"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts one run.
     *
     * @param cpu where it runs
     * @param millis how long (one loop per millisecond)
     * @param tmp where its output goes
     * @return the running probe
     * @throws IOException if it cannot start
     */
    static Cyclictest start(int cpu, long millis, Path tmp) throws IOException {
        Path out = Files.createTempFile(tmp, "cyclictest", ".txt");
        Process p = new ProcessBuilder("cyclictest", "-t1", "-i1000", "-l" + millis, "-q", "-a" + cpu,
                "-h" + HISTOGRAM_US).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        return new Cyclictest(p, out, millis);
    }

    @Override
    public void reset() {
        // it measures from its own start
    }

    @Override
    public Histogram interval() {
        return new Histogram(60_000_000_000L, 3); // nothing until it ends: see finish()
    }

    @Override
    public Histogram finish() throws Exception {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("cyclictest did not end within 60 s of its trial");
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        result = new Histogram(60_000_000_000L, 3);
        for (String l : lines) {
            if (l.startsWith("#")) {
                if (l.startsWith("# Histogram Overflows:")) {
                    overflows = Long.parseLong(l.replaceAll("\\D+", " ").trim().split(" ")[0]);
                }
                continue;
            }
            String[] f = l.trim().split("\\s+");
            if (f.length >= 2 && f[0].matches("\\d+") && f[1].matches("\\d+")) {
                long us = Long.parseLong(f[0]);
                long n = Long.parseLong(f[1]);
                if (n > 0) {
                    result.recordValueWithCount(Math.max(1, us * 1000), n);
                }
            }
        }
        if (result.getTotalCount() == 0) {
            throw new IllegalStateException("cyclictest printed no histogram: " + String.join("\n", lines));
        }
        for (long i = 0; i < overflows; i++) {
            result.recordValue(HISTOGRAM_US * 1000L); // past the histogram: counted at its edge
        }
        return result;
    }

    @Override
    public long[] deadlinesAndMissed() {
        long missed = result == null ? 0 : result.getCountBetweenValues(1_000_000, Math.max(1_000_000, result.getMaxValue()));
        return new long[] {loops, missed};
    }
}
