package io.github.twinlane.bench.jmh;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** The baseline: the same ring a fast channel uses (multi-producer, blocking wait), published to directly. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DisruptorThroughputBench {
    /** A ring slot. */
    public static final class Event {
        long value;
    }

    private RingBuffer<Event> ring;
    private BatchEventProcessor<Event> processor;
    private Thread thread;
    private long sink;
    private long value;

    /** Starts the consumer. */
    @Setup(Level.Trial)
    public void open() {
        ring = RingBuffer.createMultiProducer(Event::new, 1024, new BlockingWaitStrategy());
        processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), (e, s, end) -> sink += e.value);
        ring.addGatingSequences(processor.getSequence());
        thread = new Thread(processor, "raw-disruptor-consumer");
        thread.start();
    }

    /** Publishes one event. */
    @Benchmark
    public void publish() {
        long seq = ring.next();
        ring.get(seq).value = ++value;
        ring.publish(seq);
    }

    /** Stops the consumer. */
    @TearDown(Level.Trial)
    public void close() throws InterruptedException {
        processor.halt();
        thread.join(5000);
    }
}
