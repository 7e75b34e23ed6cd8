package io.github.twinlane.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.test.Await;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A reservation that waits for the collector to free direct buffers waits without the budget's monitor:
 * the counts, the other reservations' getters and their closes (stats, summaries, closing channels) go on
 * meanwhile; and it waits only when freeing garbage could make room.
 */
class MemoryBudgetWaitTest {
    private static final long MIB = 1 << 20;

    @Test
    void shouldLetCountsAndClosesGoOnWhileAReservationWaitsForTheCollector() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch freed = new CountDownLatch(1);
        AtomicInteger reads = new AtomicInteger();
        // the process's direct memory: full of garbage until the "collector" frees it, which the test decides
        MemoryBudget budget = new MemoryBudget(0, 1024 * MIB, () -> 64 * MIB, () -> {
            if (reads.incrementAndGet() == 2) { // the first read in the wait: it holds no monitor now
                waiting.countDown();
                try {
                    freed.await(Await.HANG.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 0;
            }
            return reads.get() == 1 ? 60 * MIB : 0;
        }, 9);
        MemoryBudget.Reservation other = budget.reserve("channel 'drive'", "rings", MIB, 0, "lower it");
        AtomicReference<MemoryBudget.Reservation> camera = new AtomicReference<>();
        Thread opener = new Thread(() -> camera.set(budget.reserve("channel 'cam0'", "frames", 0, 20 * MIB,
                "lower it")), "opener");
        opener.start();
        assertTrue(waiting.await(Await.HANG.toSeconds(), TimeUnit.SECONDS), "the reservation waits for the collector");
        // meanwhile: every count, getter and close goes on (they once waited up to half a second behind it)
        assertEquals(MIB, budget.heapBytes());
        assertEquals(0, budget.directBytes());
        assertEquals(MIB, other.heapBytes());
        other.close();
        assertEquals(0, budget.heapBytes());
        assertTrue(opener.isAlive(), "all of that while the reservation still waited");
        freed.countDown();
        opener.join(Await.HANG.toMillis());
        assertEquals(20 * MIB, camera.get().directBytes(), "the freed memory is reserved");
    }

    @Test
    void shouldNotWaitForTheCollectorWhenTwinlanesOwnReservationsLeaveNoRoom() {
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<MemoryBudget> self = new AtomicReference<>();
        // the process's direct memory is what the budget's own reservations hold: live, not garbage
        MemoryBudget budget = new MemoryBudget(0, 1024 * MIB, () -> 64 * MIB, () -> {
            reads.incrementAndGet();
            return self.get().directBytes();
        }, 9);
        self.set(budget);
        budget.reserve("channel 'cam0'", "frames", 0, 50 * MIB, "lower it");
        int before = reads.get();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> budget.reserve("channel 'cam1'", "frames", 0, 20 * MIB, "lower it"));
        assertTrue(e.getMessage().contains("14.0 MiB of the JVM's direct-memory limit of 64.0 MiB are free"),
                e.getMessage());
        assertEquals(2, reads.get() - before, "one look before, one in the check: no waiting for the collector");
    }
}
