package io.github.twinlane.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.LongBox;
import io.github.twinlane.MessageType;
import io.github.twinlane.SendResult;
import io.github.twinlane.WaitMode;
import io.github.twinlane.test.Await;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One pipe at a time, with exact expectations: what each policy does when the ring is full, what each
 * count is after it, the in-place claim and commit, the limit of a poll and what it returns, a refused
 * copy, the overflow slot under a consumer that is copying it out, and the counts at close.
 */
class PipeUnitTest {
    private static final long LONG_BLOCK = TimeUnit.SECONDS.toNanos(10);

    record Got(long value, long stamp, long tag) {
    }

    private final List<Got> got = new ArrayList<>();

    private Pipe<LongBox> pipe(BackpressurePolicy policy, int capacity) {
        return pipe(LongBox.TYPE, policy, capacity, 1_000_000, false);
    }

    private Pipe<LongBox> pipe(MessageType<LongBox> type, BackpressurePolicy policy, int capacity, long blockNanos,
                               boolean neverWait) {
        Pipe<LongBox> p = new Pipe<>(type, policy, capacity, blockNanos, WaitMode.BLOCKING, false, neverWait)
                .enablePolling().enableClaims();
        p.sink((v, stamp, tag) -> got.add(new Got(v.value, stamp, tag)));
        return p;
    }

    private List<Long> values() {
        return got.stream().map(Got::value).toList();
    }

    private static SendResult offer(Pipe<LongBox> p, long value) {
        return p.offer(new LongBox(value), 100 + value, 1000 + value);
    }

    private static void assertCounts(Pipe<LongBox> p, long offered, long delivered, long dropped, long pending) {
        assertEquals(List.of(offered, delivered, dropped, pending),
                List.of(p.offered(), p.delivered(), p.dropped(), p.pending()), "offered, delivered, dropped, pending");
    }

    @Test
    void shouldPreallocateExactlyWhatItsMemoryBudgetCounts() {
        for (BackpressurePolicy policy : BackpressurePolicy.values()) {
            for (boolean claims : new boolean[] {false, true}) {
                java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
                MessageType<LongBox> counting = MessageType.of(() -> {
                    made.incrementAndGet();
                    return new LongBox();
                }, LongBox.TYPE::copy);
                Pipe<LongBox> p = new Pipe<>(counting, policy, 8, 1_000_000, WaitMode.BLOCKING, false, false);
                if (claims) {
                    p.enableClaims();
                }
                assertEquals(Pipe.messages(policy, 8, claims), made.get(), policy + (claims ? " with claims" : ""));
                // what it holds after use: nothing more
                p.enablePolling();
                p.sink((v, stamp, tag) -> { });
                for (int i = 0; i < 40; i++) {
                    p.offer(new LongBox(i), i);
                }
                p.poll(100);
                assertEquals(Pipe.messages(policy, 8, claims), made.get(), policy + ": no message made after set-up");
            }
        }
        Pipe<LongBox> noClaims = new Pipe<>(LongBox.TYPE, BackpressurePolicy.LATEST, 2, 1, WaitMode.BLOCKING, false);
        assertEquals("claim() needs enableClaims() at set-up",
                assertThrows(IllegalStateException.class, noClaims::claim).getMessage());
    }

    @Test
    void shouldDropTheNewestWhenFullAndDeliverUpToThePollsLimit() {
        Pipe<LongBox> p = pipe(BackpressurePolicy.DROP_NEWEST, 2);
        assertSame(BackpressurePolicy.DROP_NEWEST, p.policy());
        assertEquals(SendResult.ACCEPTED, offer(p, 1));
        assertEquals(SendResult.ACCEPTED, offer(p, 2));
        assertEquals(SendResult.DROPPED_FULL, offer(p, 3));
        assertCounts(p, 3, 0, 1, 2);
        assertEquals(1, p.poll(1));
        assertEquals(List.of(new Got(1, 101, 1001)), got, "the value with its stamp and tag");
        assertCounts(p, 3, 1, 1, 1);
        assertEquals(1, p.poll(5));
        assertEquals(0, p.poll(5), "nothing left");
        assertEquals(List.of(1L, 2L), values());
        assertCounts(p, 3, 2, 1, 0);
    }

    @Test
    void shouldDeliverOnlyTheNewestUnderLatestAndCountTheRestSkipped() {
        Pipe<LongBox> p = pipe(BackpressurePolicy.LATEST, 4);
        offer(p, 1);
        offer(p, 2);
        offer(p, 3);
        assertEquals(3, p.poll(1), "every value available is taken, whatever the limit");
        assertEquals(List.of(new Got(3, 103, 1003)), got);
        assertCounts(p, 3, 1, 2, 0);
    }

    @Test
    void shouldParkTheNewestInTheOverflowSlotUnderLatestAndOverwriteItThere() {
        Pipe<LongBox> p = pipe(BackpressurePolicy.LATEST, 2);
        for (long v = 1; v <= 4; v++) {
            assertEquals(SendResult.ACCEPTED, offer(p, v), "LATEST never refuses");
        }
        assertCounts(p, 4, 0, 1, 3);
        assertEquals(3, p.poll(16), "two ring values and the overflow slot");
        assertEquals(List.of(new Got(4, 104, 1004)), got, "the parked value is newer than the ring's");
        assertCounts(p, 4, 1, 3, 0);
        assertEquals(0, p.poll(16));
    }

    @Test
    void shouldDeliverTheParkedValueAfterTheRingsUnderDropOldest() {
        Pipe<LongBox> p = pipe(BackpressurePolicy.DROP_OLDEST, 2);
        for (long v = 1; v <= 6; v++) {
            assertEquals(SendResult.ACCEPTED, offer(p, v));
        }
        // a ring of twice the capacity holds 1..4; 5 is parked, then overwritten by 6
        assertCounts(p, 6, 0, 1, 5);
        assertEquals(5, p.poll(16));
        assertEquals(List.of(3L, 4L, 6L), values(), "the older ones aged out; the newest parked one comes last");
        assertCounts(p, 6, 3, 3, 0);
    }

    @Test
    void shouldAgeOutAllButTheNewestCapacityValuesUnderDropOldest() {
        Pipe<LongBox> p = pipe(BackpressurePolicy.DROP_OLDEST, 2);
        for (long v = 1; v <= 4; v++) {
            assertEquals(SendResult.ACCEPTED, offer(p, v));
        }
        assertCounts(p, 4, 0, 0, 4);
        assertEquals(1, p.poll(1), "the first poll ages out the oldest and stops at its limit");
        assertEquals(List.of(), values());
        p.poll(16);
        assertEquals(List.of(3L, 4L), values());
        assertCounts(p, 4, 2, 2, 0);
    }

    @Test
    void shouldDeliverEveryValueUnderDropOldestWhenThePipeKeepsUp() {
        Pipe<LongBox> p = pipe(BackpressurePolicy.DROP_OLDEST, 4);
        offer(p, 1);
        offer(p, 2);
        assertEquals(2, p.poll(16));
        offer(p, 3);
        assertEquals(1, p.poll(16));
        assertEquals(List.of(1L, 2L, 3L), values());
    }

    @Test
    void shouldSkipAParkedValueOlderThanARingValueDeliveredBeforeIt() {
        Pipe<LongBox> p = pipe(BackpressurePolicy.DROP_OLDEST, 2);
        for (long v = 1; v <= 5; v++) {
            offer(p, v); // 1..4 fill the ring of twice the capacity; 5 is parked
        }
        assertEquals(1, p.poll(1), "a poll that stops at its limit leaves the overflow slot");
        assertEquals(SendResult.ACCEPTED, offer(p, 6), "room again: 6 goes into the ring, after the parked 5");
        assertEquals(5, p.poll(16));
        assertEquals(List.of(4L, 6L), values(), "5 is older than 6, delivered before it: skipped, never out of order");
        assertCounts(p, 6, 2, 4, 0);
    }

    @Test
    void shouldMoveAParkedValueIntoTheRingWhenTheConsumerFreedRoomMeanwhile() {
        boolean[] consumeWhileParking = {false};
        AtomicReference<Pipe<LongBox>> pipe = new AtomicReference<>();
        // the consumer frees room just as the producer parks (on another core, in a real race)
        MessageType<LongBox> type = MessageType.of(LongBox::new, (from, to) -> {
            to.value = from.value;
            if (consumeWhileParking[0]) {
                consumeWhileParking[0] = false;
                pipe.get().poll(16);
            }
        });
        Pipe<LongBox> p = pipe(type, BackpressurePolicy.LATEST, 2, 1_000_000, false);
        pipe.set(p);
        offer(p, 1);
        offer(p, 2);
        consumeWhileParking[0] = true;
        assertEquals(SendResult.ACCEPTED, offer(p, 3));
        assertEquals(List.of(2L), values(), "the consumer took the ring's newest while 3 was being parked");
        assertCounts(p, 3, 1, 1, 1);
        assertEquals(1, p.poll(16), "3 was moved into the ring: the overflow slot is empty");
        assertEquals(List.of(2L, 3L), values());
        assertCounts(p, 3, 2, 1, 0);
    }

    @Test
    void shouldTimeOutABlockedSendAndCountItRejected() {
        Pipe<LongBox> p = pipe(BackpressurePolicy.BLOCK, 2);
        offer(p, 1);
        offer(p, 2);
        assertEquals(SendResult.TIMED_OUT, offer(p, 3));
        assertCounts(p, 3, 0, 1, 2);
    }

    @Test
    void shouldAcceptABlockedSendOnceTheConsumerMakesRoom() throws Exception {
        Pipe<LongBox> p = pipe(LongBox.TYPE, BackpressurePolicy.BLOCK, 2, LONG_BLOCK, false);
        offer(p, 1);
        offer(p, 2);
        CompletableFuture<SendResult> blocked = new CompletableFuture<>();
        Thread producer = new Thread(() -> blocked.complete(offer(p, 3)), "test-producer");
        producer.setDaemon(true);
        producer.start();
        Await.until("the producer waits for room", () -> blocked.isDone() || Arrays.stream(producer.getStackTrace())
                .anyMatch(f -> f.getMethodName().equals("waitForRoom")));
        assertFalse(blocked.isDone(), "full: the send waits");
        assertEquals(1, p.poll(1), "the consumer takes a value");
        assertEquals(SendResult.ACCEPTED, blocked.get(Await.HANG.toSeconds(), TimeUnit.SECONDS));
        Await.until("all delivered", () -> {
            p.poll(16);
            return got.size() == 3;
        });
        assertEquals(List.of(new Got(1, 101, 1001), new Got(2, 102, 1002), new Got(3, 103, 1003)), got);
        assertCounts(p, 3, 3, 0, 0);
    }

    @Test
    void shouldGiveUpABlockedSendAtOnceWhenTheSenderIsInterrupted() {
        Pipe<LongBox> p = pipe(LongBox.TYPE, BackpressurePolicy.BLOCK, 2, LONG_BLOCK, false);
        offer(p, 1);
        offer(p, 2);
        Thread.currentThread().interrupt();
        try {
            assertEquals(SendResult.TIMED_OUT, offer(p, 3));
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt is kept");
        }
        assertCounts(p, 3, 0, 1, 2);
    }

    @Test
    void shouldClaimInPlaceKeepTheClaimUntilCommittedAndPublishIt() {
        Pipe<LongBox> p = pipe(BackpressurePolicy.DROP_NEWEST, 2);
        LongBox slot = p.claim();
        assertSame(slot, p.claim(), "a read that returned nothing keeps its claim");
        slot.value = 7;
        assertEquals(SendResult.ACCEPTED, p.commit(55));
        LongBox second = p.claim();
        assertSame(second, p.claim());
        second.value = 8;
        assertEquals(SendResult.ACCEPTED, p.commit(56));
        LongBox scratch = p.claim();
        scratch.value = 9;
        assertEquals(SendResult.DROPPED_FULL, p.commit(57), "full: the policy applies to what was read");
        assertEquals(2, p.poll(16));
        assertEquals(List.of(new Got(7, 55, 0), new Got(8, 56, 0)), got);
        assertCounts(p, 3, 2, 1, 0);
    }

    @Test
    void shouldParkWhatWasReadInPlaceWhenTheRingIsFullUnderLatest() {
        Pipe<LongBox> p = pipe(BackpressurePolicy.LATEST, 2);
        for (long v = 1; v <= 3; v++) {
            p.claim().value = v;
            assertEquals(SendResult.ACCEPTED, p.commit(v));
        }
        assertEquals(3, p.poll(16));
        assertEquals(List.of(new Got(3, 3, 0)), got);
    }

    @Test
    void shouldCountARefusedCopyAndKeepTheRingUsable() {
        Pipe<LongBox> p = pipe(BackpressurePolicy.DROP_NEWEST, 2);
        assertThrows(NullPointerException.class, () -> p.offer(null, 0));
        assertEquals(1, p.invalid());
        offer(p, 1);
        assertEquals(2, p.poll(16), "the void slot is taken and skipped, the next delivered");
        assertEquals(List.of(1L), values());
        assertCounts(p, 2, 1, 1, 0);
    }

    @Test
    void shouldKeepTheParkedValueWhenAValueToParkIsRefused() {
        Pipe<LongBox> p = pipe(BackpressurePolicy.LATEST, 2);
        offer(p, 1);
        offer(p, 2);
        offer(p, 3);
        assertThrows(NullPointerException.class, () -> p.offer(null, 0));
        assertEquals(1, p.invalid());
        assertCounts(p, 4, 0, 1, 3);
        p.poll(16);
        assertEquals(List.of(3L), values(), "the parked value is as it was");
        assertCounts(p, 4, 1, 3, 0);
    }

    @Test
    void shouldDropRatherThanWaitForAConsumerCopyingTheOverflowSlotOutWhenToldNeverToWait() throws Exception {
        CountDownLatch copying = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread[] consumer = new Thread[1];
        MessageType<LongBox> slowCopy = MessageType.of(LongBox::new, (from, to) -> {
            if (Thread.currentThread() == consumer[0]) {
                copying.countDown();
                try {
                    release.await(Await.HANG.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            to.value = from.value;
        });
        Pipe<LongBox> p = pipe(slowCopy, BackpressurePolicy.LATEST, 2, 1_000_000, true);
        offer(p, 1);
        offer(p, 2);
        assertEquals(SendResult.ACCEPTED, offer(p, 3), "parked: the slot is free");
        consumer[0] = new Thread(() -> p.poll(16), "test-consumer");
        consumer[0].start();
        assertTrue(copying.await(Await.HANG.toSeconds(), TimeUnit.SECONDS));
        assertEquals(SendResult.ACCEPTED, offer(p, 4));
        assertEquals(SendResult.ACCEPTED, offer(p, 5));
        assertEquals(SendResult.DROPPED_FULL, offer(p, 6), "the consumer holds the slot: dropped, not waited for");
        release.countDown();
        consumer[0].join(Await.HANG.toMillis());
        p.poll(16);
        assertEquals(List.of(3L, 5L), values());
        assertCounts(p, 6, 2, 4, 0);
    }

    @Test
    void shouldCountWhatIsStillQueuedAtCloseAsDiscarded() {
        Pipe<LongBox> p = pipe(BackpressurePolicy.DROP_NEWEST, 4);
        offer(p, 1);
        offer(p, 2);
        offer(p, 3);
        p.poll(1);
        p.reject();
        assertCounts(p, 4, 1, 1, 2);
        p.discardPending();
        assertCounts(p, 4, 1, 3, 0);
        p.discardPending();
        assertCounts(p, 4, 1, 3, 0);
    }

    @Test
    void shouldRefuseToBeConsumedBeforePollingIsEnabled() {
        Pipe<LongBox> p = new Pipe<>(LongBox.TYPE, BackpressurePolicy.LATEST, 2, 1, WaitMode.BLOCKING, false);
        IllegalStateException e = assertThrows(IllegalStateException.class, p::consumerWait);
        assertEquals("enablePolling() must be called first", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> p.poll(1));
        assertEquals("enablePolling() must be called before the producer starts", e.getMessage());
        assertSame(p, p.enablePolling());
        assertSame(p, p.enablePolling(), "enabling twice is harmless");
        assertNotNull(p.consumerWait());
    }

    @Test
    void shouldMakeAWaitStrategyForEveryWaitMode() {
        for (WaitMode mode : WaitMode.values()) {
            assertNotNull(Pipe.waitStrategy(mode), mode.name());
        }
    }
}
