package io.github.twinlane.internal;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import io.github.twinlane.WaitMode;
import io.github.twinlane.cycle.IdleStrategy;

/**
 * How a pipe's consumer duty cycle waits for the producer: on the ring's own Disruptor wait strategy
 * (the channel's {@link WaitMode}), until the next value is published. So a fast channel's
 * dispatcher and writer run on {@link io.github.twinlane.cycle.DutyCycleRunner}s and still wake the
 * way a Disruptor processor does: a {@code BLOCKING} consumer sleeps on the ring's condition and is
 * signalled by the publish, a {@code BUSY_SPIN} one spins on the cursor.
 *
 * <p>{@link #alert()} makes a wait return at once, and every later one too; call it after
 * stopping the runner (an unpark does not end a Disruptor wait).
 *
 * <p>Threading: {@link #idle()} on the consumer's thread only; {@link #alert()} from any thread.
 */
final class RingWaitIdle implements IdleStrategy {
    private final SequenceBarrier barrier;
    private final Sequence consumed;

    /**
     * @param ring the ring the consumer polls
     * @param consumed the consumer's own sequence (its poller's)
     */
    RingWaitIdle(RingBuffer<?> ring, Sequence consumed) {
        this.barrier = ring.newBarrier();
        this.consumed = consumed;
    }

    /**
     * Waits for the next value whatever the last cycle did: after a poll that took values, the
     * barrier returns at once if more were published meanwhile, so the consumer never spends an
     * empty poll before it waits (a Disruptor processor's loop: process what is available, wait).
     */
    @Override
    public void idle(int workCount) {
        idle();
    }

    @Override
    public void idle() {
        try {
            barrier.waitFor(consumed.get() + 1);
        } catch (AlertException | TimeoutException e) {
            // alerted: the runner is stopping and checks its flag next
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the runner clears it after this cycle
        }
    }

    @Override
    public void reset() {
    }

    /** Ends the current wait and every later one. Any thread. */
    void alert() {
        barrier.alert();
    }
}
