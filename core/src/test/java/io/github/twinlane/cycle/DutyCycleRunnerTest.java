package io.github.twinlane.cycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.test.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The one runner every twinlane thread loops on: order of calls, errors, idling, waking, stopping. */
class DutyCycleRunnerTest {
    private static final Function<Runnable, Thread> STARTER = body -> {
        Thread t = new Thread(body, "cycle-under-test");
        t.setDaemon(true);
        t.start();
        return t;
    };

    private static long deadline() {
        return System.nanoTime() + Await.HANG.toNanos();
    }

    @Test
    void shouldCallOnStartThenDoWorkThenOnCloseOnOneThread() {
        List<String> calls = new CopyOnWriteArrayList<>();
        AtomicInteger work = new AtomicInteger();
        DutyCycleRunner r = DutyCycleRunner.start("order", new DutyCycle() {
            @Override
            public void onStart() {
                calls.add("start " + Thread.currentThread().getName());
            }

            @Override
            public int doWork() {
                work.incrementAndGet();
                return 0;
            }

            @Override
            public void onClose() {
                calls.add("close " + Thread.currentThread().getName());
            }
        }, new SleepingIdleStrategy(Duration.ofMillis(1)), STARTER);
        Await.until("a few cycles", () -> work.get() > 3);
        r.stop();
        assertTrue(r.join(deadline()), "stopped");
        assertEquals(List.of("start cycle-under-test", "close cycle-under-test"), calls);
        assertFalse(r.isRunning());
    }

    @Test
    void shouldCountEveryExceptionAndKeepCalling() {
        AtomicInteger calls = new AtomicInteger();
        DutyCycleRunner r = DutyCycleRunner.start("thrower", () -> {
            if (calls.incrementAndGet() % 2 == 0) {
                throw new IllegalStateException("boom " + calls.get());
            }
            return 0;
        }, new SleepingIdleStrategy(Duration.ofMillis(1)), STARTER);
        Await.until("ten exceptions", () -> r.errors() >= 10, r::toString);
        assertTrue(r.thread().isAlive(), "an exception never ends the thread");
        r.stop();
        assertTrue(r.join(deadline()));
        assertEquals(calls.get() / 2, r.errors(), "every exception counted once");
    }

    @Test
    void shouldEndAParkWhenWokenAndStopAParkedCycle() {
        AtomicInteger work = new AtomicInteger();
        AtomicBoolean pending = new AtomicBoolean();
        DutyCycleRunner r = DutyCycleRunner.start("sleeper", () -> {
            if (pending.getAndSet(false)) {
                work.incrementAndGet();
                return 1;
            }
            return 0;
        }, new SleepingIdleStrategy(Duration.ofSeconds(1)), STARTER);
        for (int i = 1; i <= 5; i++) {
            pending.set(true);
            r.wake(); // a one-second park ends at once
            int expected = i;
            Await.until("work " + i + " done", () -> work.get() == expected, r::toString);
        }
        r.stop();
        assertTrue(r.join(deadline()), "stop wakes the park");
    }

    @Test
    void shouldReturnFromABlockedCycleWhenInterruptedAfterStop() {
        DutyCycleRunner r = DutyCycleRunner.start("blocked", () -> {
            Thread.sleep(Long.MAX_VALUE / 2_000_000);
            return 0;
        }, new BusySpinIdleStrategy(), STARTER);
        Await.until("the cycle is sleeping", () -> r.thread().getState() == Thread.State.TIMED_WAITING);
        r.stop();
        r.interrupt();
        assertTrue(r.join(deadline()));
        assertEquals(0, r.errors(), "the interrupt that stopped it is not an error");
    }

    @Test
    void shouldClearAStrayInterruptSoItDoesNotLeakIntoTheNextCycle() {
        AtomicInteger cycles = new AtomicInteger();
        List<Boolean> interruptedAtStart = new CopyOnWriteArrayList<>();
        DutyCycleRunner r = DutyCycleRunner.start("stray", () -> {
            interruptedAtStart.add(Thread.currentThread().isInterrupted());
            if (cycles.incrementAndGet() == 2) {
                Thread.currentThread().interrupt(); // a handler that interrupted itself
            }
            return 1;
        }, new YieldingIdleStrategy(), STARTER);
        Await.until("five cycles", () -> cycles.get() >= 5);
        r.stop();
        assertTrue(r.join(deadline()));
        assertFalse(interruptedAtStart.subList(0, 5).contains(true), interruptedAtStart.subList(0, 5).toString());
    }

    @Test
    void shouldCallOnCloseEvenWhenOnStartThrows() {
        AtomicBoolean closed = new AtomicBoolean();
        DutyCycleRunner r = DutyCycleRunner.start("bad start", new DutyCycle() {
            @Override
            public void onStart() {
                throw new IllegalStateException("no device");
            }

            @Override
            public int doWork() {
                throw new AssertionError("never called after a failed start");
            }

            @Override
            public void onClose() {
                closed.set(true);
            }
        }, new BusySpinIdleStrategy(), STARTER);
        assertTrue(r.join(deadline()), "the thread ends");
        assertTrue(closed.get());
        assertEquals(1, r.errors());
    }

    @Test
    void shouldRefuseIdleSettingsOutOfRangeNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SleepingIdleStrategy(Duration.ofNanos(10)));
        assertEquals("park must be from 1 µs to 1 s, was 10 ns", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BackoffIdleStrategy.of(0, 0, Duration.ofMillis(2), Duration.ofMillis(1)));
        assertEquals("maxPark must be from minPark (2 ms) to 1 s, was 1 ms", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BackoffIdleStrategy.of(-1, 0, Duration.ofMillis(1), Duration.ofMillis(1)));
        assertTrue(e.getMessage().startsWith("spins must be from 0"), e.getMessage());
    }
}
