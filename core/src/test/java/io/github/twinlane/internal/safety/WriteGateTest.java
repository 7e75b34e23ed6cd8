package io.github.twinlane.internal.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.LongBox;
import io.github.twinlane.internal.FakeDevice;
import io.github.twinlane.test.Await;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The write gate through its own API: epochs, sealing, the latch, the batch's hand-over, a stuck write's age. */
class WriteGateTest {
    private static final long HANG = Await.HANG.toNanos();
    private static final long STOP = -99;
    private final FakeDevice device = new FakeDevice();
    private final EmergencyLatch latch = new EmergencyLatch();
    private final WriteGate<LongBox> gate = new WriteGate<>(device, latch);
    /** The stop writer's thread. */
    private final ExecutorService stopThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-stops");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void tearDown() {
        device.releaseWrites();
        stopThread.shutdownNow();
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.get(Await.HANG.toSeconds(), TimeUnit.SECONDS);
    }

    private boolean freeForAStop() throws Exception {
        return get(stopThread.submit(() -> {
            boolean taken = gate.acquire(0);
            if (taken) {
                gate.release();
            }
            return taken;
        }));
    }

    @Test
    void shouldWriteACommandOfTheCurrentEpoch() throws Exception {
        long epoch = gate.epoch();
        assertTrue(gate.writeInBatch(new LongBox(1), epoch));
        assertTrue(gate.writeInBatch(new LongBox(2), epoch));
        gate.endBatch();
        assertEquals(List.of(1L, 2L), device.written);
        assertEquals(WriteGate.Kind.COMMAND, gate.writing());
    }

    @Test
    void shouldNeverWriteACommandSentBeforeAStop() throws Exception {
        long before = gate.epoch();
        assertTrue(get(stopThread.submit(() -> {
            assertTrue(gate.acquire(HANG));
            try {
                gate.writeStop(new LongBox(STOP), WriteGate.Kind.EMERGENCY_STOP);
            } finally {
                gate.release();
            }
            return true;
        })));
        assertTrue(gate.epoch() > before, "the stop advanced the epoch");
        assertFalse(gate.writeInBatch(new LongBox(1), before), "a command of the superseded epoch is not written");
        assertTrue(gate.writeInBatch(new LongBox(2), gate.epoch()), "one sent after the stop is");
        gate.endBatch();
        assertEquals(List.of(STOP, 2L), device.written);
        assertEquals(WriteGate.Kind.COMMAND, gate.writing());
    }

    @Test
    void shouldSupersedeWithoutTheGate() throws Exception {
        long before = gate.epoch();
        gate.supersede();
        assertEquals(before + 1, gate.epoch());
        assertFalse(gate.writeInBatch(new LongBox(1), before));
        gate.endBatch();
        assertEquals(List.of(), device.written);
    }

    @Test
    void shouldWriteNoOrdinaryCommandOnceSealedButStillAStop() throws Exception {
        assertFalse(gate.sealed());
        gate.seal();
        assertTrue(gate.sealed());
        assertFalse(gate.writeInBatch(new LongBox(1), gate.epoch()));
        gate.endBatch();
        assertTrue(gate.acquire(HANG));
        try {
            gate.writeStop(new LongBox(STOP), WriteGate.Kind.SAFE_COMMAND);
        } finally {
            gate.release();
        }
        assertEquals(List.of(STOP), device.written);
        assertEquals(WriteGate.Kind.SAFE_COMMAND, gate.writing());
    }

    @Test
    void shouldWriteNoOrdinaryCommandWhileTheLatchIsLatched() throws Exception {
        latch.latch();
        assertFalse(gate.writeInBatch(new LongBox(1), gate.epoch()));
        gate.endBatch();
        latch.release();
        assertTrue(gate.writeInBatch(new LongBox(2), gate.epoch()), "released: commands are written again");
        gate.endBatch();
        assertEquals(List.of(2L), device.written);
    }

    @Test
    void shouldHoldTheGateAcrossABatchAndReleaseItAtItsEnd() throws Exception {
        assertTrue(gate.writeInBatch(new LongBox(1), gate.epoch()));
        assertFalse(freeForAStop(), "the writer holds the gate between the writes of its batch");
        gate.endBatch();
        assertTrue(freeForAStop(), "the batch's end releases it");
    }

    @Test
    void shouldHoldTheGateEvenForABatchWhoseCommandsWereAllSuperseded() throws Exception {
        long old = gate.epoch();
        gate.supersede();
        assertFalse(gate.writeInBatch(new LongBox(1), old));
        assertFalse(freeForAStop(), "the check is made under the gate");
        gate.endBatch();
        assertTrue(freeForAStop());
    }

    @Test
    void shouldEndABatchThatWroteNothingHarmlessly() throws Exception {
        gate.endBatch();
        gate.endBatch();
        assertTrue(freeForAStop());
        assertTrue(gate.writeInBatch(new LongBox(1), gate.epoch()));
        gate.endBatch();
        gate.endBatch();
        assertTrue(freeForAStop());
    }

    @Test
    void shouldHandTheGateToAWaitingStopBetweenTwoWritesOfABatch() throws Exception {
        long epoch = gate.epoch();
        assertTrue(gate.writeInBatch(new LongBox(1), epoch));
        AtomicReference<Thread> stopper = new AtomicReference<>();
        Future<Boolean> stop = stopThread.submit(() -> {
            stopper.set(Thread.currentThread());
            if (!gate.acquire(HANG)) {
                return false;
            }
            try {
                gate.writeStop(new LongBox(STOP), WriteGate.Kind.EMERGENCY_STOP);
            } finally {
                gate.release();
            }
            return true;
        });
        Await.until("the stop waits for the gate", () -> stopper.get() != null
                && stopper.get().getState() == Thread.State.TIMED_WAITING);
        assertFalse(gate.writeInBatch(new LongBox(2), epoch),
                "the next write of the batch lets the stop in first, and the stop supersedes it");
        assertTrue(get(stop));
        assertTrue(gate.writeInBatch(new LongBox(3), gate.epoch()), "the batch goes on with the gate taken back");
        gate.endBatch();
        assertEquals(List.of(1L, STOP, 3L), device.written);
        assertTrue(freeForAStop());
    }

    @Test
    void shouldKeepAStopWaitingNoLongerThanItsTimeoutWhileTheWriterHoldsTheGate() throws Exception {
        assertTrue(gate.writeInBatch(new LongBox(1), gate.epoch()));
        assertFalse(get(stopThread.submit(() -> gate.acquire(TimeUnit.MILLISECONDS.toNanos(1)))));
        gate.endBatch();
        assertTrue(get(stopThread.submit(() -> {
            boolean taken = gate.acquire(HANG);
            gate.release();
            return taken;
        })));
    }

    @Test
    void shouldReleaseTheGateTakenForAStop() throws Exception {
        assertTrue(get(stopThread.submit(() -> {
            boolean taken = gate.acquire(HANG);
            gate.release();
            return taken;
        })));
        assertTrue(gate.acquire(0), "another thread can take it now");
        gate.release();
    }

    @Test
    void shouldTellHowLongTheWriteInProgressHasTaken() throws Exception {
        assertEquals(-1, gate.writeInProgressNanos(System.nanoTime()), "no write yet");
        device.hangWrites();
        long before = System.nanoTime();
        CompletableFuture<Boolean> write = CompletableFuture.supplyAsync(() -> {
            try {
                return gate.writeInBatch(new LongBox(1), gate.epoch());
            } catch (IOException e) {
                throw new RuntimeException(e);
            } finally {
                gate.endBatch();
            }
        });
        device.awaitWritesBegun(1);
        long after = System.nanoTime();
        long later = after + TimeUnit.SECONDS.toNanos(5);
        long inWrite = gate.writeInProgressNanos(later);
        assertTrue(inWrite >= later - after && inWrite <= later - before,
                "the write began between " + before + " and " + after + ": in progress for " + inWrite + " ns at " + later);
        assertEquals(0, gate.writeInProgressNanos(before - 1_000_000), "a time before the write began reads as 0");
        assertEquals(WriteGate.Kind.COMMAND, gate.writing());
        device.releaseWrites();
        assertTrue(write.get(Await.HANG.toSeconds(), TimeUnit.SECONDS));
        assertEquals(-1, gate.writeInProgressNanos(System.nanoTime()), "none in progress after it returned");
    }

    @Test
    void shouldForgetAWriteThatThrewAndPassOnWhatItThrew() throws Exception {
        device.failWrites = true;
        assertThrows(IOException.class, () -> gate.writeInBatch(new LongBox(1), gate.epoch()));
        gate.endBatch();
        assertEquals(-1, gate.writeInProgressNanos(System.nanoTime()));
        assertTrue(freeForAStop());
    }

    @Test
    void shouldDescribeEachKindOfWriteInASentence() {
        assertEquals("a command", WriteGate.Kind.COMMAND.describe());
        assertEquals("the safe command", WriteGate.Kind.SAFE_COMMAND.describe());
        assertEquals("the emergency stop", WriteGate.Kind.EMERGENCY_STOP.describe());
    }
}
