package io.github.twinlane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.sim.SimulatedCamera;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.test.Await;
import io.github.twinlane.test.TwinlaneExtension;
import io.github.twinlane.video.PixelFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One kind of exception per kind of mistake, durations for people, log lines that fit the device. */
@ExtendWith(TwinlaneExtension.class)
class ErrorTextTest {

    private static String refused(Runnable build) {
        return assertThrows(IllegalArgumentException.class, build::run).getMessage();
    }

    @Test
    void shouldRefuseANullSettingWithTheSameExceptionAsABadOneNamingTheField() {
        assertEquals("dataPolicy must be one of LATEST, DROP_OLDEST, DROP_NEWEST, BLOCK, was null",
                refused(() -> ChannelConfig.fast("x").dataPolicy(null).build()));
        assertTrue(refused(() -> ChannelConfig.fast("x").commandWaitMode(null).build()).startsWith("commandWaitMode must be"));
        assertTrue(refused(() -> ChannelConfig.fast("x").backoff(null).build()).startsWith("backoff must be"));
        assertEquals("period must be from 10 µs to 1 h, was null", refused(() -> LoopConfig.of("l", null)));
        assertTrue(refused(() -> TwinlaneRuntime.builder().cpuPlan(null).build()).startsWith("cpuPlan must be set"));
    }

    @Test
    void shouldPrintANullNameAsNullNotAsAQuotedWord() {
        assertEquals("name must be 1 to 64 characters and not blank, was null",
                refused(() -> ChannelConfig.fast(null).build()));
        assertEquals("name must be 1 to 64 characters and not blank, was \" \"",
                refused(() -> ChannelConfig.fast(" ").build()));
    }

    @Test
    void shouldPrintDurationsForPeopleInEveryRangeMessage() {
        assertEquals("period must be from 10 µs to 1 h, was 5 µs", refused(() -> LoopConfig.of("l", Duration.ofNanos(5000))));
        assertEquals("blockTimeout must be more than 0 and at most 10 s, was 11 s",
                refused(() -> ChannelConfig.slow("x").blockTimeout(Duration.ofSeconds(11)).build()));
        assertEquals("closeTimeout must be from 10 ms to 60 s, was 1.5 min",
                refused(() -> TwinlaneRuntime.builder().closeTimeout(Duration.ofSeconds(90)).build()));
        for (String m : new String[] {
            refused(() -> new Backoff(Duration.ofMillis(5), Duration.ofMillis(1))),
            refused(() -> ChannelConfig.fast("x").maxDataAge(Duration.ofHours(2)).build()),
        }) {
            assertFalse(m.contains("PT"), "no ISO-8601 duration in: " + m);
        }
    }

    @Test
    void shouldWriteDurationsInTheLargestWholeUnit() {
        assertEquals("10 µs", Durations.human(Duration.ofNanos(10_000)));
        assertEquals("1 h", Durations.human(Duration.ofHours(1)));
        assertEquals("2.5 ms", Durations.human(Duration.ofNanos(2_500_000)));
        assertEquals("1.5 min", Durations.human(Duration.ofSeconds(90)));
        assertEquals("999 ns", Durations.human(Duration.ofNanos(999)));
        assertEquals("0 s", Durations.human(Duration.ZERO));
        assertEquals("-20 ms", Durations.human(Duration.ofMillis(-20)));
        assertEquals("null", Durations.human(null));
    }

    @Test
    void shouldNotMentionCommandsWhenADeviceThatTakesNoneIsLost(TwinlaneRuntime rt) throws Exception {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            SimulatedCamera cam = new SimulatedCamera("cam", 32, 24, 100, PixelFormat.GRAY8, Duration.ZERO);
            DeviceChannel<NoCommand, ?> c = rt.open(ChannelConfig.slow("cam").build(), cam);
            SimulatedMotorDrive sim = new SimulatedMotorDrive();
            DeviceChannel<?, ?> d = rt.open(ChannelConfig.fast("drive").build(), sim);
            Await.until("both open", () -> c.state() == ChannelState.OPEN && d.state() == ChannelState.OPEN);
            cam.faults().unplug();
            sim.faults().unplug();
            Await.until("both lost and logged", () -> buf.toString(StandardCharsets.UTF_8).contains("'cam' lost")
                    && buf.toString(StandardCharsets.UTF_8).contains("'drive' lost"), () -> buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
        String log = buf.toString(StandardCharsets.UTF_8);
        String camLine = log.lines().filter(l -> l.contains("'cam' lost")).findFirst().orElseThrow();
        String driveLine = log.lines().filter(l -> l.contains("'drive' lost")).findFirst().orElseThrow();
        assertFalse(camLine.contains("commands"), "a camera takes no commands: " + camLine);
        assertTrue(driveLine.contains("commands sent meanwhile are dropped and counted"), driveLine);
    }

    @Test
    void shouldRefuseAFastLaneWaitModeOnASlowChannelBuiltByHand() {
        ChannelConfig ok = ChannelConfig.slow("cam").build();
        String m = refused(() -> new ChannelConfig(ok.name(), Lane.SLOW, ok.dataPolicy(), ok.commandPolicy(), ok.capacity(),
                ok.blockTimeout(), WaitMode.BUSY_SPIN, WaitMode.BLOCKING, ok.backoff(), ok.maxReconnectAttempts(),
                ok.maxDataAge(), ok.placement(), ok.latencyRecording(), ok.writeTimeout(), ok.maxBytes()));
        assertTrue(m.startsWith("wait modes apply to the fast lane only"), m);
        // the slow builder has no wait-mode setters at all: ChannelConfig.slow("cam").waitMode(...) does not compile
        assertTrue(java.util.Arrays.stream(ChannelConfig.SlowBuilder.class.getMethods())
                .noneMatch(x -> x.getName().toLowerCase(java.util.Locale.ROOT).contains("waitmode")));
        assertEquals(WaitMode.YIELDING, ChannelConfig.fast("d").waitMode(WaitMode.YIELDING).capacity(8).build().dataWaitMode());
    }
}
