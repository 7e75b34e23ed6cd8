package io.github.twinlane.cycle;

/**
 * A unit of work that a {@link DutyCycleRunner} calls over and over on one thread: read a device,
 * run handlers, write commands, check watchdogs. Agrona's {@code Agent} contract, in twinlane's
 * words.
 *
 * <p>{@link #doWork()} does a bounded amount of work and returns how much it did; the runner idles
 * (through its {@link IdleStrategy}) when it returns 0, and calls again at once otherwise. It must
 * not block for long: a duty cycle that has to wait on a device does so with a timeout, so that
 * stopping the runner is never held up longer than that.
 *
 * <p>Threading: every method is called on the runner's one thread, {@link #onStart()} first,
 * {@link #onClose()} last (also after an exception from {@code onStart}). An exception from
 * {@code doWork} is logged and counted by the runner and the cycle goes on; it never ends the thread.
 */
public interface DutyCycle {

    /**
     * Does one bounded batch of work.
     *
     * @return how much was done (messages, polls that found something); 0 when there was nothing
     * @throws Exception logged and counted by the runner, which then idles and calls again
     */
    int doWork() throws Exception;

    /** Called once on the runner's thread before the first {@link #doWork()}. */
    default void onStart() {
    }

    /** Called once on the runner's thread after the last {@link #doWork()}, when the runner stops. */
    default void onClose() {
    }
}
