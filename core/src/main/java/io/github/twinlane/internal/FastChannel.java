package io.github.twinlane.internal;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.ExceptionHandler;
import io.github.twinlane.ChannelConfig;
import io.github.twinlane.Lane;
import io.github.twinlane.cycle.IdleStrategy;
import io.github.twinlane.cycle.DutyCycleRunner;
import io.github.twinlane.spi.DeviceDriver;
import io.github.twinlane.spi.ReadMode;
import java.util.ArrayList;
import java.util.List;

/**
 * A channel on the parallel lane: three dedicated platform threads. The reader reads the device
 * straight into inbound ring slots; the dispatcher (a Disruptor {@link BatchEventProcessor}) runs
 * the handlers; the writer (another processor) takes commands off the outbound ring and writes
 * them. Nothing is allocated per message.
 *
 * @param <C> command type
 * @param <T> data type
 */
public final class FastChannel<C, T> extends ChannelCore<C, T> {
    private final BatchEventProcessor<Pipe.Slot<T>> dispatcher;
    private final BatchEventProcessor<Pipe.Slot<C>> writer;
    private final List<Thread> own = new ArrayList<>(3);
    private final IdleStrategy pollingIdle;
    private volatile DutyCycleRunner reader;
    private volatile Thread dispatch;
    private volatile Thread write;

    /**
     * Creates the channel; {@link #start()} starts its threads.
     *
     * @param config the configuration
     * @param driver the device
     * @param threads the thread source
     * @param closeTimeoutNanos the close bound
     * @param supervisor checks watchdogs and stale inputs
     * @param pollingIdle how the reader waits between empty polls of a driver that never blocks
     */
    public FastChannel(ChannelConfig config, DeviceDriver<C, T> driver, LaneThreads threads, long closeTimeoutNanos,
                       Supervisor supervisor, IdleStrategy pollingIdle) {
        super(config, driver, threads, closeTimeoutNanos, true, supervisor);
        this.pollingIdle = pollingIdle;
        this.dispatcher = processor(inbound);
        this.writer = processor(outbound);
    }

    private <E> BatchEventProcessor<Pipe.Slot<E>> processor(Pipe<E> pipe) {
        BatchEventProcessor<Pipe.Slot<E>> p = new BatchEventProcessorBuilder()
                .build(pipe.ring(), pipe.ring().newBarrier(), new PipeHandler<>(pipe));
        p.setExceptionHandler(new LoggingExceptionHandler<>(name()));
        pipe.ring().addGatingSequences(p.getSequence());
        return p;
    }

    /** Starts the dispatcher, writer and reader threads; the reader opens the device. */
    @Override
    public void start() {
        dispatch = threads.start(Lane.FAST, name(), "dispatch", dispatcher);
        write = threads.start(Lane.FAST, name(), "writer", writer);
        own.add(dispatch);
        own.add(write);
        boolean polling = driver.readMode() == ReadMode.NON_BLOCKING;
        reader = threads.run(Lane.FAST, name(), "reader", () -> closing ? 0 : pollDevice(System.nanoTime()),
                readerIdle(polling ? pollingIdle : null));
    }

    @Override
    protected List<Thread> stopThreads(long deadlineNanos) {
        dispatcher.halt();
        writer.halt();
        DutyCycleRunner r = reader;
        if (r != null) {
            r.stop();
            r.interrupt();
            own.add(r.thread());
        }
        for (Thread t : new Thread[] {dispatch, write}) {
            if (t != null) {
                t.interrupt(); // a handler or a write blocked in sleep or I/O must not outlive close
            }
        }
        return threads.join(own, deadlineNanos);
    }

    /** Logs and keeps going: a Disruptor processor must never die of an exception. */
    static final class LoggingExceptionHandler<E> implements ExceptionHandler<E> {
        private final String channel;

        LoggingExceptionHandler(String channel) {
            this.channel = channel;
        }

        @Override
        public void handleEventException(Throwable ex, long sequence, E event) {
            LOG.error("Channel '{}': unexpected exception at sequence {}; the lane keeps running", channel,
                    sequence, ex);
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            LOG.error("Channel '{}': exception on lane start", channel, ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            LOG.error("Channel '{}': exception on lane shutdown", channel, ex);
        }
    }
}
