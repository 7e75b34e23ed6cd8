package io.github.twinlane.internal;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;

/**
 * Runs a pipe's consumer step inside a Disruptor {@code BatchEventProcessor}, with the processor's
 * sequence so the pipe can release a slot before it checks its overflow.
 *
 * @param <E> the message type
 */
final class PipeHandler<E> implements EventHandler<Pipe.Slot<E>> {
    private final Pipe<E> pipe;
    private Sequence sequence;

    PipeHandler(Pipe<E> pipe) {
        this.pipe = pipe;
    }

    @Override
    public void setSequenceCallback(Sequence sequenceCallback) {
        this.sequence = sequenceCallback;
    }

    @Override
    public void onEvent(Pipe.Slot<E> slot, long seq, boolean endOfBatch) {
        pipe.consume(slot, seq, endOfBatch, sequence);
    }
}
