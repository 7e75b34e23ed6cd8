package io.github.twinlane.bench;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.ChannelConfig;
import io.github.twinlane.CpuPlan;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.WaitMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Scenario 1: one hand-off from a sending thread to a consuming thread, paced at 10,000 messages a
 * second, latency from the send to the consumer, corrected for coordinated omission.
 */
final class HandoffScenario {
    private static final long PERIOD = 100_000;

    /** One contender: something that carries a send time to another thread. */
    interface Contender extends AutoCloseable {
        void send(long sentNanos);

        @Override
        void close();
    }

    /** Records on the consumer thread; read after the contender closed. */
    static final class Sink {
        final Histogram h = new Histogram(10_000_000_000L, 3);
        volatile long from = Long.MAX_VALUE;

        void record(long sent) {
            if (sent >= from) {
                h.recordValueWithExpectedInterval(Math.max(0, System.nanoTime() - sent), PERIOD);
            }
        }
    }

    static Contender channel(Sink sink, WaitMode mode) {
        TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build();
        DeviceChannel<Stamp, Stamp> ch = rt.open(ChannelConfig.fast("handoff").capacity(1024)
                .commandPolicy(BackpressurePolicy.BLOCK).commandWaitMode(mode).build(), new LoopbackDriver(sink::record));
        while (ch.state() != io.github.twinlane.ChannelState.OPEN) {
            Thread.onSpinWait();
        }
        Stamp s = new Stamp();
        return new Contender() {
            @Override
            public void send(long sentNanos) {
                s.sentNanos = sentNanos;
                ch.send(s);
            }

            @Override
            public void close() {
                rt.close();
            }
        };
    }

    static Contender disruptor(Sink sink, WaitMode mode) {
        RingBuffer<Stamp> ring = RingBuffer.createMultiProducer(Stamp::new, 1024,
                mode == WaitMode.BUSY_SPIN ? new BusySpinWaitStrategy() : new BlockingWaitStrategy());
        BatchEventProcessor<Stamp> p = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(),
                (e, seq, end) -> sink.record(e.sentNanos));
        ring.addGatingSequences(p.getSequence());
        Thread t = new Thread(p, "raw-disruptor");
        t.start();
        return new Contender() {
            @Override
            public void send(long sentNanos) {
                long seq = ring.next();
                ring.get(seq).sentNanos = sentNanos;
                ring.publish(seq);
            }

            @Override
            public void close() {
                p.halt();
                join(t);
            }
        };
    }

    static Contender queue(Sink sink) {
        ArrayBlockingQueue<Long> q = new ArrayBlockingQueue<>(1024);
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    sink.record(q.take());
                }
            } catch (InterruptedException e) {
                // stop
            }
        }, "abq-consumer");
        t.start();
        return new Contender() {
            @Override
            public void send(long sentNanos) {
                try {
                    q.put(sentNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void close() {
                t.interrupt();
                join(t);
            }
        };
    }

    static Contender executor(Sink sink) {
        ExecutorService ex = Executors.newSingleThreadExecutor();
        return new Contender() {
            @Override
            public void send(long sentNanos) {
                ex.execute(() -> sink.record(sentNanos));
            }

            @Override
            public void close() {
                ex.shutdown();
                try {
                    ex.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    static void join(Thread t) {
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends at the paced rate for warm-up plus one trial; returns the measured histogram. */
    static Histogram trial(Settings s, java.util.function.Function<Sink, Contender> make) {
        Sink sink = new Sink();
        try (Contender c = make.apply(sink)) {
            long start = System.nanoTime();
            long measureFrom = start + s.warmup().toNanos();
            long end = measureFrom + s.trial().toNanos();
            sink.from = measureFrom;
            long next = start;
            while (next - end < 0) {
                long now = System.nanoTime();
                if (next - now > 0) {
                    LockSupport.parkNanos(next - now); // never spin the producer: at most one spinning thread
                }
                c.send(System.nanoTime());
                next += PERIOD;
                long lag = System.nanoTime() - next;
                if (lag > PERIOD) {
                    next += (lag / PERIOD) * PERIOD; // the producer slept late: do not burst
                }
            }
            LockSupport.parkNanos(20_000_000L);
        }
        return sink.h;
    }

    static void run(Settings s, Report r) throws Exception {
        r.section("1. Fast-lane hand-off latency");
        r.para("One hand-off from a sending thread to a consuming thread (the channel's command path: `send` to the "
                + "device writer), paced at 10,000 messages/s by a parked (not spinning) producer; latency from just "
                + "before the send to the consumer, recorded with HdrHistogram's expected-interval correction. "
                + "CPU plan off for every contender so that only the hand-off differs. " + s.trials() + " trials of "
                + s.trial().toMillis() + " ms after " + s.warmup().toMillis() + " ms warm-up, contenders interleaved "
                + "trial by trial; cells are median (min–max); ratios are taken per trial pair, then the median.");
        Map<String, java.util.function.Function<Sink, Contender>> contenders = new LinkedHashMap<>();
        contenders.put("DeviceChannel, BLOCKING", k -> channel(k, WaitMode.BLOCKING));
        contenders.put("raw Disruptor, BLOCKING", k -> disruptor(k, WaitMode.BLOCKING));
        contenders.put("ArrayBlockingQueue", HandoffScenario::queue);
        contenders.put("ExecutorService task per message", HandoffScenario::executor);
        contenders.put("DeviceChannel, BUSY_SPIN", k -> channel(k, WaitMode.BUSY_SPIN));
        contenders.put("raw Disruptor, BUSY_SPIN", k -> disruptor(k, WaitMode.BUSY_SPIN));
        Map<String, Trials[]> results = new LinkedHashMap<>();
        Map<String, Histogram> merged = new LinkedHashMap<>();
        for (String name : contenders.keySet()) {
            results.put(name, new Trials[] {new Trials(), new Trials(), new Trials(), new Trials()});
            merged.put(name, new Histogram(10_000_000_000L, 3));
        }
        // interleaved: trial i of every contender runs before trial i + 1 of any, so a noisy minute of the
        // shared machine lands on all of them and the per-pair ratios cancel it
        for (int i = 0; i < s.trials(); i++) {
            for (Map.Entry<String, java.util.function.Function<Sink, Contender>> e : contenders.entrySet()) {
                BenchmarkSuite.progress("handoff", "trial " + (i + 1) + "/" + s.trials() + ": " + e.getKey());
                Histogram h = trial(s, e.getValue());
                Trials[] t = results.get(e.getKey());
                t[0].add(h.getValueAtPercentile(50));
                t[1].add(h.getValueAtPercentile(99));
                t[2].add(h.getValueAtPercentile(99.9));
                t[3].add(h.getMaxValue());
                merged.get(e.getKey()).add(h);
            }
        }
        Map<String, double[][]> curves = new LinkedHashMap<>();
        for (Map.Entry<String, Histogram> e : merged.entrySet()) {
            List<double[]> pts = new ArrayList<>();
            for (double p : new double[] {0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99}) {
                pts.add(new double[] {1 / (1 - p / 100), e.getValue().getValueAtPercentile(p) / 1000.0});
            }
            curves.put(e.getKey(), Plots.xy(pts));
        }
        List<List<String>> rows = new ArrayList<>();
        Trials[] disruptorBlocking = results.get("raw Disruptor, BLOCKING");
        for (Map.Entry<String, Trials[]> e : results.entrySet()) {
            Trials[] t = e.getValue();
            rows.add(List.of(e.getKey(), Report.us(t[0]), Report.us(t[1]), Report.us(t[2]), Report.us(t[3]),
                    Report.ratio(Trials.medianRatio(t[0], disruptorBlocking[0]), 1),
                    Report.ratio(Trials.medianRatio(t[1], disruptorBlocking[1]), 1)));
        }
        r.table(List.of("contender", "p50", "p99", "p99.9", "max", "p50 / raw Disruptor BLOCKING (median of per-trial ratios)",
                "p99 / raw Disruptor BLOCKING (median of per-trial ratios)"), rows);
        Trials[] ch = results.get("DeviceChannel, BLOCKING");
        Trials[] chSpin = results.get("DeviceChannel, BUSY_SPIN");
        Trials[] dSpin = results.get("raw Disruptor, BUSY_SPIN");
        Trials[] abq = results.get("ArrayBlockingQueue");
        r.target("handoff", "DeviceChannel p50 / raw Disruptor p50 (BLOCKING)", Trials.medianRatio(ch[0], disruptorBlocking[0]), 1.2, true);
        r.target("handoff", "DeviceChannel p99 / raw Disruptor p99 (BLOCKING)", Trials.medianRatio(ch[1], disruptorBlocking[1]), 1.5, true);
        r.target("handoff", "DeviceChannel p50 / raw Disruptor p50 (BUSY_SPIN)", Trials.medianRatio(chSpin[0], dSpin[0]), 1.2, true);
        r.target("handoff", "DeviceChannel p99 / raw Disruptor p99 (BUSY_SPIN)", Trials.medianRatio(chSpin[1], dSpin[1]), 1.5, true);
        r.target("handoff", "ArrayBlockingQueue p99 / DeviceChannel p99 (BLOCKING)", Trials.medianRatio(abq[1], ch[1]), 5, false);
        r.target("handoff", "ArrayBlockingQueue p99 / DeviceChannel p99 (DeviceChannel BUSY_SPIN)", Trials.medianRatio(abq[1], chSpin[1]), 5, false);
        Path png = s.out().resolve("handoff-latency.png");
        Plots.lines(png, "Hand-off latency by percentile (all trials merged)", "percentile as 1/(1-p): 2 = p50, 100 = p99, 1000 = p99.9",
                "latency (µs)", true, true, curves);
        r.image(png.getFileName().toString(), "hand-off latency percentiles");
    }
}
