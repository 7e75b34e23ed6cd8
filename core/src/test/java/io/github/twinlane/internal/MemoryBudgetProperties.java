package io.github.twinlane.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * The memory budget over any sequence of reservations and releases, some from several threads at once:
 * what it holds is exactly what the open reservations took; it never holds more than its budget, the
 * direct limit (counting what the process already uses) or half the heap; a refused reservation takes
 * nothing; a reservation given back twice counts once.
 */
class MemoryBudgetProperties {
    private static final long BUDGET = 1_000_000;
    private static final long MAX_HEAP = 800_000; // reservations may take 400,000 of it
    private static final long DIRECT_LIMIT = 700_000;

    /** The budget, what the "process" uses of direct memory besides it, and the reservations open now. */
    static final class World {
        final AtomicLong otherDirect = new AtomicLong();
        final List<MemoryBudget.Reservation> open = new ArrayList<>();
        final MemoryBudget budget;

        World() {
            // the JVM's count of direct memory in use: what others hold plus what the budget's owners allocated
            // (read under the budget's own lock, as the JVM's count needs none of ours)
            MemoryBudget[] self = new MemoryBudget[1];
            budget = new MemoryBudget(BUDGET, MAX_HEAP, () -> DIRECT_LIMIT, () -> otherDirect.get() + self[0].directBytes());
            self[0] = budget;
        }

        long heldDirect() {
            synchronized (open) {
                return open.stream().mapToLong(MemoryBudget.Reservation::directBytes).sum();
            }
        }

        long heldHeap() {
            synchronized (open) {
                return open.stream().mapToLong(MemoryBudget.Reservation::heapBytes).sum();
            }
        }

        void reserve(long heap, long direct) {
            try {
                MemoryBudget.Reservation r = budget.reserve("channel 'x'", "rings", heap, direct, "lower it");
                synchronized (open) {
                    open.add(r);
                }
            } catch (IllegalStateException refused) {
                assertTrue(refused.getMessage().startsWith("channel 'x' would reserve "), refused.getMessage());
            }
        }
    }

    @Property(tries = 200)
    void shouldHoldExactlyWhatIsOpenAndNeverPassALimit(@ForAll("chains") ActionChain<World> chain) {
        chain.withInvariant("accounting", MemoryBudgetProperties::invariants).run();
    }

    private static void invariants(World w) {
        assertEquals(w.heldHeap(), w.budget.heapBytes(), "heap held = the open reservations'");
        assertEquals(w.heldDirect(), w.budget.directBytes(), "direct held = the open reservations'");
        assertTrue(w.budget.heapBytes() + w.budget.directBytes() <= BUDGET, "within the budget");
        assertTrue(w.budget.heapBytes() <= MAX_HEAP / 2, "within half the heap");
        assertTrue(w.budget.directBytes() <= DIRECT_LIMIT, "within the direct limit");
    }

    @Provide
    Arbitrary<ActionChain<World>> chains() {
        return ActionChain.<World>startWith(World::new)
                .withAction(4, new Reserve())
                .withAction(2, new Release())
                .withAction(new ReleaseTwice())
                .withAction(new OthersAllocate())
                .withAction(2, new ConcurrentReserveAndRelease())
                .withMaxTransformations(40);
    }

    private static final class Reserve implements Action.Independent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.longs().between(0, 300_000).tuple2().map(t -> Transformer.mutate(
                    "reserve heap " + t.get1() + " direct " + t.get2(), w -> w.reserve(t.get1(), t.get2())));
        }
    }

    private static final class Release implements Action.Independent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.integers().between(0, 1000).map(i -> Transformer.mutate("release #" + i, w -> {
                synchronized (w.open) {
                    if (!w.open.isEmpty()) {
                        w.open.remove(i % w.open.size()).close();
                    }
                }
            }));
        }
    }

    private static final class ReleaseTwice implements Action.Independent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.just(Transformer.mutate("release one twice", w -> {
                synchronized (w.open) {
                    if (!w.open.isEmpty()) {
                        MemoryBudget.Reservation r = w.open.remove(0);
                        r.close();
                        r.close();
                        assertEquals(0, r.heapBytes() + r.directBytes(), "given back: holds nothing");
                    }
                }
            }));
        }
    }

    private static final class OthersAllocate implements Action.Independent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.longs().between(0, 400_000).map(n -> Transformer.mutate("others hold " + n + " direct",
                    w -> w.otherDirect.set(n)));
        }
    }

    /** Four threads reserve and release at once; afterwards the counts still add up. */
    private static final class ConcurrentReserveAndRelease implements Action.Independent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.longs().between(1, 100_000).list().ofSize(8).map(sizes -> Transformer.mutate(
                    "4 threads reserve " + sizes + " and release half", w -> {
                        ExecutorService pool = Executors.newFixedThreadPool(4);
                        CountDownLatch go = new CountDownLatch(1);
                        try {
                            List<Future<?>> done = new ArrayList<>();
                            for (int t = 0; t < 4; t++) {
                                long heap = sizes.get(2 * t);
                                long direct = sizes.get(2 * t + 1);
                                int thread = t;
                                done.add(pool.submit(() -> {
                                    go.await();
                                    w.reserve(heap, direct);
                                    if (thread % 2 == 0) {
                                        synchronized (w.open) {
                                            if (!w.open.isEmpty()) {
                                                w.open.remove(w.open.size() - 1).close();
                                            }
                                        }
                                    }
                                    return null;
                                }));
                            }
                            go.countDown();
                            for (Future<?> f : done) {
                                f.get(60, TimeUnit.SECONDS); // a hang bound
                            }
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        } finally {
                            pool.shutdownNow();
                        }
                    }));
        }
    }
}
