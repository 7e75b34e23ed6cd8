package io.github.twinlane.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.LongBox;
import io.github.twinlane.NoCommand;
import io.github.twinlane.Placement;
import io.github.twinlane.cycle.IdleStrategy;
import io.github.twinlane.spi.AbstractDeviceDriver;
import io.github.twinlane.spi.ReadMode;
import io.github.twinlane.test.Await;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runtime's supervisor: its thread starts with the first watched channel and stops with it; each
 * pass checks every watched channel, survives one whose check throws, and sleeps until the tightest
 * channel's next check (at most 100 ms). Passes are run by the test where it reads the chosen sleep.
 */
class SupervisorTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long HANG = Await.HANG.toNanos();
    private static final IdleStrategy NO_IDLE = new IdleStrategy() {
        @Override
        public void idle() {
        }

        @Override
        public void reset() {
        }
    };

    /** When set, threads made start running only once it opens. */
    private volatile CountDownLatch startGate;
    private final List<Thread> made = new CopyOnWriteArrayList<>();
    private volatile boolean factoryBroken;
    private final LaneThreads threads = new LaneThreads(r -> {
        if (factoryBroken) {
            return null;
        }
        CountDownLatch gate = startGate;
        Thread t = new Thread(gate == null ? r : () -> {
            awaitUninterruptibly(gate);
            r.run();
        });
        t.setDaemon(true);
        made.add(t);
        return t;
    }, lane -> { });

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                if (latch.await(Await.HANG.toSeconds(), TimeUnit.SECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
    private final List<ChannelCore<?, ?>> channels = new ArrayList<>();

    @AfterEach
    void closeChannels() {
        factoryBroken = false;
        for (ChannelCore<?, ?> ch : channels) {
            ch.close();
        }
    }

    private FastChannel<LongBox, LongBox> drive(String name, FakeDevice device, Duration writeTimeout, Supervisor sup) {
        FastChannel<LongBox, LongBox> ch = new FastChannel<>(ChannelConfig.fast(name).placement(Placement.IN_LOOP)
                .writeTimeout(writeTimeout).build(), device, threads, TimeUnit.SECONDS.toNanos(10), sup, NO_IDLE, new MemoryBudget(0));
        channels.add(ch);
        return ch;
    }

    private FastChannel<NoCommand, LongBox> camera(String name, Duration maxDataAge, Supervisor sup) {
        AbstractDeviceDriver<NoCommand, LongBox> driver = new AbstractDeviceDriver<>(name, NoCommand.TYPE, LongBox.TYPE,
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
        FastChannel<NoCommand, LongBox> ch = new FastChannel<>(ChannelConfig.fast(name).placement(Placement.IN_LOOP)
                .maxDataAge(maxDataAge).build(), driver, threads, TimeUnit.SECONDS.toNanos(10), sup, NO_IDLE, new MemoryBudget(0));
        channels.add(ch);
        return ch;
    }

    /** The supervisor's chosen sleep after its last pass (private: it only sets its own thread's park). */
    private static long sleepNanos(Supervisor sup) throws ReflectiveOperationException {
        Field f = Supervisor.class.getDeclaredField("sleepNanos");
        f.setAccessible(true);
        return f.getLong(sup);
    }

    /** A supervisor whose thread never starts: the test runs its passes. */
    private Supervisor passive() {
        Supervisor sup = new Supervisor(threads);
        assertEquals(List.of(), sup.stop(System.nanoTime()), "never started: nothing to stop");
        return sup;
    }

    private long madeNamed(String name) {
        return made.stream().filter(t -> t.getName().equals(name)).count();
    }

    @Test
    void shouldStartItsThreadAtTheFirstWatchedChannelAndStopIt() throws Exception {
        Supervisor sup = new Supervisor(threads);
        assertEquals(0, made.size());
        FakeDevice device = new FakeDevice("drive");
        FastChannel<LongBox, LongBox> ch = drive("drive", device, Duration.ofSeconds(10), sup);
        assertEquals(1, madeNamed("twinlane-fast-runtime-supervisor"), "a channel that takes commands is watched");
        drive("other", new FakeDevice("other"), Duration.ofSeconds(10), sup);
        assertEquals(1, madeNamed("twinlane-fast-runtime-supervisor"), "one thread for every channel");
        Thread thread = made.stream().filter(t -> t.getName().equals("twinlane-fast-runtime-supervisor")).findFirst()
                .orElseThrow();

        // the thread checks the channels: a watchdog whose feed stalls trips
        ch.readIn(); // the loop's read half opens the device
        Await.until("the drive opened", () -> ch.state() == ChannelState.OPEN, () -> String.valueOf(ch.state()));
        ch.watchdog(Duration.ofMillis(1), c -> c.value = -1);
        Await.until("the watchdog tripped", () -> device.written.contains(-1L), device.written::toString);

        assertEquals(List.of(), sup.stop(System.nanoTime() + HANG));
        assertFalse(thread.isAlive());
        drive("late", new FakeDevice("late"), Duration.ofSeconds(10), sup);
        assertEquals(1, madeNamed("twinlane-fast-runtime-supervisor"), "stopped: a later channel starts no thread");
        assertEquals(List.of(), sup.stop(System.nanoTime() + HANG));
    }

    @Test
    void shouldKeepCheckingWhileAListenerBlocksAndReportTheNotifierWhenItOutlivesTheStopDeadline() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        startGate = started; // the supervisor checks nothing before the listener is added
        Supervisor sup = new Supervisor(threads);
        FastChannel<NoCommand, LongBox> cam = camera("cam", Duration.ofMillis(1), sup);
        startGate = null;
        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        cam.onFreshness((channel, fresh, age) -> { // breaks the listeners' contract: blocks, deaf to interrupts
            inListener.countDown();
            awaitUninterruptibly(release);
        });
        started.countDown();
        assertTrue(inListener.await(Await.HANG.toSeconds(), TimeUnit.SECONDS), "the camera's data went stale");

        // the listener holds the notifier, not the supervisor: another channel's watchdog still trips
        FakeDevice device = new FakeDevice("drive");
        FastChannel<LongBox, LongBox> drive = drive("drive", device, Duration.ofSeconds(10), sup);
        drive.readIn();
        Await.until("the drive opened", () -> drive.state() == ChannelState.OPEN, () -> String.valueOf(drive.state()));
        drive.watchdog(Duration.ofMillis(1), c -> c.value = -1);
        Await.until("the watchdog tripped while a listener blocks", () -> device.written.contains(-1L),
                device.written::toString);

        Thread notifier = made.stream().filter(t -> t.getName().equals("twinlane-slow-runtime-notify")).findFirst()
                .orElseThrow();
        Thread supervisor = made.stream().filter(t -> t.getName().equals("twinlane-fast-runtime-supervisor"))
                .findFirst().orElseThrow();
        assertEquals(List.of(notifier), sup.stop(System.nanoTime() + 20 * MS), "still in the listener: reported");
        assertFalse(supervisor.isAlive(), "the supervisor itself stopped in time");
        release.countDown();
        notifier.join(TimeUnit.NANOSECONDS.toMillis(HANG));
        assertFalse(notifier.isAlive());
    }

    @Test
    void shouldRunListenerCallsInOrderAndDropAndCountThemPastItsQueueOrOnceStopped() throws Exception {
        Supervisor sup = new Supervisor(threads);
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> ran = new CopyOnWriteArrayList<>();
        sup.notify(() -> {
            inFirst.countDown();
            awaitUninterruptibly(release);
        });
        assertTrue(inFirst.await(Await.HANG.toSeconds(), TimeUnit.SECONDS), "the notifier runs the first call");
        try (LogCapture log = LogCapture.start()) {
            for (int i = 0; i < 256 + 10; i++) { // 256 wait; the 10 past that are dropped
                int n = i;
                sup.notify(() -> ran.add(n));
            }
            assertEquals(10, sup.notificationsDropped(), "dropped past the queue, counted");
            assertTrue(log.has("a freshness notification was dropped (#1, 1 since the last such line)"), log.text());
            assertFalse(log.has("a freshness notification was dropped (#2,"), "one line per 10 s, not one per drop");
        }
        release.countDown();
        Await.until("every queued call ran", () -> ran.size() == 256, () -> String.valueOf(ran.size()));
        for (int i = 0; i < 256; i++) {
            assertEquals(i, ran.get(i), "in order");
        }
        assertEquals(List.of(), sup.stop(System.nanoTime() + HANG));
        sup.notify(() -> ran.add(-1));
        assertEquals(11, sup.notificationsDropped(), "stopped: dropped and counted");
        assertEquals(256, ran.size());
    }

    @Test
    void shouldParkItsNotifierWhileNoCallWaits() {
        Supervisor sup = new Supervisor(threads);
        CountDownLatch ran = new CountDownLatch(1);
        sup.notify(ran::countDown);
        Await.until("the call ran", () -> ran.getCount() == 0);
        Thread notifier = made.stream().filter(t -> t.getName().equals("twinlane-slow-runtime-notify")).findFirst()
                .orElseThrow();
        // a notifier that spins is never seen parked
        Await.until("the notifier parks", () -> notifier.getState() == Thread.State.TIMED_WAITING,
                () -> notifier.getState().toString());
        assertEquals(List.of(), sup.stop(System.nanoTime() + HANG));
    }

    @Test
    void shouldSleepUntilTheTightestWatchedChannelsNextCheck() throws Exception {
        Supervisor sup = passive();
        assertEquals(100 * MS, sleepNanos(sup), "at most 100 ms");
        FastChannel<LongBox, LongBox> slow = drive("slow", new FakeDevice("slow"), Duration.ofMillis(200), sup);
        assertEquals(0, sup.doWork());
        assertEquals(50 * MS, sleepNanos(sup), "a quarter of the write timeout");
        FastChannel<NoCommand, LongBox> cam = camera("cam", Duration.ofMillis(40), sup);
        sup.doWork();
        assertEquals(10 * MS, sleepNanos(sup), "the tightest: a quarter of the camera's age limit");
        sup.forget(cam);
        sup.doWork();
        assertEquals(50 * MS, sleepNanos(sup), "forgotten: no longer checked");
        sup.forget(slow);
        sup.doWork();
        assertEquals(100 * MS, sleepNanos(sup), "nothing watched: the longest sleep");
        FastChannel<LongBox, LongBox> lazy = drive("lazy", new FakeDevice("lazy"), Duration.ofSeconds(60), sup);
        sup.doWork();
        assertEquals(100 * MS, sleepNanos(sup), "a channel that wants checks less often still sleeps at most 100 ms");
        sup.forget(lazy);
    }

    @Test
    void shouldIgnoreAChannelThatWantsNoChecks() throws Exception {
        Supervisor sup = passive();
        FastChannel<NoCommand, LongBox> cam = camera("cam", Duration.ZERO, sup);
        sup.watch(cam); // takes no commands and has no age limit: it wants no checks
        sup.watch(cam);
        sup.doWork();
        assertEquals(100 * MS, sleepNanos(sup));
        FastChannel<LongBox, LongBox> closed = drive("closed", new FakeDevice("closed"), Duration.ofMillis(500), sup);
        closed.close();
        sup.watch(closed); // a closing channel wants no checks
        sup.doWork();
        assertEquals(100 * MS, sleepNanos(sup));
    }

    @Test
    void shouldKeepWatchingTheOthersWhenOneChannelsCheckThrows() throws Exception {
        Supervisor sup = passive();
        FakeDevice stuckDevice = new FakeDevice("stuck");
        FastChannel<LongBox, LongBox> stuck = drive("stuck", stuckDevice, Duration.ofMillis(1), sup);
        camera("cam", Duration.ofMillis(40), sup);
        stuck.readIn();
        Await.until("the drive opened", () -> stuck.state() == ChannelState.OPEN);
        stuckDevice.hangWrites();
        stuck.send(new LongBox(1));
        Thread writer = new Thread(stuck::writeOut, "test-writer");
        writer.setDaemon(true);
        writer.start();
        stuckDevice.awaitWritesBegun(1);
        long began = System.nanoTime();
        Await.until("the write is stuck past its timeout", () -> System.nanoTime() - began > 5 * MS);
        factoryBroken = true; // the stuck channel's check cannot start the thread that unblocks it: it throws
        try (LogCapture log = LogCapture.start()) {
            sup.doWork();
            assertTrue(log.has("Supervisor: checking channel 'stuck' failed; it keeps watching the others"), log.text());
        }
        assertEquals(10 * MS, sleepNanos(sup), "the camera was still checked");
        factoryBroken = false;
        stuckDevice.releaseWrites();
        writer.join(TimeUnit.NANOSECONDS.toMillis(HANG));
        assertFalse(writer.isAlive());
    }
}
