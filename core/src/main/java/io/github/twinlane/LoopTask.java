package io.github.twinlane;

/**
 * The body of a periodic loop: one control cycle.
 *
 * <p>Threading: runs on the loop's own fast-lane thread, never concurrently with itself. It should
 * not allocate or block: a cycle longer than the period costs the next deadlines.
 */
@FunctionalInterface
public interface LoopTask {
    /**
     * Runs one cycle.
     *
     * @param cycle the cycle's number, from 0; skipped (missed) cycles' numbers are not used
     * @throws Exception anything: logged, counted, and the loop keeps its schedule
     */
    void run(long cycle) throws Exception;
}
