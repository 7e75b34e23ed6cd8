package io.github.twinlane.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import java.util.List;

/** The learned spin lead: always within its bounds, covers a late wake-up at once, shrinks back slowly. */
class SpinLeadProperties {

    @Property
    void shouldStayWithinItsBoundsAndCoverTheLastLateWakeUpAtOnce(
            @ForAll @Size(max = 500) List<@LongRange(min = -2_000_000, max = 5_000_000) Long> overshoots,
            @ForAll @LongRange(min = 20_000, max = 500_000) long max) {
        SpinLead lead = new SpinLead(100_000, max);
        for (long o : overshoots) {
            long before = lead.nanos();
            lead.woke(o);
            long now = lead.nanos();
            assertTrue(now >= SpinLead.MIN_NANOS && now <= max, now + " outside [" + SpinLead.MIN_NANOS + ", " + max + "]");
            if (o + SpinLead.MARGIN_NANOS > before) {
                assertEquals(Math.min(max, o + SpinLead.MARGIN_NANOS), now, "a wake-up later than the lead allowed");
            } else {
                assertTrue(now <= before, "an early wake-up never lengthens the lead");
            }
        }
    }

    @Property
    void shouldShrinkToItsFloorWhenWakeUpsAreOnTime(@ForAll @LongRange(min = 0, max = 400_000) long spike) {
        SpinLead lead = new SpinLead(100_000, 500_000);
        lead.woke(spike);
        for (int i = 0; i < 2_000; i++) {
            lead.woke(0);
        }
        assertEquals(SpinLead.MIN_NANOS, lead.nanos(), "after 2,000 on-time wake-ups only the floor is left");
    }
}
