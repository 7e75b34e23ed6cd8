package io.github.twinlane;

/**
 * A periodic loop's record.
 *
 * @param name the loop
 * @param periodNanos its period
 * @param cycles cycles run
 * @param missed deadlines skipped because a cycle started a whole period late or more
 * @param errors cycles whose task threw
 * @param lateness start lateness against each deadline, corrected for coordinated omission
 */
public record LoopStats(String name, long periodNanos, long cycles, long missed, long errors,
                        LatencySummary lateness) {
    @Override
    public String toString() {
        return name + " [period " + LatencySummary.human(periodNanos) + "] cycles " + cycles + " missed "
                + missed + " errors " + errors + " | lateness " + lateness;
    }
}
