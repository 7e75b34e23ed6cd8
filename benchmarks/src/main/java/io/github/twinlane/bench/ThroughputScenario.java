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

    record Measured(Trials opsPerSecond, double bytesPerOp) {
    }

    static Measured jmh(Settings s, Class<?> bench) throws Exception {
        Options opt = new OptionsBuilder().include(bench.getName()).forks(1)
                .warmupIterations(s.quick() ? 1 : 2).warmupTime(TimeValue.seconds(1))
                .measurementIterations(s.quick() ? 2 : 3).measurementTime(TimeValue.seconds(s.quick() ? 1 : 2))
                .addProfiler(GCProfiler.class).jvmArgs("-Xmx1g").verbosity(VerboseMode.SILENT).build();
        Collection<RunResult> results = new Runner(opt).run();
        RunResult rr = results.iterator().next();
        Trials ops = new Trials();
        for (BenchmarkResult br : rr.getBenchmarkResults()) {
            for (IterationResult ir : br.getIterationResults()) {
                ops.add(ir.getPrimaryResult().getScore());
            }
        }
        double bytes = Double.NaN;
        for (Map.Entry<String, Result> e : rr.getSecondaryResults().entrySet()) {
            if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                bytes = e.getValue().getScore();
            }
        }
        return new Measured(ops, bytes);
    }

    static void run(Settings s, Report r) throws Exception {
        r.section("2. Fast-lane throughput");
        r.para("JMH, one producer thread sending as fast as it can into a ring of 1,024 with a blocking consumer "
                + "(BLOCK policy: the producer waits for room, so nothing is dropped): a fast channel's command path "
                + "against the same Disruptor ring published to directly. One fork; each measurement iteration is a "
                + "trial; bytes per operation from JMH's GC profiler (all threads of the fork).");
        BenchmarkSuite.progress("throughput", "DeviceChannel (JMH fork)");
        Measured ch = jmh(s, ChannelThroughputBench.class);
        BenchmarkSuite.progress("throughput", "raw Disruptor (JMH fork)");
        Measured raw = jmh(s, DisruptorThroughputBench.class);
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("DeviceChannel.send", Report.num(ch.opsPerSecond()), Report.num(ch.bytesPerOp()),
                Report.ratio(ch.opsPerSecond().median(), raw.opsPerSecond().median())));
        rows.add(List.of("raw Disruptor publish", Report.num(raw.opsPerSecond()), Report.num(raw.bytesPerOp()), "1.00×"));
        r.table(List.of("contender", "ops/s median (min–max)", "B/op", "ratio to raw Disruptor"), rows);
        r.target("throughput", "DeviceChannel ops/s / raw Disruptor ops/s", ch.opsPerSecond().median() / raw.opsPerSecond().median(), 0.8, false);
        r.target("throughput", "DeviceChannel bytes allocated per send (steady state)", ch.bytesPerOp(), 0.01, true);
    }
}
