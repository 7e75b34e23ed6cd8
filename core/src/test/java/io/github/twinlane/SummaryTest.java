package io.github.twinlane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.test.Await;
import io.github.twinlane.test.TwinlaneExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a user reads when something went wrong: the summary's columns, closed channels, latest() after close. */
@ExtendWith(TwinlaneExtension.class)
class SummaryTest {

    private static String row(String summary, String channel) {
        return summary.lines().filter(l -> l.startsWith(channel + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + channel + " in\n" + summary));
    }

    private static List<String> cells(String row) {
        return List.of(row.replace("|", " ").trim().split("\\s+"));
    }

    @Test
    void shouldShowCorruptReadsUnderTheirOwnHeaderAndNaWhereThereIsNoSample(TwinlaneRuntime rt) {
        SimulatedMotorDrive sim = new SimulatedMotorDrive();
        DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(), sim);
        Await.until("open", () -> drive.state() == ChannelState.OPEN, drive::toString);
        sim.faults().garbage(7);
        Await.until("seven corrupt reads", () -> drive.stats().corruptReads() == 7, drive::toString);
        String summary = rt.summary();
        assertTrue(summary.contains("COMMANDS (app -> device)") && summary.contains("DATA (device -> app)"),
                "the two directions' columns have group headers:\n" + summary);
        List<String> header = cells(summary.lines().filter(l -> l.startsWith("CHANNEL")).findFirst().orElseThrow()
                .replace("AGE p99", "AGE_p99"));
        List<String> drive0 = cells(row(summary, "drive"));
        assertEquals(header.size(), drive0.size(), "one cell per column:\n" + summary);
        assertEquals("7", drive0.get(header.indexOf("CORRUPT")), "corrupt reads have a column:\n" + summary);
        assertEquals("OPEN", drive0.get(header.indexOf("STATE")));
        assertEquals("0", drive0.get(header.indexOf("RECONN")));
        assertTrue(drive0.get(header.indexOf("MEMORY")).matches("\\d+(\\.\\d)?(B|KiB|MiB)"),
                "what its messages take, in one cell:\n" + summary);

        DeviceChannel<MotorCommand, MotorTelemetry> idle = rt.open(ChannelConfig.fast("idle").build(),
                new SimulatedMotorDrive("idle", 1, java.time.Duration.ofMillis(50), java.time.Duration.ZERO));
        idle.close(); // never delivered anything: its latency has no sample
        String again = rt.summary();
        List<String> idleRow = cells(row(again, "idle"));
        assertEquals("n/a", idleRow.get(header.indexOf("AGE_p99")), "no sample reads n/a, not 0ns:\n" + again);
        assertEquals("0B", idleRow.get(header.indexOf("MEMORY")), "closed: its memory given back:\n" + again);
        assertTrue(again.contains("AGE p99: from the driver's read"), "the latency column is explained:\n" + again);
    }

    @Test
    void shouldKeepClosedChannelsInTheStatsUntilTheRuntimeClosesBounded(TwinlaneRuntime rt) {
        DeviceChannel<MotorCommand, MotorTelemetry> first = rt.open(ChannelConfig.fast("first").build(),
                new SimulatedMotorDrive());
        Await.until("open", () -> first.state() == ChannelState.OPEN, first::toString);
        first.close();
        DeviceChannel<MotorCommand, MotorTelemetry> second = rt.open(ChannelConfig.fast("second").build(),
                new SimulatedMotorDrive());
        List<ChannelStats> stats = rt.channelStats();
        assertEquals(List.of("first", "second"), stats.stream().map(ChannelStats::name).toList(),
                "a closed channel stays listed after another opens");
        assertEquals(ChannelState.CLOSED, stats.get(0).state());
        assertTrue(rt.summary().contains("first "), rt.summary());
        second.close();
        for (int i = 0; i < ClosedChannels.KEPT + 5; i++) {
            rt.open(ChannelConfig.fast("c" + i).build(), new SimulatedMotorDrive()).close();
        }
        rt.open(ChannelConfig.fast("last").build(), new SimulatedMotorDrive());
        List<String> names = rt.channelStats().stream().map(ChannelStats::name).toList();
        assertEquals(ClosedChannels.KEPT + 1, names.size(), "the most recent closed ones, and the open one: " + names);
        assertFalse(names.contains("first"), "the oldest closed ones are forgotten past the bound: " + names);
        assertEquals("last", names.get(names.size() - 1));
    }

    @Test
    void shouldStillReturnTheLastValueFromLatestAfterCloseAsDocumented(TwinlaneRuntime rt) {
        DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                new SimulatedMotorDrive());
        MotorTelemetry t = new MotorTelemetry();
        Await.until("a value", () -> drive.latest(t), drive::toString);
        drive.close();
        MotorTelemetry after = new MotorTelemetry();
        assertTrue(drive.latest(after), "the last value stays readable after close");
        assertTrue(after.sequence >= t.sequence, "and it is the newest one the device produced");
        assertEquals(ChannelState.CLOSED, drive.state(), "state() tells it is not live");
    }
}
