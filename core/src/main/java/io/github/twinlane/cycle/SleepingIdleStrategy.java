package io.github.twinlane.cycle;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Parks for a fixed time whenever there is no work: almost no CPU, and a wake-up latency of up to
 * the park plus the OS timer's slack, unless a producer wakes the thread first
 * ({@link DutyCycleRunner#wake()}).
 */
public final class SleepingIdleStrategy implements IdleStrategy {
    private final long parkNanos;

    /**
     * A strategy that parks for {@code park} each time.
     *
     * @param park from 1 µs to 1 s
     * @throws IllegalArgumentException naming the range and the value given
     */
    public SleepingIdleStrategy(Duration park) {
        if (park == null || park.toNanos() < 1_000 || park.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("park must be from 1 µs to 1 s, was "
                    + io.github.twinlane.Durations.human(park));
        }
        this.parkNanos = park.toNanos();
    }

    @Override
    public void idle() {
        LockSupport.parkNanos(parkNanos);
    }

    @Override
    public void reset() {
    }
}
