package io.github.twinlane.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.Backoff;
import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.LongBox;
import io.github.twinlane.NoCommand;
import io.github.twinlane.Subscription;
import io.github.twinlane.spi.AbstractDeviceDriver;
import io.github.twinlane.spi.DeviceDriver;
import io.github.twinlane.spi.ReadMode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The channel's state machine, driven by the test as the reader, writer and closing threads would
 * drive it: opening, failing to open with backoff, giving up, losing the device, failing, closing, and
 * what the listeners, the counters and the log are told at each step.
 */
class ChannelLifecycleTest {
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    record Change(ChannelState from, ChannelState to, Throwable cause) {
    }

    private final FakeDevice driver = new FakeDevice("fake drive");
    private final RecordingLogger log = new RecordingLogger();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong driverErrors = new AtomicLong();
    private volatile boolean closing;
    private final AtomicInteger openedCalls = new AtomicInteger();
    private final List<Change> changes = new CopyOnWriteArrayList<>();

    private ChannelLifecycle lifecycle(DeviceDriver<?, ?> device, Backoff backoff, int maxReconnectAttempts) {
        ChannelConfig config = ChannelConfig.fast("drive").backoff(backoff).maxReconnectAttempts(maxReconnectAttempts)
                .build();
        ChannelLifecycle l = new ChannelLifecycle("drive", config, device, log.logger, reconnects, driverErrors,
                () -> closing, openedCalls::incrementAndGet);
        l.onStateChange((name, from, to, cause) -> {
            assertEquals("drive", name);
            changes.add(new Change(from, to, cause));
        });
        return l;
    }

    private ChannelLifecycle lifecycle() {
        return lifecycle(driver, new Backoff(Duration.ofHours(1), Duration.ofHours(4)), 0);
    }

    @Test
    void shouldOpenFromOpeningAndTellTheListenersOnce() {
        ChannelLifecycle l = lifecycle();
        assertEquals(ChannelState.OPENING, l.state());
        assertTrue(l.openAttemptDue(System.nanoTime()), "the first attempt is due at once");
        assertTrue(l.openAttemptDue(0));
        assertEquals(0, l.nanosUntilOpenAttempt());
        assertTrue(l.tryOpen(ChannelState.OPENING));
        assertEquals(ChannelState.OPEN, l.state());
        assertEquals(List.of(new Change(ChannelState.OPENING, ChannelState.OPEN, null)), changes);
        assertEquals(1, openedCalls.get(), "the opened hook ran");
        assertEquals(0, reconnects.get(), "a first open is no reconnect");
        assertEquals(List.of(), log.lines, "a first open logs nothing");
        assertEquals(0, l.nanosUntilOpenAttempt(), "open: no attempt to wait for");
        assertEquals(0, driver.closes.get());
    }

    @Test
    void shouldRetryWithBackoffAfterAFailedOpenAndLogTheFirstFailureOnly() {
        ChannelLifecycle l = lifecycle();
        driver.failOpens = 2;
        long before = System.nanoTime();
        assertFalse(l.tryOpen(ChannelState.OPENING));
        long after = System.nanoTime();
        assertEquals(ChannelState.RECONNECTING, l.state());
        assertEquals(1, changes.size());
        assertEquals(ChannelState.OPENING, changes.get(0).from());
        assertEquals(ChannelState.RECONNECTING, changes.get(0).to());
        assertEquals("no such device (scripted)", changes.get(0).cause().getMessage());
        long wait = l.nanosUntilOpenAttempt();
        assertTrue(wait > HOUR - (System.nanoTime() - before) && wait <= HOUR, "the first backoff: " + wait);
        assertFalse(l.openAttemptDue(after), "not due before the backoff");
        assertFalse(l.openAttemptDue(before + HOUR - 1));
        assertTrue(l.openAttemptDue(after + HOUR), "due once the backoff passed");
        assertEquals(List.of("Channel 'drive' could not open fake drive: java.io.IOException: no such device (scripted). "
                + "Retrying with backoff (1 h to 4 h)."), log.at("warn"));

        assertFalse(l.tryOpen(ChannelState.RECONNECTING));
        assertEquals(ChannelState.RECONNECTING, l.state());
        assertEquals(1, changes.size(), "still reconnecting: nothing to tell");
        assertEquals(1, log.lines.size(), "only the first failure in a row is logged");
        long second = l.nanosUntilOpenAttempt();
        assertTrue(second > 2 * HOUR - (System.nanoTime() - before) && second <= 2 * HOUR, "doubled: " + second);

        assertTrue(l.tryOpen(ChannelState.RECONNECTING));
        assertEquals(ChannelState.OPEN, l.state());
        assertEquals(new Change(ChannelState.RECONNECTING, ChannelState.OPEN, null), changes.get(1));
        assertEquals(0, reconnects.get(), "never open before: not a reconnect");
        assertEquals(0, driver.closes.get(), "a failed open is not closed while it may be retried");
    }

    @Test
    void shouldStartTheBackoffAgainAfterASuccessfulOpen() {
        ChannelLifecycle l = lifecycle();
        driver.failOpens = 1;
        l.tryOpen(ChannelState.OPENING);
        assertTrue(l.tryOpen(ChannelState.RECONNECTING));
        l.deviceLost(new IOException("unplugged"));
        driver.failOpens = 1;
        assertFalse(l.tryOpen(ChannelState.RECONNECTING));
        assertTrue(l.nanosUntilOpenAttempt() <= HOUR, "the failures counted from zero again");
        assertEquals(2, log.at("warn").stream().filter(s -> s.contains("could not open")).count(),
                "the first failure of the new run is logged again");
    }

    @Test
    void shouldGiveUpAfterMaxReconnectAttemptsAndCloseTheDriver() {
        ChannelLifecycle l = lifecycle(driver, new Backoff(Duration.ofMillis(1), Duration.ofMillis(1)), 3);
        driver.failOpens = 10;
        assertFalse(l.tryOpen(ChannelState.OPENING));
        assertFalse(l.tryOpen(ChannelState.RECONNECTING));
        assertEquals(ChannelState.RECONNECTING, l.state(), "two failures of three");
        assertEquals(0, driver.closes.get());
        assertFalse(l.tryOpen(ChannelState.RECONNECTING));
        assertEquals(ChannelState.FAILED, l.state());
        assertEquals(1, driver.closes.get(), "given up: the driver is closed");
        Change last = changes.get(changes.size() - 1);
        assertEquals(ChannelState.RECONNECTING, last.from());
        assertEquals(ChannelState.FAILED, last.to());
        assertEquals("no such device (scripted)", last.cause().getMessage());
        assertEquals(List.of("Channel 'drive' gave up on fake drive after 3 failed attempts: java.io.IOException: no such "
                + "device (scripted). Check the device and its path, then open the channel again."), log.at("error"));
        assertFalse(l.tryOpen(ChannelState.FAILED), "failed is final");
        assertEquals(ChannelState.FAILED, l.state());
    }

    @Test
    void shouldFailAtTheFirstFailedOpenWhenOneAttemptIsAllowed() {
        ChannelLifecycle l = lifecycle(driver, Backoff.DEFAULT, 1);
        driver.failOpens = 1;
        assertFalse(l.tryOpen(ChannelState.OPENING));
        assertEquals(ChannelState.FAILED, l.state());
        assertEquals(List.of(ChannelState.FAILED), changes.stream().map(Change::to).toList());
        assertEquals(List.of(), log.at("warn"));
    }

    @Test
    void shouldNeverGiveUpWithoutALimit() {
        ChannelLifecycle l = lifecycle(driver, new Backoff(Duration.ofMillis(1), Duration.ofMillis(1)), 0);
        driver.failOpens = 50;
        for (int i = 0; i < 50; i++) {
            assertFalse(l.tryOpen(i == 0 ? ChannelState.OPENING : ChannelState.RECONNECTING));
        }
        assertEquals(ChannelState.RECONNECTING, l.state());
        assertEquals(0, driver.closes.get());
        assertTrue(l.tryOpen(ChannelState.RECONNECTING));
    }

    @Test
    void shouldNotMarkAGiveUpAfterTheChannelClosed() {
        ChannelLifecycle l = lifecycle(driver, Backoff.DEFAULT, 1);
        l.closed();
        driver.failOpens = 1;
        assertFalse(l.tryOpen(ChannelState.OPENING));
        assertEquals(ChannelState.CLOSED, l.state(), "the reader's view was old: the close stands");
        assertEquals(List.of(new Change(ChannelState.OPENING, ChannelState.CLOSED, null)), changes);
    }

    @Test
    void shouldLoseAnOpenDeviceOnceCloseItAndScheduleTheReopen() {
        ChannelLifecycle l = lifecycle();
        l.tryOpen(ChannelState.OPENING);
        IOException cause = new IOException("unplugged");
        long before = System.nanoTime();
        l.deviceLost(cause);
        assertEquals(ChannelState.RECONNECTING, l.state());
        assertEquals(1, driverErrors.get());
        assertEquals(1, driver.closes.get(), "closed so a blocked read returns");
        assertEquals(new Change(ChannelState.OPEN, ChannelState.RECONNECTING, cause), changes.get(1));
        long wait = l.nanosUntilOpenAttempt();
        assertTrue(wait > HOUR - (System.nanoTime() - before) && wait <= HOUR, "the first backoff: " + wait);
        assertEquals(List.of("Channel 'drive' lost fake drive: java.io.IOException: unplugged. Reconnecting with "
                + "backoff; commands sent meanwhile are dropped and counted."), log.at("warn"));

        l.deviceLost(new IOException("again"));
        assertEquals(2, driverErrors.get(), "every failure is counted");
        assertEquals(1, driver.closes.get(), "but lost once");
        assertEquals(2, changes.size());
        assertEquals(1, log.lines.size());
    }

    @Test
    void shouldNotSpeakOfCommandsWhenADeviceThatTakesNoneIsLost() {
        AbstractDeviceDriver<NoCommand, LongBox> camera = new AbstractDeviceDriver<>("camera", NoCommand.TYPE, LongBox.TYPE,
                ReadMode.NON_BLOCKING) {
            @Override
            public void open() {
            }

            @Override
            public boolean read(LongBox into) {
                return false;
            }

            @Override
            public void write(NoCommand command) {
            }

            @Override
            public void close() {
            }
        };
        ChannelLifecycle l = lifecycle(camera, Backoff.DEFAULT, 0);
        l.tryOpen(ChannelState.OPENING);
        l.deviceLost(new IOException("unplugged"));
        assertEquals(List.of("Channel 'drive' lost camera: java.io.IOException: unplugged. Reconnecting with backoff."),
                log.at("warn"));
    }

    @Test
    void shouldCountAReopenAfterALossAsAReconnectAndLogIt() {
        ChannelLifecycle l = lifecycle();
        l.tryOpen(ChannelState.OPENING);
        l.deviceLost(new IOException("unplugged"));
        assertTrue(l.tryOpen(ChannelState.RECONNECTING));
        assertEquals(1, reconnects.get());
        assertEquals(2, openedCalls.get());
        assertEquals(List.of("Channel 'drive' reopened fake drive"), log.at("info"));
        assertEquals(ChannelState.OPEN, l.state());
    }

    @Test
    void shouldCloseADeviceOpenedWhileTheChannelClosesAndCountNoReconnect() {
        ChannelLifecycle l = lifecycle();
        closing = true;
        assertFalse(l.tryOpen(ChannelState.OPENING));
        assertEquals(1, driver.closes.get());
        assertEquals(0, reconnects.get());
        assertEquals(ChannelState.OPENING, l.state());
        assertEquals(0, openedCalls.get());

        closing = false;
        assertTrue(l.tryOpen(ChannelState.OPENING));
        l.deviceLost(new IOException("unplugged"));
        closing = true;
        assertFalse(l.tryOpen(ChannelState.RECONNECTING));
        assertEquals(0, reconnects.get(), "it never reopened");
        assertEquals(3, driver.closes.get());
        assertEquals(List.of(), log.at("info"));
    }

    @Test
    void shouldCloseADeviceOpenedAgainWhenTheStateMovedOn() {
        ChannelLifecycle l = lifecycle();
        assertTrue(l.tryOpen(ChannelState.OPENING));
        assertFalse(l.tryOpen(ChannelState.OPEN), "already open: the second open is closed again");
        assertEquals(1, driver.closes.get());
        assertEquals(ChannelState.OPEN, l.state());
        l.closed();
        assertFalse(l.tryOpen(ChannelState.OPEN));
        assertEquals(ChannelState.CLOSED, l.state());
        assertEquals(2, driver.closes.get());
    }

    @Test
    void shouldIgnoreALossWhileNotOpen() {
        ChannelLifecycle l = lifecycle();
        l.deviceLost(new IOException("read failed"));
        assertEquals(ChannelState.OPENING, l.state());
        assertEquals(1, driverErrors.get());
        assertEquals(0, driver.closes.get());
        assertEquals(List.of(), changes);
        assertTrue(l.openAttemptDue(System.nanoTime()), "the open attempt is not put off");
    }

    @Test
    void shouldFailFromAnyStateThatIsNotFinalOnce() {
        for (ChannelState from : new ChannelState[] {ChannelState.OPENING, ChannelState.OPEN, ChannelState.RECONNECTING}) {
            changes.clear();
            log.lines.clear();
            ChannelLifecycle l = lifecycle();
            if (from != ChannelState.OPENING) {
                l.tryOpen(ChannelState.OPENING);
            }
            if (from == ChannelState.RECONNECTING) {
                l.deviceLost(new IOException("lost"));
            }
            changes.clear();
            log.lines.clear();
            IOException cause = new IOException("stuck");
            assertTrue(l.fail(cause), String.valueOf(from));
            assertEquals(ChannelState.FAILED, l.state());
            assertEquals(List.of(new Change(from, ChannelState.FAILED, cause)), changes);
            assertEquals(List.of("Channel 'drive' FAILED: stuck"), log.at("error"));
            assertFalse(l.fail(new IOException("again")), "failed already");
            assertEquals(1, changes.size());
            assertEquals(1, log.lines.size());
        }
        ChannelLifecycle closed = lifecycle();
        closed.closed();
        assertFalse(closed.fail(new IOException("late")));
        assertEquals(ChannelState.CLOSED, closed.state());
    }

    @Test
    void shouldCloseFromAnyStateTellingTheListenersOnce() {
        ChannelLifecycle l = lifecycle();
        l.tryOpen(ChannelState.OPENING);
        l.closed();
        l.closed();
        assertEquals(ChannelState.CLOSED, l.state());
        assertEquals(List.of(new Change(ChannelState.OPENING, ChannelState.OPEN, null),
                new Change(ChannelState.OPEN, ChannelState.CLOSED, null)), changes);
        assertFalse(l.fail(new IOException("late")));
        l.deviceLost(new IOException("late"));
        assertEquals(ChannelState.CLOSED, l.state());
        assertEquals(Long.MAX_VALUE, l.nanosUntilOpenAttempt(), "a closed channel never opens again: its reader waits");
    }

    @Test
    void shouldLogAndSwallowWhatTheDriversCloseThrows() {
        ChannelLifecycle l = lifecycle();
        driver.closeThrows = new IllegalStateException("close bug");
        l.closeDriver();
        assertEquals(1, driver.closes.get());
        assertEquals(List.of("Driver fake drive of channel 'drive' threw from close(): java.lang.IllegalStateException: "
                + "close bug"), log.at("warn"));
        l.tryOpen(ChannelState.OPENING);
        l.deviceLost(new IOException("unplugged"));
        assertEquals(ChannelState.RECONNECTING, l.state(), "a close that throws does not stop the loss");
    }

    @Test
    void shouldTellEveryListenerWhenOneThrowsAndStopTellingOneThatUnsubscribed() {
        ChannelLifecycle l = lifecycle();
        l.onStateChange((name, from, to, cause) -> {
            throw new IllegalStateException("listener bug");
        });
        List<ChannelState> late = new CopyOnWriteArrayList<>();
        Subscription sub = l.onStateChange((name, from, to, cause) -> late.add(to));
        assertTrue(l.tryOpen(ChannelState.OPENING));
        assertEquals(List.of(ChannelState.OPEN), late, "told after the listener that threw");
        assertEquals(List.of("State listener of channel 'drive' threw; ignored: java.lang.IllegalStateException: "
                + "listener bug"), log.at("warn"));
        sub.close();
        l.closed();
        assertEquals(List.of(ChannelState.OPEN), late);
        assertEquals(2, changes.size());
        assertSame(null, changes.get(1).cause());
        assertNull(changes.get(0).cause());
    }
}
