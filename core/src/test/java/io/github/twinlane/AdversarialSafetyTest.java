package io.github.twinlane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.test.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The safety promises against what an adversarial review tried next: a stop asked for while the device
 * is down, a safe command whose write fails, a closing thread whose interrupt flag is set, a failed
 * channel, a driver whose close throws, a stop asked for from a stop's own listener, a freshness listener
 * that never returns. Safe commands are -1, emergency stops -2.
 */
class AdversarialSafetyTest {
    private final TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build();

    @AfterEach
    void close() {
        rt.close();
        assertEquals(List.of(), rt.liveThreads());
    }

    private DeviceChannel<LongBox, LongBox> open(ChannelConfig config, ScriptedDriver d) {
        DeviceChannel<LongBox, LongBox> ch = rt.open(config, d);
        Await.until("open", () -> ch.state() == ChannelState.OPEN);
        return ch;
    }

    private static ChannelConfig.FastBuilder quickReconnect(String name) {
        return ChannelConfig.fast(name).backoff(new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)));
    }

    @Test
    void shouldWriteAnEmergencyStopAskedForWhileTheDeviceIsReconnectingAsSoonAsItIsBack() {
        ScriptedDriver d = new ScriptedDriver();
        DeviceChannel<LongBox, LongBox> ch = open(quickReconnect("motor").build(), d);
        ch.send(new LongBox(8));
        Await.until("the setpoint written", () -> d.written.contains(8L));
        d.unplugged = true;
        d.close();
        Await.until("the loss noticed", () -> ch.state() == ChannelState.RECONNECTING);
        assertFalse(ch.emergencyStop(new LongBox(-2)), "not written yet: the device is down");
        d.unplugged = false;
        Await.until("the stop written once the device is back", () -> d.writtenSinceOpen.contains(-2L), d.written::toString);
        assertEquals(SendResult.REJECTED_EMERGENCY_STOP, ch.send(new LongBox(9)));
        assertEquals(1, ch.stats().emergencyStops());
    }

    @Test
    void shouldTripAgainWhenTheSafeCommandCouldNotBeWritten() {
        ScriptedDriver d = new ScriptedDriver();
        DeviceChannel<LongBox, LongBox> ch = open(quickReconnect("motor").build(), d);
        ch.send(new LongBox(5));
        Await.until("the setpoint written", () -> d.written.contains(5L));
        d.failWrites = true; // the trip's safe command fails: the device is lost and comes back
        ch.watchdog(Duration.ofMillis(20), s -> s.value = -1);
        Await.until("the failed trip lost the device", () -> ch.stats().driverErrors() > 0);
        d.failWrites = false;
        Await.until("the watchdog trips again once the device is back, and its safe command is written",
                () -> d.written.contains(-1L), d.written::toString);
    }

    @Test
    void shouldNotCountArmingTheWatchdogAgainAsAFeed() {
        ScriptedDriver d = new ScriptedDriver();
        DeviceChannel<LongBox, LongBox> ch = open(ChannelConfig.fast("motor").build(), d);
        ch.watchdog(Duration.ofMillis(200), s -> s.value = -1);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!d.written.contains(-1L) && System.nanoTime() < until) {
            ch.watchdog(Duration.ofMillis(200), s -> s.value = -1); // another thread refreshing the safe command
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertTrue(d.written.contains(-1L), "the watchdog tripped although it was armed again and again");
    }

    @Test
    void shouldWriteTheSafeCommandAtCloseFromAThreadWhoseInterruptFlagIsSet() throws Exception {
        ScriptedDriver d = new ScriptedDriver();
        d.writeNanos = TimeUnit.MILLISECONDS.toNanos(2);
        DeviceChannel<LongBox, LongBox> ch = open(ChannelConfig.fast("motor").build(), d);
        ch.watchdog(Duration.ofSeconds(30), s -> s.value = -1);
        ch.send(new LongBox(5));
        Await.until("the setpoint written", () -> d.written.contains(5L));
        AtomicReference<Boolean> flagKept = new AtomicReference<>();
        Thread closer = new Thread(() -> {
            Thread.currentThread().interrupt();
            ch.close();
            flagKept.set(Thread.currentThread().isInterrupted());
        });
        closer.start();
        closer.join(Await.HANG.toMillis());
        assertEquals(-1L, d.last(), "the safe command was the last thing written: " + d.written);
        assertEquals(Boolean.TRUE, flagKept.get(), "close keeps the caller's interrupt flag");
    }

    @Test
    void shouldLetTheReaderOfAFailedChannelWaitInsteadOfSpinning() {
        ScriptedDriver d = new ScriptedDriver();
        DeviceChannel<LongBox, LongBox> ch = open(ChannelConfig.fast("motor").writeTimeout(Duration.ofMillis(50)).build(), d);
        d.hang = true;
        ch.send(new LongBox(1));
        Await.until("the stuck channel failed", () -> ch.state() == ChannelState.FAILED);
        Thread reader = rt.liveThreads().stream().filter(t -> t.getName().equals("twinlane-fast-motor-reader"))
                .findFirst().orElseThrow();
        // a spinning reader is never seen parked
        Await.until("the failed channel's reader parks", () -> reader.getState() == Thread.State.TIMED_WAITING);
    }

    @Test
    void shouldWaitInCloseForTheThreadThatIsStillClosingAStuckDevice() throws InterruptedException {
        java.util.concurrent.CountDownLatch unblocking = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger closeCalls = new java.util.concurrent.atomic.AtomicInteger();
        ScriptedDriver d = new ScriptedDriver() {
            @Override
            public void close() {
                if (closeCalls.incrementAndGet() == 1 && hang) { // the unblocking thread's close is slow
                    unblocking.countDown();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
                }
                super.close();
            }
        };
        DeviceChannel<LongBox, LongBox> ch = open(ChannelConfig.fast("motor").writeTimeout(Duration.ofMillis(50)).build(), d);
        d.hang = true;
        ch.send(new LongBox(1));
        assertTrue(unblocking.await(Await.HANG.toMillis(), TimeUnit.MILLISECONDS), "the stuck write was reported");
        rt.close(); // while the unblocking thread is still in the driver's close
        assertEquals(List.of(), rt.liveThreads(), "close waited for the thread closing the stuck device");
    }

    @Test
    void shouldLetAFailedListenerOnTheUnblockingThreadCloseTheStuckChannelWithoutWaitingForItself()
            throws InterruptedException {
        ScriptedDriver d = new ScriptedDriver();
        DeviceChannel<LongBox, LongBox> ch = open(ChannelConfig.fast("motor").writeTimeout(Duration.ofMillis(50)).build(), d);
        CountDownLatch closedByListener = new CountDownLatch(1);
        ch.onStateChange((name, from, to, cause) -> {
            if (to == ChannelState.FAILED) { // on the thread that failed it: the stuck write's unblocking thread
                ch.close(); // as DeviceStuckException suggests, before opening it again
                closedByListener.countDown();
            }
        });
        try (io.github.twinlane.internal.LogCapture log = io.github.twinlane.internal.LogCapture.start()) {
            d.hang = true;
            ch.send(new LongBox(1));
            assertTrue(closedByListener.await(Await.HANG.toMillis(), TimeUnit.MILLISECONDS), "the listener closed it");
            assertEquals(ChannelState.CLOSED, ch.state());
            // waiting for itself, the close ran to its deadline and reported its own thread as stuck
            assertFalse(log.has("motor-unblock-1 did not stop within the close timeout"), log.text());
        }
    }

    @Test
    void shouldFailAChannelWhoseDriverCloseThrowsOnceItsReconnectAttemptsRunOut() {
        ScriptedDriver d = new ScriptedDriver() {
            @Override
            public void close() {
                super.close();
                throw new IllegalStateException("close failed (scripted)");
            }
        };
        d.unplugged = true;
        DeviceChannel<LongBox, LongBox> ch = rt.open(quickReconnect("motor").maxReconnectAttempts(3).build(), d);
        Await.until("failed after three attempts", () -> ch.state() == ChannelState.FAILED, ch.stats()::toString);
        assertEquals(ChannelState.FAILED, ch.state(), "gave up after three failed opens, though each close threw");
    }

    @Test
    void shouldWriteAnEmergencyStopAskedForFromASafetyListenerWithoutWaitingOnItself() {
        ScriptedDriver d = new ScriptedDriver();
        DeviceChannel<LongBox, LongBox> ch = open(ChannelConfig.fast("motor").build(), d);
        AtomicReference<Boolean> fromListener = new AtomicReference<>();
        ch.onSafetyEvent((name, event, detail) -> {
            if (event == SafetyEvent.WATCHDOG_TRIPPED && fromListener.get() == null) {
                fromListener.set(ch.emergencyStop(new LongBox(-2))); // escalate a trip to an emergency stop
            }
        });
        ch.watchdog(Duration.ofMillis(20), s -> s.value = -1);
        Await.until("the listener's emergency stop returned", () -> fromListener.get() != null);
        assertEquals(Boolean.TRUE, fromListener.get(), "written, and said so: " + d.written);
        assertEquals(List.of(-1L, -2L), d.written);
    }

    @Test
    void shouldKeepOtherChannelsWatchdogsOnTimeWhileAFreshnessListenerNeverReturns() throws Exception {
        ScriptedDriver stale = new ScriptedDriver();
        ScriptedDriver other = new ScriptedDriver();
        DeviceChannel<LongBox, LongBox> a = open(ChannelConfig.fast("sensor").maxDataAge(Duration.ofMillis(10)).build(), stale);
        DeviceChannel<LongBox, LongBox> b = open(ChannelConfig.fast("motor").build(), other);
        CountDownLatch listening = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        a.onFreshness((name, fresh, age) -> {
            listening.countDown();
            try {
                release.await(); // a listener that never returns (until the test ends)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stale.unplugged = true;
        stale.close(); // its data stops: stale
        assertTrue(listening.await(Await.HANG.toSeconds(), TimeUnit.SECONDS), "the listener was called");
        try {
            b.watchdog(Duration.ofMillis(20), s -> s.value = -1);
            Await.until("the other channel's watchdog trips all the same", () -> other.written.contains(-1L));
        } finally {
            release.countDown();
        }
    }
}
