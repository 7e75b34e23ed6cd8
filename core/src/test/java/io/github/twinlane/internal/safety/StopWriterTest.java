package io.github.twinlane.internal.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.LongBox;
import io.github.twinlane.cycle.DutyCycleRunner;
import io.github.twinlane.cycle.IdleStrategy;
import io.github.twinlane.internal.FakeDevice;
import io.github.twinlane.test.Await;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stop thread's duty cycle, driven one {@code doWork} at a time on a thread of the test's: coalescing,
 * stop before safe, no safe command over a latched stop, giving up when the device is not open or the
 * thread is stopping, and the waits' bounds.
 */
class StopWriterTest {
    private static final long HANG = Await.HANG.toNanos();
    private static final long STOP = -99;
    private static final long SAFE = -1;

    record Outcome(WriteGate.Kind kind, boolean written, String why, Throwable failure) {
    }

    private final FakeDevice device = new FakeDevice();
    private final EmergencyLatch latch = new EmergencyLatch();
    private final WriteGate<LongBox> gate = new WriteGate<>(device, latch);
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private BooleanSupplier deviceOpen = open::get;
    private StopWriter<LongBox> stops = newStops();
    private final LongBox safe = new LongBox(SAFE);
    private final ExecutorService stopThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-stops");
        t.setDaemon(true);
        return t;
    });

    private StopWriter<LongBox> newStops() {
        return new StopWriter<>(gate, latch, LongBox.TYPE,
                () -> deviceOpen.getAsBoolean() ? io.github.twinlane.ChannelState.OPEN : io.github.twinlane.ChannelState.CLOSED,
                (kind, written, why, failure) -> outcomes.add(new Outcome(kind, written, why, failure)));
    }

    private final ExecutorService writerThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void tearDown() {
        device.releaseWrites();
        stopThread.shutdownNow();
        writerThread.shutdownNow();
    }

    private int work() throws Exception {
        return stopThread.submit(stops::doWork).get(Await.HANG.toSeconds(), TimeUnit.SECONDS);
    }

    private static long later() {
        return System.nanoTime() + HANG;
    }

    @Test
    void shouldDoNothingWithoutARequest() throws Exception {
        assertEquals(0, work());
        assertEquals(List.of(), outcomes);
        assertEquals(List.of(), device.written);
    }

    @Test
    void shouldWriteARequestedStopOnceAndTellItsOutcome() throws Exception {
        long ticket = stops.requestStop(new LongBox(STOP));
        assertFalse(stops.awaitStop(ticket, System.nanoTime()), "not written yet, and the deadline passed");
        assertEquals(1, work());
        assertTrue(stops.awaitStop(ticket, System.nanoTime()), "written: no need to wait");
        assertEquals(List.of(new Outcome(WriteGate.Kind.EMERGENCY_STOP, true, null, null)), outcomes);
        assertEquals(0, work(), "nothing more to do");
        assertEquals(List.of(STOP), device.written);
        assertEquals(WriteGate.Kind.EMERGENCY_STOP, gate.writing());
        assertEquals(1, outcomes.size());
    }

    @Test
    void shouldCopyTheStopWhenAskedSoALaterChangeToTheCallersCommandIsNotWritten() throws Exception {
        LongBox command = new LongBox(STOP);
        long ticket = stops.requestStop(command);
        command.value = 42;
        work();
        assertTrue(stops.awaitStop(ticket, System.nanoTime()));
        assertEquals(List.of(STOP), device.written);
    }

    @Test
    void shouldLetAnInvalidStopThrowToItsCaller() {
        assertThrows(NullPointerException.class, () -> stops.requestStop(null));
    }

    @Test
    void shouldCoalesceStopsAskedForWhileOneIsPendingIntoOneWriteOfTheNewest() throws Exception {
        long first = stops.requestStop(new LongBox(-10));
        long second = stops.requestStop(new LongBox(-20));
        assertTrue(second > first);
        assertEquals(1, work());
        assertTrue(stops.awaitStop(first, System.nanoTime()));
        assertTrue(stops.awaitStop(second, System.nanoTime()));
        assertEquals(List.of(-20L), device.written, "one write, of the newest stop");
        assertEquals(1, outcomes.size());
    }

    @Test
    void shouldWriteTheSafeCommandWithItsReason() throws Exception {
        long ticket = stops.requestSafe(safe, "watchdog");
        assertFalse(stops.awaitSafe(ticket, System.nanoTime()));
        assertEquals(1, work());
        assertTrue(stops.awaitSafe(ticket, System.nanoTime()));
        assertEquals(List.of(new Outcome(WriteGate.Kind.SAFE_COMMAND, true, "watchdog", null)), outcomes);
        assertEquals(List.of(SAFE), device.written);
        assertEquals(WriteGate.Kind.SAFE_COMMAND, gate.writing());
        assertEquals(0, work());
        assertEquals(1, device.written.size());
    }

    @Test
    void shouldCoalesceSafeCommandsAndGiveTheNewestReason() throws Exception {
        long first = stops.requestSafe(safe, "first");
        long second = stops.requestSafe(safe, "second");
        work();
        assertTrue(stops.awaitSafe(first, System.nanoTime()));
        assertTrue(stops.awaitSafe(second, System.nanoTime()));
        assertEquals(List.of(new Outcome(WriteGate.Kind.SAFE_COMMAND, true, "second", null)), outcomes);
    }

    @Test
    void shouldWriteAnEmergencyStopBeforeAPendingSafeCommand() throws Exception {
        long safeTicket = stops.requestSafe(safe, "watchdog");
        long stopTicket = stops.requestStop(new LongBox(STOP));
        assertEquals(1, work());
        assertEquals(List.of(STOP, SAFE), device.written);
        assertTrue(stops.awaitStop(stopTicket, System.nanoTime()));
        assertTrue(stops.awaitSafe(safeTicket, System.nanoTime()));
        assertEquals(WriteGate.Kind.EMERGENCY_STOP, outcomes.get(0).kind());
        assertEquals(WriteGate.Kind.SAFE_COMMAND, outcomes.get(1).kind());
    }

    @Test
    void shouldNotWriteTheSafeCommandOverALatchedStop() throws Exception {
        latch.latch();
        long stopTicket = stops.requestStop(new LongBox(STOP));
        long safeTicket = stops.requestSafe(safe, "channel closing");
        assertEquals(1, work());
        assertEquals(List.of(STOP), device.written, "the stop stays the last thing the device was told");
        assertTrue(stops.awaitStop(stopTicket, System.nanoTime()));
        assertFalse(stops.awaitSafe(safeTicket, later()), "given up, and the wait says so at once");
        assertEquals(new Outcome(WriteGate.Kind.SAFE_COMMAND, false, "channel closing", null), outcomes.get(1));
        assertEquals(0, work(), "a safe command given up is done");
    }

    @Test
    void shouldGiveUpAStopWhenTheDeviceIsNotOpen() throws Exception {
        open.set(false);
        long ticket = stops.requestStop(new LongBox(STOP));
        long safeTicket = stops.requestSafe(safe, "watchdog");
        assertEquals(1, work());
        assertFalse(stops.awaitStop(ticket, later()), "given up: the wait returns at once");
        assertFalse(stops.awaitSafe(safeTicket, later()));
        assertEquals(List.of(new Outcome(WriteGate.Kind.EMERGENCY_STOP, false, null, null),
                new Outcome(WriteGate.Kind.SAFE_COMMAND, false, "watchdog", null)), outcomes);
        assertEquals(List.of(), device.written);
        assertEquals(0, work());
    }

    @Test
    void shouldGiveUpAStopWhenTheDeviceClosedWhileItTookTheGate() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        deviceOpen = () -> asked.incrementAndGet() == 1; // open when first asked, closed by the time the gate is taken
        long ticket = stops.requestStop(new LongBox(STOP));
        work();
        assertFalse(stops.awaitStop(ticket, later()));
        assertEquals(List.of(), device.written);
        assertEquals(2, asked.get(), "asked before and after taking the gate");
        assertTrue(gate.acquire(0), "the gate was released");
        gate.release();
    }

    @Test
    void shouldTellAStopsFailureAndReleaseTheGate() throws Exception {
        device.failWrites = true;
        long ticket = stops.requestStop(new LongBox(STOP));
        long safeTicket = stops.requestSafe(safe, "watchdog");
        assertEquals(1, work());
        assertFalse(stops.awaitStop(ticket, later()));
        assertFalse(stops.awaitSafe(safeTicket, later()));
        assertEquals(2, outcomes.size());
        assertFalse(outcomes.get(0).written());
        assertTrue(outcomes.get(0).failure() instanceof IOException, String.valueOf(outcomes.get(0)));
        assertEquals(WriteGate.Kind.SAFE_COMMAND, outcomes.get(1).kind());
        assertTrue(outcomes.get(1).failure() instanceof IOException);
        assertTrue(gate.acquire(0), "the gate was released after the failed write");
        gate.release();
        device.failWrites = false;
        long again = stops.requestStop(new LongBox(STOP));
        work();
        assertTrue(stops.awaitStop(again, System.nanoTime()), "the next stop's outcome is its own");
    }

    @Test
    void shouldWaitForAWriteInProgressThenWriteTheStop() throws Exception {
        device.hangWrites();
        Future<Boolean> writer = writerThread.submit(() -> {
            try {
                return gate.writeInBatch(new LongBox(1), gate.epoch());
            } finally {
                gate.endBatch();
            }
        });
        device.awaitWritesBegun(1);
        long ticket = stops.requestStop(new LongBox(STOP));
        Future<Integer> cycle = stopThread.submit(stops::doWork);
        assertFalse(stops.awaitStop(ticket, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20)),
                "a write is in progress: not written by the deadline");
        device.releaseWrites();
        assertTrue(stops.awaitStop(ticket, later()), "written once the write in progress returned");
        assertTrue(writer.get(Await.HANG.toSeconds(), TimeUnit.SECONDS));
        assertEquals(1, cycle.get(Await.HANG.toSeconds(), TimeUnit.SECONDS));
        assertEquals(List.of(1L, STOP), device.written);
    }

    @Test
    void shouldGiveUpAStopWaitingForTheGateWhenItsThreadIsStopping() throws Exception {
        assertTrue(gate.writeInBatch(new LongBox(1), gate.epoch())); // the test's thread holds the gate
        long ticket = stops.requestStop(new LongBox(STOP));
        Future<Integer> cycle = stopThread.submit(stops::doWork);
        stops.stopping();
        assertEquals(1, cycle.get(Await.HANG.toSeconds(), TimeUnit.SECONDS));
        assertFalse(stops.awaitStop(ticket, later()));
        assertEquals(List.of(new Outcome(WriteGate.Kind.EMERGENCY_STOP, false, null, null)), outcomes);
        gate.endBatch();
        assertEquals(List.of(1L), device.written);
    }

    @Test
    void shouldWakeAWaiterWhenTheStopIsDone() throws Exception {
        long ticket = stops.requestStop(new LongBox(STOP));
        Thread waiter = Thread.currentThread();
        Future<Integer> cycle = stopThread.submit(() -> {
            Await.until("the caller waits for the outcome", () -> waiter.getState() == Thread.State.TIMED_WAITING);
            return stops.doWork();
        });
        assertTrue(stops.awaitStop(ticket, later()));
        assertEquals(1, cycle.get(Await.HANG.toSeconds(), TimeUnit.SECONDS));
        long safeTicket = stops.requestSafe(safe, "watchdog");
        Future<Integer> safeCycle = stopThread.submit(() -> {
            Await.until("the caller waits for the outcome", () -> waiter.getState() == Thread.State.TIMED_WAITING);
            return stops.doWork();
        });
        assertTrue(stops.awaitSafe(safeTicket, later()));
        assertEquals(1, safeCycle.get(Await.HANG.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void shouldKeepWaitingForItsStopWhenWokenByAnotherOutcome() throws Exception {
        long safeTicket = stops.requestSafe(safe, "watchdog");
        device.hangWrites();
        Future<Integer> safeCycle = stopThread.submit(stops::doWork); // writes the safe command: its write hangs
        device.awaitWritesBegun(1);
        long ticket = stops.requestStop(new LongBox(STOP));
        Future<Integer> stopCycle = stopThread.submit(stops::doWork); // then the stop
        Thread waiter = Thread.currentThread();
        Thread helper = new Thread(() -> {
            Await.until("the caller waits for its stop", () -> waiter.getState() == Thread.State.TIMED_WAITING);
            device.releaseWrites(); // the safe command's outcome wakes the waiter first
            device.hangWrites();
            device.awaitWritesBegun(2); // the stop's write hangs: the waiter must go on waiting
            Await.until("the caller waits again", () -> waiter.getState() == Thread.State.TIMED_WAITING);
            device.releaseWrites();
        }, "test-helper");
        helper.setDaemon(true);
        helper.start();
        assertTrue(stops.awaitStop(ticket, later()), "woken by the safe command's outcome, it waited on for its own");
        assertTrue(stops.awaitSafe(safeTicket, System.nanoTime()));
        assertEquals(1, safeCycle.get(Await.HANG.toSeconds(), TimeUnit.SECONDS));
        assertEquals(1, stopCycle.get(Await.HANG.toSeconds(), TimeUnit.SECONDS));
        assertEquals(List.of(SAFE, STOP), device.written);
    }

    @Test
    void shouldWaitOnThroughAnInterruptAndKeepTheFlagForTheCaller() throws Exception {
        long ticket = stops.requestStop(new LongBox(STOP));
        long safeTicket = stops.requestSafe(safe, "watchdog");
        Thread.currentThread().interrupt();
        assertFalse(stops.awaitStop(ticket, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20)),
                "nothing wrote it: the deadline ends the wait, not the interrupt");
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");

        // interrupted, the caller still learns the outcome: an interrupt never skips the safe command's wait
        Thread caller = Thread.currentThread();
        Future<Integer> cycle = writerThread.submit(() -> {
            Await.until("the caller waits", () -> caller.getState() == Thread.State.TIMED_WAITING
                    || caller.getState() == Thread.State.WAITING);
            caller.interrupt();
            return stopThread.submit(stops::doWork).get(Await.HANG.toSeconds(), TimeUnit.SECONDS);
        });
        assertTrue(stops.awaitSafe(safeTicket, later()), "written while the caller was interrupted");
        assertTrue(Thread.interrupted(), "and its interrupt kept");
        assertTrue(stops.awaitStop(ticket, System.nanoTime()));
        assertTrue(cycle.get(Await.HANG.toSeconds(), TimeUnit.SECONDS) > 0);
        assertEquals(List.of(STOP, SAFE), device.written, "the stop first (nothing latched it here), then the safe command");
    }

    @Test
    void shouldBeWokenByARequestWhileItsThreadIdles() throws Exception {
        // an idle strategy that parks until woken: only the request's wake can end it
        IdleStrategy parkUntilWoken = new IdleStrategy() {
            @Override
            public void idle() {
                LockSupport.park(this);
            }

            @Override
            public void reset() {
            }
        };
        DutyCycleRunner runner = DutyCycleRunner.start("stops", stops, parkUntilWoken, body -> {
            Thread t = new Thread(body, "test-stops-runner");
            t.setDaemon(true);
            t.start();
            return t;
        });
        try {
            Await.until("the stop thread idles", () -> runner.thread().getState() == Thread.State.WAITING);
            long ticket = stops.requestStop(new LongBox(STOP));
            assertTrue(stops.awaitStop(ticket, later()));
            Await.until("the stop thread idles", () -> runner.thread().getState() == Thread.State.WAITING);
            long safeTicket = stops.requestSafe(safe, "watchdog");
            assertTrue(stops.awaitSafe(safeTicket, later()));
            assertEquals(List.of(STOP, SAFE), device.written);
        } finally {
            runner.stop();
            assertTrue(runner.join(later()));
        }
    }

    @Test
    void shouldIdleForABoundedTimeWhenNothingWakesIt() {
        IdleStrategy idle = stops.idle();
        idle.reset();
        idle.idle(); // returns by itself (parked at most 100 ms): a lost wake-up cannot stall the stop thread
        idle.idle(0);
        assertEquals(List.of(), outcomes);
    }
}
