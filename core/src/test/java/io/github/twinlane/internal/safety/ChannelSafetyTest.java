package io.github.twinlane.internal.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.DeviceStuckException;
import io.github.twinlane.LongBox;
import io.github.twinlane.NoCommand;
import io.github.twinlane.Subscription;
import io.github.twinlane.internal.FakeDevice;
import io.github.twinlane.internal.LaneThreads;
import io.github.twinlane.internal.LogCapture;
import io.github.twinlane.spi.AbstractDeviceDriver;
import io.github.twinlane.spi.ReadMode;
import io.github.twinlane.test.Await;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A channel's safety with a fake device and a fake channel: what an emergency stop returns, logs and
 * tells; what the supervisor's check finds (a stuck write, a stalled feed, its interval); what close
 * asks of the device. The stop thread is real; the supervisor's checks are made by the test, at times it
 * chooses.
 */
class ChannelSafetyTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long HANG = Await.HANG.toNanos();
    private static final long STOP = -99;
    private static final long SAFE = -1;
    private static final String TRIP_WHY = "no command for longer than the watchdog's feed timeout: the control loop stalled?";

    private final FakeDevice driver = new FakeDevice("fake drive");
    /** Every thread the safety made, named, as soon as it was made. */
    private final List<Thread> made = new CopyOnWriteArrayList<>();
    private final LaneThreads threads = new LaneThreads(r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        made.add(t);
        return t;
    }, lane -> { });
    private final AtomicReference<ChannelState> state = new AtomicReference<>(ChannelState.OPEN);
    private final List<Throwable> lost = new CopyOnWriteArrayList<>();
    private final List<Throwable> failed = new CopyOnWriteArrayList<>();
    private volatile boolean closeOnFail = true;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ChannelSafety.Device device = new ChannelSafety.Device() {
        @Override
        public ChannelState state() {
            return state.get();
        }

        @Override
        public void lost(Throwable cause) {
            lost.add(cause);
        }

        @Override
        public void failAndClose(Throwable cause) {
            failed.add(cause);
            if (closeOnFail) {
                driver.close();
            }
        }
    };
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-writer");
        t.setDaemon(true);
        return t;
    });
    private ChannelSafety<LongBox> safety;

    private ChannelSafety<LongBox> safety(Duration writeTimeout, Duration maxDataAge) {
        ChannelConfig config = ChannelConfig.fast("drive").writeTimeout(writeTimeout).maxDataAge(maxDataAge).build();
        safety = new ChannelSafety<>(config, driver, threads, device, Runnable::run);
        safety.onSafetyEvent((channel, event, detail) -> events.add(channel + " " + event + ": " + detail));
        return safety;
    }

    private ChannelSafety<LongBox> safety() {
        return safety(Duration.ofSeconds(10), Duration.ZERO);
    }

    @AfterEach
    void tearDown() {
        driver.releaseWrites();
        if (safety != null) {
            assertEquals(List.of(), safety.stopThread(System.nanoTime() + HANG), "the stop thread ended");
        }
        writer.shutdownNow();
    }

    private static long later() {
        return System.nanoTime() + HANG;
    }

    private long madeNamed(String name) {
        return made.stream().filter(t -> t.getName().equals(name)).count();
    }

    /** The writer writes one command of the current epoch, as a batch of its own. */
    private Future<Boolean> write(long value) {
        return writer.submit(() -> {
            try {
                return safety.writeInBatch(new LongBox(value), safety.epoch());
            } finally {
                safety.endBatch();
            }
        });
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.get(Await.HANG.toSeconds(), TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ emergency stop

    @Test
    void shouldWriteAnEmergencyStopLatchAndTellTheListeners() throws Exception {
        safety();
        long before = safety.epoch();
        try (LogCapture log = LogCapture.start()) {
            assertTrue(safety.emergencyStop(new LongBox(STOP)));
            assertTrue(log.has("Channel 'drive': EMERGENCY STOP written to fake drive; commands are refused until released"),
                    log.text());
        }
        assertTrue(safety.latched());
        assertEquals(List.of(STOP), driver.written);
        assertEquals(1, safety.emergencyStopsWritten());
        assertEquals(List.of("drive EMERGENCY_STOP: latched; the stop command was written to fake drive"), events);
        assertEquals(List.of(), lost);
        assertEquals(1, madeNamed("twinlane-fast-drive-stops"), "the stop thread was started for it");
        safety.release();
        assertTrue(get(write(1)), "released: commands are written again");
        assertFalse(safety.writeInBatch(new LongBox(2), before), "a command sent before the stop is never written after it");
        safety.endBatch();
        assertEquals(List.of(STOP, 1L), driver.written);
    }

    @Test
    void shouldKeepAStopAskedForWhileReconnectingAndWriteItFirstOnceOpen() throws Exception {
        safety();
        state.set(ChannelState.RECONNECTING);
        long before = safety.epoch();
        try (LogCapture log = LogCapture.start()) {
            assertFalse(safety.emergencyStop(new LongBox(STOP)), "not written yet: the device is not open");
            assertTrue(log.has("Channel 'drive': emergency stop latched; fake drive is RECONNECTING: the stop is written "
                    + "as soon as it is open again"), log.text());
        }
        assertTrue(safety.latched());
        assertEquals(List.of("drive EMERGENCY_STOP: latched; fake drive is RECONNECTING: the stop is written as soon "
                + "as it is open again"), events);
        assertEquals(List.of(), driver.written, "nothing is written to a device that is not open");
        assertFalse(safety.writeInBatch(new LongBox(1), before), "what was queued before the stop is superseded");
        safety.endBatch();
        state.set(ChannelState.OPEN);
        safety.deviceOpened();
        Await.until("the pending stop is written once the device is open", () -> driver.written.equals(List.of(STOP)));
        assertEquals(1, safety.emergencyStopsWritten());
        assertEquals(1, madeNamed("twinlane-fast-drive-stops"), "one stop thread, started for the stop");
        safety.release();
        assertFalse(safety.writeInBatch(new LongBox(2), before), "released: what was queued before the stop stays superseded");
        safety.endBatch();
        assertTrue(get(write(3)), "a command sent after the release is written");
        assertEquals(List.of(STOP, 3L), driver.written);
    }

    @Test
    void shouldRefuseAnInvalidStopCommandLatched() {
        safety();
        try (LogCapture log = LogCapture.start()) {
            assertFalse(safety.emergencyStop(null));
            assertTrue(log.has("Channel 'drive': emergency stop latched, but its stop command is invalid "
                    + "(java.lang.NullPointerException"), log.text());
        }
        assertTrue(safety.latched());
        assertEquals(1, events.size());
        assertTrue(events.get(0).startsWith("drive EMERGENCY_STOP: latched, but the stop command is invalid: "
                + "java.lang.NullPointerException"), events.get(0));
        assertEquals(List.of(), driver.written);
    }

    @Test
    void shouldTellTheChannelItsDeviceIsLostWhenTheStopsWriteFails() {
        safety();
        driver.failWrites = true;
        try (LogCapture log = LogCapture.start()) {
            assertFalse(safety.emergencyStop(new LongBox(STOP)));
            assertTrue(log.has("Channel 'drive': emergency stop latched, but the stop command could not be written to "
                    + "fake drive: java.io.IOException: write failed (scripted)"), log.text());
        }
        assertEquals(List.of("drive EMERGENCY_STOP: latched, but the stop command could not be written to fake drive: "
                + "java.io.IOException: write failed (scripted)"), events);
        assertEquals(1, lost.size());
        assertEquals("write failed (scripted)", lost.get(0).getMessage());
        assertEquals(0, safety.emergencyStopsWritten());
    }

    @Test
    void shouldReturnFromAStopBehindAStuckWriteAndWriteItOnceTheWriteReturns() throws Exception {
        safety(Duration.ofMillis(50), Duration.ZERO);
        driver.hangWrites();
        Future<Boolean> first = write(1);
        driver.awaitWritesBegun(1);
        try (LogCapture log = LogCapture.start()) {
            assertFalse(safety.emergencyStop(new LongBox(STOP)), "not written within its bound");
            assertTrue(log.has("Channel 'drive': emergency stop latched, but not written within 100 ms (a command to "
                    + "fake drive has been in progress for "), log.text());
            assertTrue(log.has(" ms); it is written as soon as the device takes writes again, and the channel fails if "
                    + "its write stays stuck"), log.text());
            String text = log.text(); // the write in progress is named with how long it has run (a number, not checked)
            assertTrue(text.matches("(?s).*has been in progress for \\d+ ms\\).*"), text);
        }
        driver.releaseWrites();
        assertTrue(get(first));
        Await.until("the stop was written", () -> safety.emergencyStopsWritten() == 1);
        assertEquals(List.of(1L, STOP), driver.written);
    }

    @Test
    void shouldNotSayAWriteIsInProgressWhenTheStopWasGivenUp() {
        safety();
        driver.failWrites = true;
        try (LogCapture log = LogCapture.start()) {
            assertFalse(safety.emergencyStop(new LongBox(STOP)));
            assertTrue(log.has("emergency stop latched, but not written within 20 s; it is written as soon as the device "
                    + "takes writes again, and the channel fails if its write stays stuck" + System.lineSeparator()),
                    log.text());
        }
    }

    @Test
    void shouldReleaseOnlyALatchedStopAndRestartTheWatchdogsFeed() {
        safety();
        safety.arm(Duration.ofMillis(100), c -> c.value = SAFE);
        try (LogCapture log = LogCapture.start()) {
            safety.release();
            assertEquals(List.of(), events, "nothing latched: nothing released");
            state.set(ChannelState.RECONNECTING);
            safety.emergencyStop(new LongBox(STOP));
            state.set(ChannelState.OPEN);
            safety.feed(System.nanoTime() - TimeUnit.MINUTES.toNanos(10)); // the loop stalled long ago
            safety.release();
            assertTrue(log.has("Channel 'drive': emergency stop released"), log.text());
        }
        assertFalse(safety.latched());
        assertEquals("drive EMERGENCY_STOP_RELEASED: released; commands are accepted again", events.get(1));
        long epoch = safety.epoch();
        safety.supervise(System.nanoTime(), -1);
        assertEquals(epoch, safety.epoch(), "the release gives the loop a whole feed timeout: no trip now");
    }

    @Test
    void shouldSayAChannelThatTakesNoCommandsCannotStop() {
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
                throw new AssertionError("never written");
            }

            @Override
            public void close() {
            }
        };
        List<String> told = new CopyOnWriteArrayList<>();
        ChannelSafety<NoCommand> s = new ChannelSafety<>(ChannelConfig.fast("cam").build(), camera, threads, device, Runnable::run);
        s.onSafetyEvent((channel, event, detail) -> told.add(event + ": " + detail));
        assertFalse(s.takesCommands());
        assertFalse(s.emergencyStop(new NoCommand()));
        assertEquals(List.of("EMERGENCY_STOP: latched, but camera takes no commands"), told);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> s.arm(Duration.ofSeconds(1), c -> { }));
        assertEquals("channel 'cam' takes no commands (camera): a watchdog needs a device that takes a safe command",
                e.getMessage());
        s.startStops();
        assertEquals(0, s.supervise(System.nanoTime(), -1), "nothing to check");
        assertEquals(List.of(), s.stopThread(later()));
        assertEquals(List.of(), made);
        s.beginClose();
        assertTrue(s.awaitSafeAtClose(later()));
        ChannelSafety<NoCommand> aged = new ChannelSafety<>(ChannelConfig.fast("cam").maxDataAge(Duration.ofMillis(100))
                .build(), camera, threads, device, Runnable::run);
        assertEquals(25 * MS, aged.supervise(System.nanoTime(), System.nanoTime()), "a quarter of the age limit");
    }

    @Test
    void shouldSupersedeEveryQueuedCommandWhenTheDeviceIsLost() throws Exception {
        safety();
        long queued = safety.epoch();
        safety.supersede();
        assertEquals(queued + 1, safety.epoch());
        assertFalse(writer.submit(() -> {
            try {
                return safety.writeInBatch(new LongBox(1), queued);
            } finally {
                safety.endBatch();
            }
        }).get(Await.HANG.toSeconds(), TimeUnit.SECONDS), "queued before the loss: never written after the reconnect");
        assertTrue(get(write(2)));
        assertEquals(List.of(2L), driver.written);
        assertFalse(safety.latched(), "a loss is no emergency stop");
    }

    // ------------------------------------------------------------------ arming, listeners

    @Test
    void shouldArmTheWatchdogAndStartTheStopThreadOnce() {
        safety();
        NullPointerException npe = assertThrows(NullPointerException.class, () -> safety.arm(Duration.ofSeconds(1), null));
        assertEquals("safeCommand must fill the command to send, was null", npe.getMessage());
        assertThrows(IllegalArgumentException.class, () -> safety.arm(Duration.ZERO, c -> { }));
        assertFalse(safety.watchdogArmed());
        safety.arm(Duration.ofSeconds(1), c -> c.value = SAFE);
        assertTrue(safety.watchdogArmed());
        safety.arm(Duration.ofSeconds(2), c -> c.value = SAFE);
        safety.startStops();
        assertEquals(1, madeNamed("twinlane-fast-drive-stops"));
        assertTrue(safety.takesCommands());
    }

    @Test
    void shouldTellEverySafetyListenerWhenOneThrowsAndStopTellingOneThatUnsubscribed() {
        safety();
        assertThrows(NullPointerException.class, () -> safety.onSafetyEvent(null));
        assertThrows(NullPointerException.class, () -> safety.onFreshness(null));
        List<String> second = new CopyOnWriteArrayList<>();
        safety.onSafetyEvent((c, e, d) -> {
            throw new IllegalStateException("listener bug");
        });
        Subscription sub = safety.onSafetyEvent((c, e, d) -> second.add(e.name()));
        state.set(ChannelState.RECONNECTING);
        try (LogCapture log = LogCapture.start()) {
            safety.emergencyStop(new LongBox(STOP));
            assertTrue(log.has("Safety listener of channel 'drive' threw; ignored: java.lang.IllegalStateException: "
                    + "listener bug"), log.text());
        }
        assertEquals(List.of("EMERGENCY_STOP"), second);
        sub.close();
        safety.release();
        assertEquals(List.of("EMERGENCY_STOP"), second, "unsubscribed: not told of the release");
        assertEquals(2, events.size(), "the first listener was told both");
    }

    @Test
    void shouldTellFreshnessListenersFromTheSupervisorsCheckUntilUnsubscribed() {
        safety(Duration.ofSeconds(10), Duration.ofMillis(100));
        List<Boolean> told = new CopyOnWriteArrayList<>();
        Subscription sub = safety.onFreshness((channel, fresh, age) -> told.add(fresh));
        long t = System.nanoTime();
        assertTrue(safety.fresh(t, t));
        assertFalse(safety.fresh(t + 101 * MS, t));
        safety.supervise(t + 101 * MS, t);
        assertEquals(List.of(false), told);
        sub.close();
        safety.supervise(t + 102 * MS, t + 101 * MS);
        assertEquals(List.of(false), told, "unsubscribed");
    }

    // ------------------------------------------------------------------ the supervisor's check

    @Test
    void shouldFailAStuckWriteOnceFromAThreadOfItsOwn() throws Exception {
        safety(Duration.ofMillis(50), Duration.ZERO);
        closeOnFail = false;
        driver.hangWrites();
        long before = System.nanoTime();
        Future<Boolean> first = write(1);
        driver.awaitWritesBegun(1);
        long after = System.nanoTime();
        safety.supervise(before + 50 * MS, -1);
        assertEquals(0, madeNamed("twinlane-fast-drive-unblock-1"), "in progress for no longer than the write timeout");
        safety.supervise(after + 50 * MS + 1, -1);
        assertEquals(1, madeNamed("twinlane-fast-drive-unblock-1"), "stuck: handed to a thread of its own");
        Await.until("the channel was failed", () -> failed.size() == 1);
        assertTrue(failed.get(0) instanceof DeviceStuckException);
        String message = failed.get(0).getMessage();
        assertTrue(message.startsWith("channel 'drive': a command to fake drive has not returned for "), message);
        assertTrue(message.endsWith(" ms (writeTimeout 50 ms): the device is stuck. The channel failed and its driver "
                + "was closed to unblock the write; check the device, then open the channel again"), message);
        long ms = Long.parseLong(message.replaceAll(".* has not returned for (\\d+) ms.*", "$1"));
        assertTrue(ms >= 50 && ms <= (after + 50 * MS + 1 - before) / MS, message);
        safety.supervise(after + 100 * MS, -1);
        assertEquals(1, made.stream().filter(t -> t.getName().contains("unblock")).count(), "one report per stuck write");
        driver.releaseWrites();
        assertTrue(get(first));
    }

    @Test
    void shouldLeaveAStuckWriteOfADeviceNotOpenToTheReconnect() throws Exception {
        safety(Duration.ofMillis(50), Duration.ZERO);
        driver.hangWrites();
        Future<Boolean> first = write(1);
        driver.awaitWritesBegun(1);
        state.set(ChannelState.RECONNECTING);
        safety.supervise(System.nanoTime() + TimeUnit.SECONDS.toNanos(10), -1);
        assertEquals(0, made.stream().filter(t -> t.getName().contains("unblock")).count());
        state.set(ChannelState.OPEN);
        safety.supervise(System.nanoTime() + TimeUnit.SECONDS.toNanos(10), -1);
        assertEquals(1, made.stream().filter(t -> t.getName().contains("unblock")).count(), "open again: reported");
        Await.until("the channel was failed", () -> failed.size() == 1);
        assertThrows(ExecutionException.class, () -> get(first), "the close made the stuck write throw");
    }

    @Test
    void shouldTripTheWatchdogOncePerStalledFeedAndWriteTheSafeCommand() throws Exception {
        safety();
        safety.arm(Duration.ofMillis(100), c -> c.value = SAFE);
        long t = System.nanoTime();
        safety.feed(t);
        long epoch = safety.epoch();
        safety.supervise(t + 100 * MS, -1);
        assertEquals(epoch, safety.epoch(), "not stalled yet");
        try (LogCapture log = LogCapture.start()) {
            safety.supervise(t + 101 * MS, -1);
            assertTrue(safety.epoch() > epoch, "the trip supersedes what the stalled loop queued");
            Await.until("the safe command was written", () -> safety.safeCommandsWritten() == 1);
            log.await("Channel 'drive': safe command written to fake drive (" + TRIP_WHY + ")");
        }
        assertEquals(List.of(SAFE), driver.written);
        Await.until("the listeners were told", () -> events.size() == 1);
        assertEquals(List.of("drive WATCHDOG_TRIPPED: no command for longer than the feed timeout; the safe command was "
                + "written"), events);
        long written = safety.epoch(); // the safe command's write superseded again
        safety.supervise(t + 200 * MS, -1);
        assertEquals(written, safety.epoch(), "the same stalled feed trips once");
        assertTrue(get(write(5)), "a command sent after the trip is written");
        assertEquals(List.of(SAFE, 5L), driver.written);
    }

    @Test
    void shouldSupersedeWhatTheStalledLoopQueuedAtTheTripNotOnlyWhenTheSafeCommandIsWritten() throws Exception {
        safety();
        safety.arm(Duration.ofMillis(100), c -> c.value = SAFE);
        assertEquals(List.of(), safety.stopThread(later())); // the safe command waits: no stop thread writes it
        long queued = safety.epoch();
        safety.supervise(System.nanoTime() + TimeUnit.MINUTES.toNanos(1), -1);
        assertFalse(writer.submit(() -> {
            try {
                return safety.writeInBatch(new LongBox(1), queued);
            } finally {
                safety.endBatch();
            }
        }).get(Await.HANG.toSeconds(), TimeUnit.SECONDS), "queued before the trip: superseded by it");
        assertEquals(List.of(), driver.written);
    }

    @Test
    void shouldNotTripWhileLatchedOrWhileTheDeviceIsNotOpen() {
        safety();
        safety.arm(Duration.ofMillis(100), c -> c.value = SAFE);
        long far = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        state.set(ChannelState.RECONNECTING);
        long epoch = safety.epoch();
        safety.supervise(far, -1);
        assertEquals(epoch, safety.epoch(), "not open: no trip");
        state.set(ChannelState.OPEN);
        assertTrue(safety.emergencyStop(new LongBox(STOP)));
        epoch = safety.epoch();
        safety.supervise(far, -1);
        assertEquals(epoch, safety.epoch(), "latched: the stop stays the last word");
        safety.release();
        safety.supervise(far, -1);
        assertTrue(safety.epoch() > epoch, "released and stalled: trips");
        Await.until("the safe command was written", () -> safety.safeCommandsWritten() == 1);
    }

    @Test
    void shouldReportASafeCommandThatCouldNotBeWritten() {
        safety();
        safety.arm(Duration.ofMillis(100), c -> c.value = SAFE);
        driver.failWrites = true;
        try (LogCapture log = LogCapture.start()) {
            safety.supervise(System.nanoTime() + TimeUnit.MINUTES.toNanos(1), -1);
            log.await("Channel 'drive': could not write the safe command to fake drive (" + TRIP_WHY
                    + "): java.io.IOException: write failed (scripted)");
        }
        Await.until("the listeners were told", () -> events.size() == 1);
        assertEquals(List.of("drive WATCHDOG_TRIPPED: no command for longer than the feed timeout; the safe command could "
                + "not be written"), events);
        Await.until("the channel was told the device is lost", () -> lost.size() == 1);
        assertEquals(0, safety.safeCommandsWritten());
    }

    @Test
    void shouldReportASafeCommandGivenUpBecauseTheDeviceClosedMeanwhile() throws Exception {
        safety();
        safety.arm(Duration.ofMillis(100), c -> c.value = SAFE);
        driver.hangWrites();
        Future<Boolean> first = write(1);
        driver.awaitWritesBegun(1);
        try (LogCapture log = LogCapture.start()) {
            safety.supervise(System.nanoTime() + TimeUnit.MINUTES.toNanos(1) / 60, -1); // well within the write timeout
            state.set(ChannelState.RECONNECTING); // while the safe command waits for the gate
            log.await("Channel 'drive': could not write the safe command to fake drive (" + TRIP_WHY
                    + "): the device is RECONNECTING");
        }
        Await.until("the listeners were told", () -> events.size() == 1);
        assertEquals("drive WATCHDOG_TRIPPED: no command for longer than the feed timeout; the safe command could not be "
                + "written", events.get(0));
        assertEquals(List.of(), lost, "given up, not failed: the device is not lost again");
        driver.releaseWrites();
        assertTrue(get(first));
    }

    @Test
    void shouldNeitherWriteNorReportASafeCommandThatALatchedStopOvertook() throws Exception {
        safety();
        safety.arm(Duration.ofMillis(100), c -> c.value = SAFE);
        driver.hangWrites();
        Future<Boolean> first = write(1);
        driver.awaitWritesBegun(1);
        long t = System.nanoTime();
        safety.supervise(t + TimeUnit.SECONDS.toNanos(1), -1); // trip: the stop thread waits for the gate with it
        Thread stops = made.stream().filter(th -> th.getName().equals("twinlane-fast-drive-stops")).findFirst()
                .orElseThrow();
        Await.until("the stop thread waits for the gate with the safe command", () -> Arrays.stream(stops.getStackTrace())
                .anyMatch(f -> f.getClassName().equals(StopWriter.class.getName()) && f.getMethodName().equals("write")));
        long t2 = System.nanoTime();
        safety.feed(t2);
        safety.supervise(t2 + TimeUnit.SECONDS.toNanos(1), -1); // a second trip, queued behind the first
        ExecutorService app = Executors.newSingleThreadExecutor();
        try (LogCapture log = LogCapture.start()) {
            Future<Boolean> stopped = app.submit(() -> safety.emergencyStop(new LongBox(STOP))); // the application's thread
            Await.until("the stop is latched", safety::latched);
            driver.releaseWrites();
            assertTrue(get(stopped));
            assertTrue(get(first));
            assertEquals(List.of(), safety.stopThread(later()), "after its last outcome");
            assertFalse(log.has("could not write the safe command"), log.text());
        } finally {
            app.shutdownNow();
        }
        assertEquals(List.of(1L, SAFE, STOP), driver.written, "the stop stays the last word");
        assertEquals(List.of("drive WATCHDOG_TRIPPED: no command for longer than the feed timeout; the safe command was "
                + "written", "drive EMERGENCY_STOP: latched; the stop command was written to fake drive"), events);
        assertEquals(1, safety.safeCommandsWritten());
    }

    @Test
    void shouldAskToBeCheckedAsOftenAsItsTightestBoundNeeds() {
        assertEquals(125 * MS, safety(Duration.ofMillis(500), Duration.ZERO).supervise(System.nanoTime(), -1),
                "a quarter of the write timeout");
        assertEquals(MS, safety(Duration.ofMillis(2), Duration.ZERO).supervise(System.nanoTime(), -1), "at least 1 ms");
        long t = System.nanoTime();
        assertEquals(100 * MS, safety(Duration.ofMillis(500), Duration.ofMillis(400)).supervise(t, t),
                "a quarter of the age limit");
        ChannelSafety<LongBox> s = safety(Duration.ofMillis(500), Duration.ofMillis(400));
        s.arm(Duration.ofMillis(40), c -> c.value = SAFE);
        assertEquals(10 * MS, s.supervise(t, t), "a quarter of the feed timeout");
        safety.stopThread(later());
        ChannelSafety<LongBox> w = safety(Duration.ofMillis(20), Duration.ZERO);
        w.arm(Duration.ofMillis(400), c -> c.value = SAFE);
        assertEquals(5 * MS, w.supervise(System.nanoTime(), -1), "the write timeout's quarter is the tightest");
    }

    // ------------------------------------------------------------------ close

    @Test
    void shouldWriteTheSafeCommandAtCloseAndNoOrdinaryCommandAfterIt() throws Exception {
        safety();
        safety.arm(Duration.ofMinutes(1), c -> c.value = SAFE);
        try (LogCapture log = LogCapture.start()) {
            safety.beginClose();
            assertTrue(safety.awaitSafeAtClose(later()));
            log.await("Channel 'drive': safe command written to fake drive (channel closing)");
        }
        safety.beginClose();
        assertTrue(safety.awaitSafeAtClose(later()));
        assertEquals(List.of(SAFE), driver.written, "asked once, however often close begins");
        assertEquals(1, safety.safeCommandsWritten());
        assertFalse(get(write(1)), "sealed");
        assertEquals(List.of(), events, "no watchdog trip");
        assertEquals(List.of(SAFE), driver.written);
    }

    @Test
    void shouldAskNothingAtCloseWithoutAWatchdogOrWithALatchedStopOrAClosedDevice() throws Exception {
        safety();
        safety.beginClose();
        assertTrue(safety.awaitSafeAtClose(System.nanoTime()), "no safe command to wait for");
        safety.startStops();
        assertEquals(0, madeNamed("twinlane-fast-drive-stops"), "no stop thread once closing");
        assertEquals(List.of(), safety.stopThread(later()));
        assertFalse(get(write(1)), "sealed");

        safety();
        safety.arm(Duration.ofMinutes(1), c -> c.value = SAFE);
        assertTrue(safety.emergencyStop(new LongBox(STOP)));
        safety.beginClose();
        assertTrue(safety.awaitSafeAtClose(later()));
        assertEquals(List.of(STOP), driver.written, "the stop stays the last word");
        safety.stopThread(later());

        safety();
        safety.arm(Duration.ofMinutes(1), c -> c.value = SAFE);
        state.set(ChannelState.RECONNECTING);
        safety.beginClose();
        assertTrue(safety.awaitSafeAtClose(later()));
        assertEquals(List.of(STOP), driver.written);
    }

    @Test
    void shouldBoundTheWaitForTheSafeCommandAtClose() throws Exception {
        safety(Duration.ofMillis(20), Duration.ZERO);
        safety.arm(Duration.ofMinutes(1), c -> c.value = SAFE);
        driver.hangWrites();
        Future<Boolean> first = write(1);
        driver.awaitWritesBegun(1);
        safety.beginClose();
        assertFalse(safety.awaitSafeAtClose(System.nanoTime()), "the close's own deadline passed");
        assertFalse(safety.awaitSafeAtClose(later()), "twice the write timeout passed");
        driver.releaseWrites();
        assertTrue(get(first));
        Await.until("the safe command was written", () -> safety.safeCommandsWritten() == 1);
        assertTrue(safety.awaitSafeAtClose(later()));
    }

    @Test
    void shouldReturnAStopThreadThatOutlivesTheCloseDeadline() throws Exception {
        safety(Duration.ofMillis(20), Duration.ZERO);
        driver.ignoreInterrupts = true;
        driver.hangWrites();
        assertFalse(safety.emergencyStop(new LongBox(STOP)), "the stop's own write hangs");
        Thread stops = made.stream().filter(t -> t.getName().equals("twinlane-fast-drive-stops")).findFirst().orElseThrow();
        assertEquals(List.of(stops), safety.stopThread(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20)),
                "a write that ignores interrupts keeps the stop thread past the deadline: the close is told");
        driver.releaseWrites();
        stops.join(Await.HANG.toMillis());
        assertFalse(stops.isAlive());
        assertEquals(List.of(STOP), driver.written);
    }

    @Test
    void shouldGiveUpAStopWaitingForTheGateWhenTheStopThreadStops() throws Exception {
        safety(Duration.ofMillis(20), Duration.ZERO);
        driver.hangWrites();
        Future<Boolean> first = write(1);
        driver.awaitWritesBegun(1);
        assertFalse(safety.emergencyStop(new LongBox(STOP)));
        Thread stops = made.stream().filter(t -> t.getName().equals("twinlane-fast-drive-stops")).findFirst().orElseThrow();
        assertEquals(List.of(), safety.stopThread(later()));
        assertFalse(stops.isAlive());
        Await.until("the stop's outcome was told", () -> events.size() == 1);
        assertTrue(events.get(0).startsWith("drive EMERGENCY_STOP: latched, but "), events.get(0));
        assertEquals(List.of(), lost, "an interrupted stop does not mean the device is lost");
        driver.releaseWrites();
        assertTrue(get(first));
        assertEquals(List.of(1L), driver.written);
        safety = null;
    }
}
