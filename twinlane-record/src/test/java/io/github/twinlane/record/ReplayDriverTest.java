package io.github.twinlane.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.CpuPlan;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.record.mcap.McapException;
import io.github.twinlane.record.mcap.McapLimits;
import io.github.twinlane.record.mcap.McapReader;
import io.github.twinlane.record.mcap.McapVisitor;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.test.Await;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recording played back as a device: the same values, in the same order, through an ordinary channel. */
class ReplayDriverTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** Records a simulated drive until it has produced {@code count} values; returns their sequences. */
    private List<Long> record(Path file, int count) throws Exception {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                    new SimulatedMotorDrive());
            Recording rec = Recording.start(rt, RecordingConfig.to(file));
            rec.data(drive, MotorCodecs.telemetry());
            Await.until(count + " values recorded", WAIT, () -> rec.stats().written() >= count, rec::toString);
            rec.close();
        }
        return RecordingTest.read(file).telemetry.stream().map(t -> t.sequence).toList();
    }

    private List<Long> replay(Path file, ReplayDriver.Pace pace, int expected) {
        List<Long> seen = new CopyOnWriteArrayList<>();
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            ReplayDriver<MotorCommand, MotorTelemetry> replay = ReplayDriver.of(file, "/drive/data",
                    MotorCodecs.telemetry(), MotorCommand.TYPE, pace);
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive")
                    .dataPolicy(BackpressurePolicy.BLOCK).capacity(4096).build(), replay, (t, at) -> seen.add(t.sequence));
            Await.until("the replay is played", WAIT, () -> seen.size() >= expected, drive::toString);
            assertEquals(ChannelState.OPEN, drive.state());
            drive.send(new MotorCommand());
            Await.until("a command to a recording is counted and dropped", WAIT, () -> replay.commandsDropped() == 1);
        }
        return seen;
    }

    @Test
    void shouldPlayEveryRecordedValueInOrderAsFastAsPossibleAndOnTheRecordedClock() throws Exception {
        Path file = dir.resolve("drive.mcap");
        List<Long> recorded = record(file, 300);
        assertEquals(recorded, replay(file, ReplayDriver.Pace.AS_FAST_AS_POSSIBLE, recorded.size()));
        assertEquals(recorded, replay(file, ReplayDriver.Pace.REAL_TIME, recorded.size()));
    }

    @Test
    void shouldNameTheTopicsThereAreWhenTheTopicIsMissing() throws Exception {
        Path file = dir.resolve("drive.mcap");
        record(file, 10);
        ReplayDriver<MotorCommand, MotorTelemetry> r = ReplayDriver.of(file, "/arm/data", MotorCodecs.telemetry(),
                MotorCommand.TYPE, ReplayDriver.Pace.REAL_TIME);
        IOException e = assertThrows(IOException.class, r::open);
        assertTrue(e.getMessage().endsWith("has no topic /arm/data; it has [/drive/data]"), e.getMessage());
    }

    @Test
    void shouldFailToOpenARecordingRefusedByALimitWithTheReadersOwnMessage() throws Exception {
        Path file = dir.resolve("drive.mcap");
        record(file, 50);
        McapLimits limits = McapLimits.defaults().withMaxDecodedBytes(1024);
        ReplayDriver<MotorCommand, MotorTelemetry> r = ReplayDriver.of(file, "/drive/data", MotorCodecs.telemetry(),
                MotorCommand.TYPE, ReplayDriver.Pace.REAL_TIME).withLimits(limits);
        McapException e = assertThrows(McapException.class, r::open);
        assertEquals("maxDecodedBytes", e.limit().orElseThrow());
        try (McapReader reader = McapReader.open(file, limits)) {
            assertEquals(assertThrows(McapException.class, () -> reader.read(new McapVisitor() { })).getMessage(),
                    e.getMessage(), "the reader's message, unchanged");
        }
        ReplayDriver.of(file, "/drive/data", MotorCodecs.telemetry(), MotorCommand.TYPE, ReplayDriver.Pace.REAL_TIME)
                .open(); // the defaults read it
    }
}
