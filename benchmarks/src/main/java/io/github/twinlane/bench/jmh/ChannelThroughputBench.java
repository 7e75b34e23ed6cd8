package io.github.twinlane.bench.jmh;

import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.CpuPlan;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.bench.LoopbackDriver;
import io.github.twinlane.bench.Stamp;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** One producer sending commands through a fast channel to a device writer that does nothing. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChannelThroughputBench {
    private TwinlaneRuntime rt;
    private DeviceChannel<Stamp, Stamp> channel;
    private final Stamp cmd = new Stamp();
    private long sink;

    /** Whether the channel records hand-off latencies (its default) or not. */
    @Param({"true"})
    public boolean latencyRecording;

    /** Opens the channel. */
    @Setup(Level.Trial)
    public void open() {
        rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build();
        channel = rt.open(ChannelConfig.fast("throughput").capacity(1024).commandPolicy(BackpressurePolicy.BLOCK)
                .blockTimeout(Duration.ofSeconds(10)).latencyRecording(latencyRecording).build(), new LoopbackDriver(v -> sink += v));
        while (channel.state() != ChannelState.OPEN) {
            Thread.onSpinWait();
        }
    }

    /** Sends one command (waits for room when the writer is behind, as BLOCK says). */
    @Benchmark
    public void send() {
        cmd.sentNanos++;
        channel.send(cmd);
    }

    /** Closes the runtime. */
    @TearDown(Level.Trial)
    public void close() {
        rt.close();
    }
}
