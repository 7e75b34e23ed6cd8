package io.github.twinlane.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The periodic loop's schedule never drifts, whatever lateness the OS adds. */
class DeadlineScheduleProperties {

    @Provide
    Arbitrary<List<Long>> lateness() {
        // mostly small lateness, sometimes several periods (a GC pause, a stalled core)
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.longs().between(0, 200_000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(0, 10_000_000))).list().ofMaxSize(5_000);
    }

    @Property(tries = 300)
    void deadlinesAreExactMultiplesOfThePeriodOverManyCycles(@ForAll("lateness") List<Long> lateness,
            @ForAll @LongRange(min = 10_000, max = 5_000_000) long period, @ForAll long start) {
        DeadlineSchedule s = new DeadlineSchedule(start, period, false);
        for (long late : lateness) {
            long deadline = s.nextDeadline();
            long got = s.begin(deadline + late);
            assertEquals(late, got, "lateness is measured against the pending deadline");
            assertEquals(start + (s.ticks() + s.missed()) * period, s.nextDeadline(), "no drift");
            assertTrue(s.nextDeadline() - (deadline + late - period) > 0,
                    "after a late start the next deadline is less than a period behind now");
        }
        assertEquals(lateness.size(), s.ticks());
    }

    @Property(tries = 300)
    void missedCyclesCountWholePeriodsLost(@ForAll("lateness") List<Long> lateness,
            @ForAll @LongRange(min = 10_000, max = 5_000_000) long period) {
        DeadlineSchedule s = new DeadlineSchedule(0, period, false);
        long expectedMissed = 0;
        for (long late : lateness) {
            s.begin(s.nextDeadline() + late);
            expectedMissed += late / period;
        }
        assertEquals(expectedMissed, s.missed());
    }

    @Property(tries = 300)
    void catchUpRunsEveryCycleAndMissesNone(@ForAll("lateness") List<Long> lateness,
            @ForAll @LongRange(min = 10_000, max = 5_000_000) long period) {
        DeadlineSchedule s = new DeadlineSchedule(0, period, true);
        for (long late : lateness) {
            s.begin(s.nextDeadline() + late);
        }
        assertEquals(0, s.missed());
        assertEquals(lateness.size() * period, s.nextDeadline());
    }

    @Test
    void shouldRejectANonPositivePeriod() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DeadlineSchedule(0, 0, false));
        assertTrue(e.getMessage().contains("period"));
    }
}
