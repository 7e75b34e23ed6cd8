package io.github.twinlane.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The fixed-rate schedule's arithmetic on a few exact cases (DeadlineScheduleProperties covers it over all inputs). */
class DeadlineScheduleTest {

    @Test
    void shouldSkipWholeLostPeriodsAndKeepItsPeriod() {
        DeadlineSchedule s = new DeadlineSchedule(1_000, 100, false);
        assertEquals(100, s.period());
        assertEquals(1_000, s.nextDeadline());
        assertEquals(0, s.begin(1_000), "on time");
        assertEquals(1_100, s.nextDeadline());
        assertEquals(99, s.begin(1_199), "late by less than a period: no slot lost");
        assertEquals(1_200, s.nextDeadline());
        assertEquals(100, s.begin(1_300), "late by a whole period: that slot is lost");
        assertEquals(1, s.missed());
        assertEquals(1_400, s.nextDeadline());
        assertEquals(3, s.ticks());
        assertEquals(350, s.begin(1_750));
        assertEquals(4, s.missed());
        assertEquals(1_800, s.nextDeadline());
        assertEquals(4, s.ticks());
    }

    @Test
    void shouldTakeAPeriodOfOneNanosecondAndRefuseZero() {
        assertEquals(1, new DeadlineSchedule(0, 1, false).period());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DeadlineSchedule(0, 0, false));
        assertEquals("period must be more than 0 ns, was 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DeadlineSchedule(0, -1, true));
    }

    @Test
    void shouldRunEveryLateTickWhenCatchingUp() {
        DeadlineSchedule s = new DeadlineSchedule(0, 100, true);
        assertEquals(350, s.begin(350));
        assertEquals(100, s.nextDeadline());
        assertEquals(250, s.begin(350));
        assertEquals(0, s.missed());
        assertEquals(2, s.ticks());
    }
}
