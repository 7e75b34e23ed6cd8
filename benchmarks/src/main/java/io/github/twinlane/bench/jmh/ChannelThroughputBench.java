package io.github.twinlane.bench.jmh;

import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.CpuPlan;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.MessageType;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.spi.DeviceDriver;
import io.github.twinlane.spi.ReadMode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** One producer sending commands through a fast channel to a device writer that does nothing. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChannelThroughputBench {
    /** A reusable command. */
    public static final class Cmd {
        static final MessageType<Cmd> TYPE = MessageType.of(Cmd::new, (a, b) -> b.value = a.value);
        long value;
    }

    /** A device that swallows commands and produces nothing. */
    static final class NullDevice implements DeviceDriver<Cmd, Cmd> {
        volatile boolean closed;
        long sink;

        @Override
        public String describe() {
            return "null";
        }

        @Override
        public MessageType<Cmd> commandType() {
            return Cmd.TYPE;
        }

        @Override
        public MessageType<Cmd> dataType() {
            return Cmd.TYPE;
        }

        @Override
        public ReadMode readMode() {
            return ReadMode.BLOCKING;
        }

        @Override
        public void open() {
            closed = false;
        }

        @Override
        public boolean read(Cmd into) {
            while (!closed && !Thread.currentThread().isInterrupted()) {
                LockSupport.parkNanos(50_000_000L);
            }
            return false;
        }

        @Override
        public void write(Cmd command) {
            sink += command.value;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private TwinlaneRuntime rt;
    private DeviceChannel<Cmd, Cmd> channel;
    private final Cmd cmd = new Cmd();

    /** Opens the channel. */
    @Setup(Level.Trial)
    public void open() {
        rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build();
        channel = rt.open(ChannelConfig.fast("throughput").capacity(1024).commandPolicy(BackpressurePolicy.BLOCK)
                .blockTimeout(Duration.ofSeconds(10)).build(), new NullDevice());
        while (channel.state() != ChannelState.OPEN) {
            Thread.onSpinWait();
        }
    }

    /** Sends one command (waits for room when the writer is behind, as BLOCK says). */
    @Benchmark
    public void send() {
        cmd.value++;
        channel.send(cmd);
    }

    /** Closes the runtime. */
    @TearDown(Level.Trial)
    public void close() {
        rt.close();
    }
}
