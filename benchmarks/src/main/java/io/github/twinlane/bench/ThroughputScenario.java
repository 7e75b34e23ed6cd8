package io.github.twinlane.bench;

import io.github.twinlane.bench.jmh.ChannelThroughputBench;
import io.github.twinlane.bench.jmh.DisruptorThroughputBench;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Scenario 2: one producer to one consumer, JMH, with the GC profiler for bytes per operation. */
final class ThroughputScenario {
    private ThroughputScenario() {
    }

    record Measured(double opsPerSecond, double bytesPerOp) {
    }

    /** One JMH fork of {@code bench}: warm-up, then one measurement iteration, which is the trial. */
    static Measured fork(Settings s, Class<?> bench, String... params) throws Exception {
        OptionsBuilder b = new OptionsBuilder();
        for (int i = 0; i + 1 < params.length; i += 2) {
            b.param(params[i], params[i + 1]);
        }
        Options opt = b.include(bench.getName()).forks(1)
                .warmupIterations(s.quick() ? 1 : 2).warmupTime(TimeValue.seconds(1))
                .measurementIterations(1).measurementTime(TimeValue.seconds(s.quick() ? 1 : 2))
                .addProfiler(GCProfiler.class).jvmArgs("-Xmx1g").verbosity(VerboseMode.SILENT).build();
        Collection<RunResult> results = new Runner(opt).run();
        RunResult rr = results.iterator().next();
        double bytes = Double.NaN;
        for (Map.Entry<String, Result> e : rr.getSecondaryResults().entrySet()) {
            if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                bytes = e.getValue().getScore();
            }
        }
        return new Measured(rr.getPrimaryResult().getScore(), bytes);
    }

    static void run(Settings s, Report r) throws Exception {
        int trials = s.quick() ? 3 : 5;
        r.section("2. Fast-lane throughput");
        r.para("JMH, one producer thread sending as fast as it can into a ring of 1,024 with a blocking consumer "
                + "(BLOCK policy: the producer waits for room, so nothing is dropped): a fast channel's command path "
                + "(with its default latency recording, and without) against the same Disruptor ring published to directly. " + trials + " trials, each one JMH fork "
                + "(warm-up, then one measured iteration), the contenders interleaved fork by fork; the ratio is "
                + "taken per trial pair, then the median. Bytes per operation from JMH's GC profiler (all threads of "
                + "the fork), the largest over trials.");
        Trials ch = new Trials();
        Trials quiet = new Trials();
        Trials raw = new Trials();
        double chBytes = 0;
        double quietBytes = 0;
        double rawBytes = 0;
        for (int i = 0; i < trials; i++) {
            BenchmarkSuite.progress("throughput", "trial " + (i + 1) + "/" + trials + ": DeviceChannel (JMH fork)");
            Measured c = fork(s, ChannelThroughputBench.class, "latencyRecording", "true");
            BenchmarkSuite.progress("throughput", "trial " + (i + 1) + "/" + trials + ": raw Disruptor (JMH fork)");
            Measured d = fork(s, DisruptorThroughputBench.class);
            BenchmarkSuite.progress("throughput", "trial " + (i + 1) + "/" + trials + ": DeviceChannel, latency recording off");
            Measured q = fork(s, ChannelThroughputBench.class, "latencyRecording", "false");
            ch.add(c.opsPerSecond());
            raw.add(d.opsPerSecond());
            quiet.add(q.opsPerSecond());
            chBytes = Math.max(chBytes, c.bytesPerOp());
            rawBytes = Math.max(rawBytes, d.bytesPerOp());
            quietBytes = Math.max(quietBytes, q.bytesPerOp());
        }
        double ratio = Trials.medianRatio(ch, raw);
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("DeviceChannel.send (default: latency recorded)", Report.num(ch), Report.num(chBytes),
                Report.ratio(ratio, 1)));
        rows.add(List.of("DeviceChannel.send, latencyRecording(false)", Report.num(quiet), Report.num(quietBytes),
                Report.ratio(Trials.medianRatio(quiet, raw), 1)));
        rows.add(List.of("raw Disruptor publish", Report.num(raw), Report.num(rawBytes), "1.00×"));
        r.table(List.of("contender", "ops/s median (min–max)", "B/op (largest)", "ratio to raw Disruptor (median of per-trial ratios)"), rows);
        r.target("throughput", "DeviceChannel ops/s / raw Disruptor ops/s", ratio, 0.9, false);
        r.target("throughput", "DeviceChannel bytes allocated per send (steady state)", chBytes, 0.01, true);
    }
}
