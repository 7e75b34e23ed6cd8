package io.github.twinlane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Every invalid value is refused when the configuration is built, naming the field; every valid one reads back. */
class ConfigValidationProperties {

    private static void refused(String field, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().startsWith(field + " must"), "message names the field: " + e.getMessage());
    }

    @Property
    void capacityMustBeAPowerOfTwoInRange(@ForAll int capacity) {
        boolean valid = capacity >= 2 && capacity <= ChannelConfig.MAX_CAPACITY && Integer.bitCount(capacity) == 1;
        if (valid) {
            assertEquals(capacity, ChannelConfig.fast("x").capacity(capacity).build().capacity());
        } else {
            refused("capacity", () -> ChannelConfig.fast("x").capacity(capacity).build());
        }
    }

    @Property
    void blockTimeoutMustBePositiveAndAtMostTenSeconds(@ForAll @LongRange(min = -1_000_000, max = 100_000_000) long micros) {
        Duration d = Duration.ofNanos(micros * 1000);
        if (micros > 0 && d.compareTo(ChannelConfig.MAX_BLOCK_TIMEOUT) <= 0) {
            assertEquals(d, ChannelConfig.slow("x").blockTimeout(d).build().blockTimeout());
        } else {
            refused("blockTimeout", () -> ChannelConfig.slow("x").blockTimeout(d).build());
        }
    }

    @Property
    void reconnectAttemptsMustNotBeNegative(@ForAll int attempts) {
        if (attempts >= 0) {
            assertEquals(attempts, ChannelConfig.fast("x").maxReconnectAttempts(attempts).build().maxReconnectAttempts());
        } else {
            refused("maxReconnectAttempts", () -> ChannelConfig.fast("x").maxReconnectAttempts(attempts).build());
        }
    }

    @Property
    void backoffMaxMustNotBeBelowInitial(@ForAll @LongRange(min = 1, max = 10_000) long initialMs,
                                         @ForAll @LongRange(min = 0, max = 10_000) long maxMs) {
        if (maxMs >= initialMs) {
            Backoff b = new Backoff(Duration.ofMillis(initialMs), Duration.ofMillis(maxMs));
            assertEquals(Duration.ofMillis(initialMs), b.initial());
            assertEquals(Duration.ofMillis(maxMs), b.max());
        } else {
            refused("backoff.max", () -> new Backoff(Duration.ofMillis(initialMs), Duration.ofMillis(maxMs)));
        }
    }

    @Property
    void loopPeriodMustBeFromTenMicrosecondsToAnHour(@ForAll @LongRange(min = -10, max = 4_000_000_000L) long micros) {
        Duration p = Duration.ofNanos(micros * 1000);
        if (p.compareTo(LoopConfig.MIN_PERIOD) >= 0 && p.compareTo(LoopConfig.MAX_PERIOD) <= 0) {
            assertEquals(p, LoopConfig.of("l", p).period());
        } else {
            refused("period", () -> LoopConfig.of("l", p));
        }
    }

    @Property
    void loopSpinMustBeAdaptiveOrFitInThePeriod(@ForAll @LongRange(min = -5000, max = 5000) long spinMicros) {
        Duration period = Duration.ofMillis(1);
        Duration spin = Duration.ofNanos(spinMicros * 1000);
        assertTrue(LoopConfig.of("l", period).adaptiveSpin(), "adaptive by default");
        assertTrue(new LoopConfig("l", period, LoopConfig.ADAPTIVE, false).adaptiveSpin());
        if (!spin.isNegative() && spin.compareTo(period) <= 0) {
            assertEquals(spin, new LoopConfig("l", period, spin, false).spin());
        } else {
            refused("spin", () -> new LoopConfig("l", period, spin, false));
        }
    }

    @Property
    void runtimeSettingsAreRangeChecked(@ForAll @IntRange(min = -5, max = 100) int loops) {
        if (loops >= 1 && loops <= 64) {
            try (TwinlaneRuntime rt = TwinlaneRuntime.builder().slowLoopThreads(loops).cpuPlan(CpuPlan.OFF).build()) {
                assertEquals(loops, rt.slowLoopThreads());
            }
        } else {
            refused("slowLoopThreads", () -> TwinlaneRuntime.builder().slowLoopThreads(loops).build());
        }
    }

    @Property
    void closeTimeoutIsTenMillisecondsToAMinute(@ForAll @LongRange(min = -1_000, max = 120_000) long ms) {
        Duration d = Duration.ofMillis(ms);
        if (ms >= 10 && ms <= 60_000) {
            try (TwinlaneRuntime rt = TwinlaneRuntime.builder().closeTimeout(d).cpuPlan(CpuPlan.OFF).build()) {
                assertEquals(d, rt.closeTimeout());
            }
        } else {
            refused("closeTimeout", () -> TwinlaneRuntime.builder().closeTimeout(d).cpuPlan(CpuPlan.OFF).build());
        }
    }

    @Property
    void stallThresholdIsOneMillisecondToAMinute(@ForAll @LongRange(min = -1_000, max = 120_000) long ms) {
        Duration d = Duration.ofMillis(ms);
        if (ms >= 1 && ms <= 60_000) {
            try (TwinlaneRuntime rt = TwinlaneRuntime.builder().stallThreshold(d).cpuPlan(CpuPlan.OFF).build()) {
                assertEquals(d, rt.stallThreshold());
            }
        } else {
            refused("stallThreshold", () -> TwinlaneRuntime.builder().stallThreshold(d).cpuPlan(CpuPlan.OFF).build());
        }
    }

    @Property
    void cpuPlanValuesAreRangeChecked(@ForAll @IntRange(min = -50, max = 150) int priority,
                                      @ForAll @IntRange(min = -40, max = 40) int nice) {
        if (priority >= 0 && priority <= 99) {
            assertEquals(priority, CpuPlan.DEFAULT.withFastPriority(priority).fastPriority());
        } else {
            refused("fastPriority", () -> CpuPlan.DEFAULT.withFastPriority(priority));
        }
        if (nice >= -20 && nice <= 19) {
            assertEquals(nice, CpuPlan.DEFAULT.withSlowNice(nice).slowNice());
        } else {
            refused("slowNice", () -> CpuPlan.DEFAULT.withSlowNice(nice));
        }
    }

    @Property
    void maxDataAgeIsZeroOrOneMillisecondToAnHour(@ForAll @LongRange(min = -10, max = 4_000_000) long ms) {
        Duration d = Duration.ofMillis(ms);
        if (ms == 0 || ms >= 1 && ms <= 3_600_000) {
            assertEquals(d, ChannelConfig.fast("x").maxDataAge(d).build().maxDataAge());
        } else {
            refused("maxDataAge", () -> ChannelConfig.fast("x").maxDataAge(d).build());
        }
    }

    @Property(tries = 30)
    void watchdogFeedTimeoutIsOneMillisecondToAMinute(@ForAll @LongRange(min = -10, max = 120_000) long ms) {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            DeviceChannel<LongBox, LongBox> ch = rt.open(ChannelConfig.fast("w").build(),
                    new CountingDriver(0, io.github.twinlane.spi.ReadMode.NON_BLOCKING, 0));
            Duration d = Duration.ofMillis(ms);
            if (ms >= 1 && ms <= 60_000) {
                ch.watchdog(d, c -> c.value = 0);
            } else {
                refused("feedTimeout", () -> ch.watchdog(d, c -> c.value = 0));
            }
        }
    }

    @Property(tries = 50)
    void namesMustNotBeBlankOrLong(@ForAll @IntRange(min = 1, max = 200) int length) {
        if (length <= 64) {
            assertEquals("x".repeat(length), ChannelConfig.fast("x".repeat(length)).build().name());
        } else {
            refused("name", () -> ChannelConfig.fast("x".repeat(length)).build());
        }
        refused("name", () -> ChannelConfig.fast(" ".repeat(length % 5 + 1)).build());
    }
}
