package io.github.twinlane.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * How long and how often the suite measures.
 *
 * @param quick whether this is the two-minute run
 * @param trials trials per contender; the report quotes min, median and max
 * @param trial how long one trial measures, after its warm-up
 * @param warmup how long each trial warms up first
 * @param out where the report and plots go
 * @param only scenario names to run, empty for all
 */
record Settings(boolean quick, int trials, Duration trial, Duration warmup, Path out, Set<String> only) {

    static Settings parse(String[] args) {
        boolean quick = false;
        Path out = Path.of("benchmarks", "results");
        Set<String> only = new java.util.TreeSet<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(next(args, ++i, "--out"));
                case "--only" -> only.addAll(java.util.List.of(next(args, ++i, "--only").split(",")));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --quick, --out DIR, --only handoff,throughput,isolation,viewers,scale,serial,camera,remote,gc,record");
            }
        }
        return quick
                ? new Settings(true, 2, Duration.ofMillis(1000), Duration.ofMillis(300), out, only)
                : new Settings(false, 3, Duration.ofSeconds(4), Duration.ofSeconds(1), out, only);
    }

    private static String next(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[i];
    }

    boolean runs(String scenario) {
        return only.isEmpty() || only.contains(scenario);
    }
}
