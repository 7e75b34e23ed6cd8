package io.github.twinlane;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.test.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Stateful properties of one whole channel, from outside: random sequences of sends (valid, invalid,
 * from several threads at once), slow and stuck writes, emergency stops and releases, a loop that stops
 * feeding its watchdog, unplug and replug, and close, against a scripted device. After every step:
 * <ul>
 *   <li>once quiet, every command is accounted for: sent = written + failed + dropped;</li>
 *   <li>no ordinary command sent before a stop (an emergency stop, a watchdog's or close's safe command)
 *       is written after it, even after a release;</li>
 *   <li>an armed watchdog that nobody feeds trips: its safe command is written while the device is open;</li>
 *   <li>{@code emergencyStop} and {@code close} return (a hang fails the property), and emergencyStop's
 *       true means the device took the stop.</li>
 * </ul>
 * Ordinary commands are positive sequence numbers; emergency stops are -2, -3, ...; each arming of the
 * watchdog gets a safe command of its own from -1,000,000 down, and the commands accepted before it.
 */
class ChannelSafetyProperties {
    private static final Duration FEED = Duration.ofMillis(25);
    private static final Duration WRITE_TIMEOUT = Duration.ofMillis(150);
    private final List<TwinlaneRuntime> runtimes = new ArrayList<>();

    @AfterTry
    void closeRuntimes() {
        for (TwinlaneRuntime r : runtimes) {
            r.close();
        }
        runtimes.clear();
    }

    /** The channel under test and what the test knows it sent. */
    final class World {
        final TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).closeTimeout(Duration.ofSeconds(2)).build();
        final ScriptedDriver device = new ScriptedDriver();
        final DeviceChannel<LongBox, LongBox> ch;
        final AtomicLong nextSeq = new AtomicLong(1);
        /** Sequence numbers whose send returned ACCEPTED. */
        final BitSet accepted = new BitSet();
        /** For each stop value, the commands accepted before it was asked for. */
        final Map<Long, BitSet> sentBefore = new ConcurrentHashMap<>();
        long nextStop = -2;
        long nextSafe = -1_000_000;
        volatile boolean latched;
        boolean closed;
        boolean armed;

        World() {
            runtimes.add(rt);
            ch = rt.open(ChannelConfig.fast("motor").commandPolicy(BackpressurePolicy.DROP_NEWEST).capacity(64)
                    .writeTimeout(WRITE_TIMEOUT).backoff(new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)))
                    .build(), device);
            Await.until("open", () -> ch.state() == ChannelState.OPEN);
        }

        void send(int n) {
            LongBox c = new LongBox();
            for (int i = 0; i < n; i++) {
                long seq = nextSeq.getAndIncrement();
                c.value = seq;
                if (ch.send(c) == SendResult.ACCEPTED) {
                    synchronized (accepted) {
                        accepted.set((int) seq);
                    }
                }
            }
        }

        BitSet acceptedSoFar() {
            synchronized (accepted) {
                return (BitSet) accepted.clone();
            }
        }

        /** Arms (again) with a safe command of its own, so each stop in the device's log knows what came before it. */
        long arm() {
            long v = nextSafe--;
            sentBefore.put(v, acceptedSoFar());
            ch.watchdog(FEED, c -> c.value = v);
            armed = true;
            return v;
        }

        boolean open() {
            return ch.state() == ChannelState.OPEN;
        }

        @Override
        public String toString() {
            return ch.stats() + " written " + device.written;
        }
    }

    @Property(tries = 40)
    void shouldKeepEverySafetyPromiseOverAnySequenceOfActions(@ForAll("chains") ActionChain<World> chain) {
        chain.withInvariant("accounting, order", ChannelSafetyProperties::invariants).run();
    }

    @Provide
    Arbitrary<ActionChain<World>> chains() {
        return ActionChain.<World>startWith(World::new)
                .withAction(4, new Send())
                .withAction(new SendInvalid())
                .withAction(2, new ConcurrentSendsAndStop())
                .withAction(new SlowWrites())
                .withAction(new StuckWrite())
                .withAction(2, new EmergencyStop())
                .withAction(2, new Release())
                .withAction(new ArmWatchdog())
                .withAction(2, new Starve())
                .withAction(new UnplugReplug())
                .withAction(new Close())
                .withMaxTransformations(14);
    }

    static void invariants(World w) {
        ChannelStats s = w.ch.stats();
        if (w.ch.state() != ChannelState.FAILED || w.closed) {
            Await.until("quiet: every command accounted for", () -> {
                ChannelStats q = w.ch.stats();
                return q.commandsSent() == q.commandsWritten() + q.commandsFailed() + q.commandsDropped();
            }, w::toString);
        }
        List<Long> written = List.copyOf(w.device.written);
        for (int i = 0; i < written.size(); i++) {
            BitSet before = w.sentBefore.get(written.get(i));
            if (before == null) {
                continue;
            }
            for (int j = i + 1; j < written.size(); j++) {
                long v = written.get(j);
                assertTrue(v < 0 || !before.get((int) v), "command " + v + " was sent before stop " + written.get(i)
                        + " and written after it: " + written);
            }
        }
        assertTrue(s.commandsSent() >= 0);
    }

    private abstract static class Step implements Action.Independent<World> {
        @Override
        public boolean precondition(World w) {
            return !w.closed;
        }
    }

    static final class Send extends Step {
        @Override
        public boolean precondition(World w) {
            return true; // after close too: refused and counted
        }

        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.integers().between(1, 100).map(n -> Transformer.mutate("send " + n, w -> w.send(n)));
        }
    }

    static final class SendInvalid extends Step {
        @Override
        public boolean precondition(World w) {
            return true;
        }

        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.just(Transformer.mutate("send null", w -> assertTrue(w.ch.send(null) != SendResult.ACCEPTED)));
        }
    }

    static final class ConcurrentSendsAndStop extends Step {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.integers().between(0, 3).map(k -> Transformer.mutate("3 threads send 200 each, "
                    + (k == 0 ? "no stop" : "an emergency stop after " + k + " ms"), w -> {
                        List<Thread> ts = new ArrayList<>();
                        for (int t = 0; t < 3; t++) {
                            Thread th = new Thread(() -> w.send(200));
                            ts.add(th);
                            th.start();
                        }
                        if (k > 0) {
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(k));
                            stop(w);
                        }
                        for (Thread th : ts) {
                            try {
                                th.join();
                            } catch (InterruptedException e) {
                                throw new AssertionError(e);
                            }
                        }
                    }));
        }
    }

    static void stop(World w) {
        long value = w.nextStop--;
        w.sentBefore.put(value, w.acceptedSoFar());
        w.latched = true;
        boolean reached = assertTimeoutPreemptively(Await.HANG, () -> w.ch.emergencyStop(new LongBox(value)),
                "emergencyStop returned");
        if (reached) {
            assertTrue(w.device.written.contains(value), "true means the device took the stop: " + w);
        }
    }

    static final class SlowWrites extends Step {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.of(0, 1, 5).map(ms -> Transformer.mutate("writes take " + ms + " ms",
                    w -> w.device.writeNanos = TimeUnit.MILLISECONDS.toNanos(ms)));
        }
    }

    static final class StuckWrite extends Step {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.of(50, 400).map(ms -> Transformer.mutate("a write hangs for " + ms + " ms", w -> {
                w.device.hang = true;
                w.send(3);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ms)); // longer than writeTimeout: the channel fails
                w.device.release();
            }));
        }
    }

    static final class EmergencyStop extends Step {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.just(Transformer.mutate("emergency stop", ChannelSafetyProperties::stop));
        }
    }

    static final class Release extends Step {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.just(Transformer.mutate("release", w -> {
                w.ch.releaseEmergencyStop();
                w.latched = false;
            }));
        }
    }

    static final class ArmWatchdog extends Step {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.just(Transformer.mutate("arm the watchdog", World::arm));
        }
    }

    static final class Starve extends Step {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.just(Transformer.mutate("the loop stops feeding its armed watchdog", w -> {
                w.arm();
                LockSupport.parkNanos(FEED.toNanos() * 2);
                if (!w.latched) {
                    // an unfed watchdog leaves the device on a safe command: this arming's, or an earlier one's
                    // if nothing reached the device since that one tripped (arming again is not a feed)
                    Await.until("the watchdog trips and the device is left on a safe command", () -> !w.open()
                            || w.device.last() != null && w.device.last() <= -1_000_000, w::toString);
                }
            }));
        }
    }

    static final class UnplugReplug extends Step {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.just(Transformer.mutate("unplug, send, replug", w -> {
                w.device.unplugged = true;
                w.device.close(); // the reader's next read fails: the channel reconnects
                w.send(5);
                w.device.unplugged = false;
                if (w.ch.state() != ChannelState.FAILED) {
                    Await.until("open again", w::open, w::toString);
                }
            }));
        }
    }

    static final class Close extends Step {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.just(Transformer.mutate("close", w -> {
                if (w.armed) {
                    w.arm(); // its safe command is written at close
                }
                assertTimeoutPreemptively(Await.HANG, w.ch::close, "close returned");
                w.closed = true;
            }));
        }
    }
}
