package io.github.twinlane.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.CpuPlan;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.LoopConfig;
import io.github.twinlane.LoopTask;
import io.github.twinlane.PeriodicLoop;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.record.mcap.McapException;
import io.github.twinlane.record.mcap.McapLimits;
import io.github.twinlane.record.mcap.McapReader;
import io.github.twinlane.record.mcap.McapVisitor;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.test.Await;
import io.github.twinlane.test.Threads;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A control loop recorded live and replayed against the recording: the same controller does the same, a changed one diverges where it should. */
class LoopReplayTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** A velocity ramp of 10 rad/s², followed with a proportional term: the controller under test. */
    static final class Ramp implements LoopTask {
        final LoopInput<MotorTelemetry> in;
        final LoopOutput<MotorCommand> out;
        final LoopClock clock;
        final double gain;
        final MotorTelemetry t = new MotorTelemetry();
        final MotorCommand c = new MotorCommand();
        long start = -1;

        Ramp(LoopInput<MotorTelemetry> in, LoopOutput<MotorCommand> out, LoopClock clock, double gain) {
            this.in = in;
            this.out = out;
            this.clock = clock;
            this.gain = gain;
        }

        @Override
        public void run(long k) {
            if (start < 0) {
                start = clock.nowNanos();
            }
            double target = (clock.nowNanos() - start) / 1e9 * 10;
            double v = in.latest(t) ? t.velocity : 0;
            c.sequence = k;
            c.velocity = target + gain * (target - v);
            c.sentNanos = clock.nowNanos();
            out.send(c);
        }
    }

    private long recordLoop(Path file, int cycles) throws Exception {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                    new SimulatedMotorDrive());
            Await.until("open", WAIT, () -> drive.state() == ChannelState.OPEN);
            Recording rec = Recording.start(rt, RecordingConfig.to(file));
            LoopRecorder io = LoopRecorder.start(rec, "control");
            Ramp ramp = new Ramp(io.input(drive, MotorCodecs.telemetry()), io.output(drive, MotorCodecs.command()), io, 0.5);
            PeriodicLoop loop = rt.every(LoopConfig.of("control", Duration.ofMillis(1)), io.wrap(ramp));
            Thread loopThread = rt.liveThreads().stream().filter(t -> t.getName().endsWith("control-loop")).findFirst()
                    .orElseThrow();
            Await.until("warm", WAIT, () -> loop.stats().cycles() > cycles / 2);
            long before = Threads.allocatedBytes(List.of(loopThread));
            long cyclesBefore = loop.stats().cycles();
            Await.until(cycles + " cycles", WAIT, () -> loop.stats().cycles() >= cycles);
            long bytes = Threads.allocatedBytes(List.of(loopThread)) - before;
            long measured = loop.stats().cycles() - cyclesBefore;
            assertTrue(bytes < 2048, "the recorded loop's thread allocated " + bytes + " bytes over " + measured
                    + " cycles; a per-cycle allocation would be at least " + 16 * measured);
            loop.close();
            rec.close();
            assertEquals(0, io.dropped(), "nothing dropped: the replay can be exact");
            return loop.stats().cycles();
        }
    }

    private static LoopReplay.Result replay(Path file, double gain) throws Exception {
        LoopReplay r = LoopReplay.open(file, "control");
        return r.run(new Ramp(r.input("drive", MotorCodecs.telemetry()), r.output("drive", MotorCodecs.command()), r, gain));
    }

    @Test
    void theSameControllerReplaysExactlyAndTwoReplaysAgree() throws Exception {
        Path file = dir.resolve("loop.mcap");
        long cycles = recordLoop(file, 2000);
        LoopReplay.Result a = replay(file, 0.5);
        LoopReplay.Result b = replay(file, 0.5);
        assertEquals(Optional.empty(), a.divergence(), "the recorded controller does what it did");
        assertEquals(0, a.divergingCycles());
        assertEquals(cycles, a.cycles(), "every cycle that ran was recorded and replayed");
        assertEquals(a.sent(), b.sent(), "two replays of one recording send the same commands");
        assertEquals(cycles, a.sent().size(), "one command per cycle");
        assertTrue(a.gaps().isEmpty(), a.gaps().toString());
    }

    @Test
    void aChangedControllerDivergesAtTheFirstCycleItWouldHaveActedOtherwise() throws Exception {
        Path file = dir.resolve("loop.mcap");
        recordLoop(file, 1000);
        LoopReplay.Result same = replay(file, 0.5);
        LoopReplay.Result changed = replay(file, 0.8); // a one-line change: the gain
        LoopReplay.Divergence d = changed.divergence().orElseThrow();
        // cycle 0's target and error are 0, so any gain sends the same; from the second cycle on the ramp has moved
        long second = Long.parseLong(same.sent().get(1).split(" ")[0]);
        assertEquals(second, d.cycle(), d.toString());
        assertEquals("drive", d.channel());
        assertTrue(d.recorded().startsWith("{\"sequence\":" + second), d.toString());
        assertFalse(d.recorded().equals(d.replayed()), d.toString());
        assertTrue(changed.divergingCycles() > 0);
    }

    @Test
    void aLoopThatWasNotRecordedIsNamedWithTheLoopsThereAre() throws Exception {
        Path file = dir.resolve("loop.mcap");
        recordLoop(file, 200);
        IOException e = assertThrows(IOException.class, () -> LoopReplay.open(file, "steering"));
        assertTrue(e.getMessage().contains("has no loop 'steering'; it has [control]"), e.getMessage());
    }

    @Test
    void aRecordingRefusedByALimitOfTheReaderFailsWithTheReadersOwnMessage() throws Exception {
        Path file = dir.resolve("loop.mcap");
        recordLoop(file, 200);
        McapLimits limits = McapLimits.defaults().withMaxDecodedBytes(1024);
        McapException e = assertThrows(McapException.class, () -> LoopReplay.open(file, "control", limits));
        assertEquals("maxDecodedBytes", e.limit().orElseThrow());
        try (McapReader r = McapReader.open(file, limits)) {
            assertEquals(assertThrows(McapException.class, () -> r.read(new McapVisitor() { })).getMessage(),
                    e.getMessage(), "the reader's message, unchanged");
        }
    }
}
