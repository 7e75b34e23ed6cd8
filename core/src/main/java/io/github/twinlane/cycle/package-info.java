/**
 * The duty-cycle model every twinlane thread runs on (Agrona's, in twinlane's words): a
 * {@link io.github.twinlane.cycle.DutyCycle} does bounded work and says how much, one
 * {@link io.github.twinlane.cycle.DutyCycleRunner} owns the thread (start, idling, errors, a
 * deadline-bounded stop), and an {@link io.github.twinlane.cycle.IdleStrategy} decides how the thread
 * waits when there is no work: busy-spin, yield, back off, or sleep.
 */
package io.github.twinlane.cycle;
