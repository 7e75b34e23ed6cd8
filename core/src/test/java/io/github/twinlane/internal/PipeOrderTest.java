package io.github.twinlane.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.LongBox;
import io.github.twinlane.MessageType;
import io.github.twinlane.SendResult;
import io.github.twinlane.WaitMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A pipe's order and accounting where several producers race, and after a value its copy refuses. */
class PipeOrderTest {
    private static final int SENDERS = 3;
    private static final int EACH = 100_000;

    @ParameterizedTest
    @EnumSource(value = BackpressurePolicy.class, names = {"DROP_OLDEST", "BLOCK", "DROP_NEWEST"})
    void shouldDeliverEveryValueOfSeveralSendersWhileTheRingNeverFills(BackpressurePolicy policy) throws Exception {
        Pipe<LongBox> pipe = new Pipe<>(LongBox.TYPE, policy, 1024, 10_000_000, WaitMode.BLOCKING, true).enablePolling();
        long[] lastSeen = new long[SENDERS];
        java.util.Arrays.fill(lastSeen, -1);
        AtomicLong outOfOrder = new AtomicLong();
        AtomicLong delivered = new AtomicLong();
        pipe.sink((v, t, g) -> {
            int sender = (int) (v.value / EACH);
            long i = v.value % EACH;
            if (i <= lastSeen[sender]) {
                outOfOrder.incrementAndGet();
            }
            lastSeen[sender] = i;
            delivered.incrementAndGet();
        });
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread consumer = new Thread(() -> {
            while (producing.get() || pipe.pending() > 0) {
                if (pipe.poll(64) == 0) {
                    LockSupport.parkNanos(10_000);
                }
            }
        });
        consumer.start();
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            Thread t = new Thread(() -> {
                LongBox box = new LongBox();
                for (int i = 0; i < EACH; i++) {
                    box.value = (long) sender * EACH + i;
                    assertEquals(SendResult.ACCEPTED, pipe.offer(box, 0));
                    // keep at most a few hundred values queued: the ring (1,024 slots) never fills
                    while (i % 32 == 0 && pipe.pending() > 256) {
                        Thread.onSpinWait();
                        LockSupport.parkNanos(1_000);
                    }
                }
            });
            senders.add(t);
            t.start();
        }
        for (Thread t : senders) {
            t.join();
        }
        producing.set(false);
        consumer.join();
        assertEquals(SENDERS * (long) EACH, pipe.offered());
        assertEquals(0, pipe.dropped(), "the ring never filled, so nothing may be skipped or aged out");
        assertEquals(SENDERS * (long) EACH, delivered.get());
        assertEquals(0, outOfOrder.get(), "each sender's values arrive in the order it sent them");
    }

    @ParameterizedTest
    @EnumSource(BackpressurePolicy.class)
    void shouldLeaveTheRingUsableAndCountTheValueWhenACopyThrows(BackpressurePolicy policy) {
        MessageType<LongBox> picky = MessageType.of(LongBox::new, (a, b) -> {
            if (a.value < 0) {
                throw new IllegalArgumentException("refused");
            }
            b.value = a.value;
        });
        Pipe<LongBox> pipe = new Pipe<>(picky, policy, 4, 1_000_000, WaitMode.BLOCKING, true).enablePolling();
        List<Long> got = new ArrayList<>();
        pipe.sink((v, t, g) -> got.add(v.value));
        LongBox box = new LongBox();
        for (int round = 0; round < 3; round++) {
            box.value = -1;
            assertThrows(IllegalArgumentException.class, () -> pipe.offer(box, 0));
            for (int i = 0; i < 10; i++) { // more than the ring holds: full, parked, refused by policy
                box.value = round * 100 + i;
                pipe.offer(box, 0);
                box.value = -1;
                try {
                    pipe.offer(box, 0); // refused by the copy, or by the policy before any copy when full
                } catch (IllegalArgumentException refused) {
                    // counted as invalid
                }
            }
            while (pipe.poll(16) > 0) {
                // drain
            }
        }
        assertEquals(pipe.offered(), pipe.delivered() + pipe.dropped() + pipe.pending(),
                "offered " + pipe.offered() + ", delivered " + pipe.delivered() + ", dropped " + pipe.dropped());
        assertEquals(0, pipe.pending());
        assertTrue(pipe.invalid() >= 3, "invalid: " + pipe.invalid());
        if (policy == BackpressurePolicy.LATEST || policy == BackpressurePolicy.DROP_OLDEST) {
            assertTrue(got.contains(209L), "the newest value after the refusals is delivered: " + got);
        }
        box.value = 7777;
        assertEquals(SendResult.ACCEPTED, pipe.offer(box, 0));
        pipe.poll(16);
        assertEquals(7777L, got.get(got.size() - 1), "the ring still takes and delivers values: " + got);
        assertTrue(got.stream().allMatch(v -> v >= 0), "no refused value reaches the sink: " + got);
    }

    @Test
    void shouldKeepTheParkedValueWhenTheNextValuesCopyIsRefused() {
        MessageType<LongBox> picky = MessageType.of(LongBox::new, (a, b) -> {
            if (a.value < 0) {
                b.value = -999; // half-written, then refused
                throw new IllegalArgumentException("refused");
            }
            b.value = a.value;
        });
        Pipe<LongBox> pipe = new Pipe<>(picky, BackpressurePolicy.LATEST, 2, 1_000_000, WaitMode.BLOCKING, false)
                .enablePolling();
        List<Long> got = new ArrayList<>();
        pipe.sink((v, t, g) -> got.add(v.value));
        LongBox box = new LongBox();
        for (long i = 1; i <= 3; i++) { // two in the ring, the third parked
            box.value = i;
            pipe.offer(box, 0);
        }
        box.value = -1;
        assertThrows(IllegalArgumentException.class, () -> pipe.offer(box, 0));
        pipe.poll(16);
        assertEquals(List.of(3L), got, "the parked value survives a refused copy");
    }
}
