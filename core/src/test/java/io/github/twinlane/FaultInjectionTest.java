package io.github.twinlane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.sim.SimulatedCamera;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.test.Await;
import io.github.twinlane.test.Threads;
import io.github.twinlane.video.PixelFormat;
import io.github.twinlane.video.VideoFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Faults injected into simulated devices (the pty and ffmpeg rigs do the same in the driver modules).
 * For every case: no exception reaches an application thread, no lane thread dies, state transitions
 * are reported, counters are exact, close() finishes within its bound and no thread of ours survives.
 */
class FaultInjectionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration CLOSE = Duration.ofSeconds(2);

    /** The application side of a case: senders whose exceptions are caught and kept. */
    static final class App {
        final List<Throwable> thrown = new CopyOnWriteArrayList<>();
        final List<ChannelState> states = new CopyOnWriteArrayList<>();
        final AtomicBoolean sending = new AtomicBoolean(true);
        final List<Thread> senders = new ArrayList<>();

        <C> void send(DeviceChannel<C, ?> ch, java.util.function.Supplier<C> make, int threads) {
            for (int i = 0; i < threads; i++) {
                Thread t = new Thread(() -> {
                    C c = make.get();
                    try {
                        while (sending.get()) {
                            ch.send(c);
                            Thread.onSpinWait();
                            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                        }
                    } catch (Throwable e) {
                        thrown.add(e);
                    }
                }, "app-sender-" + i);
                t.start();
                senders.add(t);
            }
        }

        void stop() throws InterruptedException {
            sending.set(false);
            for (Thread t : senders) {
                t.join(5000);
            }
        }
    }

    /**
     * @param laneThreads the runtime's threads: a fast drive has a reader, dispatcher, writer and stop
     *     thread, and with it the runtime's supervisor (which watches every channel that takes commands)
     */
    static void invariants(TwinlaneRuntime rt, App app, List<DeviceChannel<?, ?>> chans, int laneThreads) throws Exception {
        assertEquals(laneThreads, rt.liveThreads().size(), "no lane thread died: " + rt.liveThreads());
        // close() returns although devices hang (the bound here only catches a hang; the close timeout is the real one)
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Await.HANG, rt::close, "close() returned");
        app.stop();
        assertEquals(List.of(), rt.liveThreads(), "no thread of ours survives close");
        assertEquals(List.of(), Threads.twinlane());
        assertEquals(List.of(), app.thrown, "no exception reached the application");
        for (DeviceChannel<?, ?> ch : chans) {
            ChannelStats s = ch.stats();
            assertEquals(s.commandsSent(), s.commandsWritten() + s.commandsFailed() + s.commandsDropped(), s.toString());
            assertEquals(s.dataReceived(), s.dataDelivered() + s.dataDropped(), s.toString());
            assertEquals(ChannelState.CLOSED, ch.state());
        }
        assertEquals(ChannelState.CLOSED, app.states.get(app.states.size() - 1), "the close was reported: " + app.states);
    }

    static TwinlaneRuntime runtime() {
        return TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).closeTimeout(CLOSE).stallThreshold(Duration.ofMillis(50)).build();
    }

    static DeviceChannel<MotorCommand, MotorTelemetry> drive(TwinlaneRuntime rt, SimulatedMotorDrive sim, App app,
                                                              ChannelConfig.Builder<?> cfg) {
        DeviceChannel<MotorCommand, MotorTelemetry> d = rt.open(cfg.backoff(new Backoff(Duration.ofMillis(2),
                Duration.ofMillis(10))).build(), sim);
        d.onStateChange((n, from, to, cause) -> app.states.add(to));
        Await.until("open", WAIT, () -> d.state() == ChannelState.OPEN);
        return d;
    }

    @Test
    void shouldSurviveADisconnectInTheMiddleOfWrites() throws Exception {
        TwinlaneRuntime rt = runtime();
        App app = new App();
        SimulatedMotorDrive sim = new SimulatedMotorDrive();
        DeviceChannel<MotorCommand, MotorTelemetry> d = drive(rt, sim, app, ChannelConfig.fast("drive"));
        app.send(d, MotorCommand::new, 2);
        Await.until("writes flow", WAIT, () -> d.stats().commandsWritten() > 100);
        sim.faults().unplug();
        Await.until("reconnecting", WAIT, () -> d.state() == ChannelState.RECONNECTING);
        sim.faults().replug();
        Await.until("open again", WAIT, () -> d.state() == ChannelState.OPEN && d.stats().reconnects() == 1);
        long w = d.stats().commandsWritten();
        Await.until("writes flow again", WAIT, () -> d.stats().commandsWritten() > w + 100);
        assertTrue(app.states.containsAll(List.of(ChannelState.RECONNECTING, ChannelState.OPEN)));
        invariants(rt, app, List.of(d), 3 + 2);
    }

    @Test
    void shouldCountGarbageFromTheDeviceAndKeepReading() throws Exception {
        TwinlaneRuntime rt = runtime();
        App app = new App();
        SimulatedMotorDrive sim = new SimulatedMotorDrive();
        DeviceChannel<MotorCommand, MotorTelemetry> d = drive(rt, sim, app, ChannelConfig.fast("drive"));
        sim.faults().garbage(50);
        Await.until("50 corrupt reads", WAIT, () -> d.stats().corruptReads() == 50);
        long r = d.stats().dataReceived();
        Await.until("reading goes on", WAIT, () -> d.stats().dataReceived() > r + 50);
        assertEquals(0, d.stats().reconnects());
        invariants(rt, app, List.of(d), 3 + 2);
    }

    @Test
    void shouldReassembleSplitAndMergedReadsInOrder() throws Exception {
        TwinlaneRuntime rt = runtime();
        App app = new App();
        SimulatedMotorDrive sim = new SimulatedMotorDrive();
        List<Long> seqs = new CopyOnWriteArrayList<>();
        DeviceChannel<MotorCommand, MotorTelemetry> d = rt.open(ChannelConfig.fast("drive")
                .dataPolicy(BackpressurePolicy.BLOCK).build(), sim, (t, at) -> seqs.add(t.sequence));
        d.onStateChange((n, from, to, cause) -> app.states.add(to));
        sim.faults().split(true);
        Await.until("split reads deliver", WAIT, () -> seqs.size() > 50);
        sim.faults().split(false).burst(10); // then ten messages at once
        int before = seqs.size();
        Await.until("merged reads deliver", WAIT, () -> seqs.size() > before + 100);
        for (int i = 1; i < seqs.size(); i++) {
            assertEquals(seqs.get(i - 1) + 1, seqs.get(i), "in order, none lost");
        }
        invariants(rt, app, List.of(d), 3 + 2);
    }

    @Test
    void shouldCloseInBoundedTimeWhenANativeReadNeverReturns() throws Exception {
        TwinlaneRuntime rt = runtime();
        App app = new App();
        SimulatedCamera cam = new SimulatedCamera("c", 64, 48, 30, PixelFormat.GRAY8, Duration.ZERO);
        DeviceChannel<NoCommand, VideoFrame> c = rt.open(ChannelConfig.slow("cam").build(), cam);
        c.onStateChange((n, from, to, cause) -> app.states.add(to));
        Await.until("frames", WAIT, () -> c.stats().dataReceived() > 3);
        cam.faults().hang();
        invariants(rt, app, List.of(c), 2);
    }

    @Test
    void shouldKeepBothLanesRunningWhenHandlersThrowOrBlockForSeconds() throws Exception {
        TwinlaneRuntime rt = runtime();
        App app = new App();
        SimulatedMotorDrive sim = new SimulatedMotorDrive();
        DeviceChannel<MotorCommand, MotorTelemetry> d = drive(rt, sim, app, ChannelConfig.fast("drive"));
        d.subscribe((t, at) -> {
            throw new IllegalStateException("bug in a fast handler");
        });
        AtomicLong other = new AtomicLong();
        AtomicBoolean blockOnce = new AtomicBoolean(true);
        DeviceChannel<NoCommand, VideoFrame> slowBlocker = rt.open(ChannelConfig.slow("blocker").build(),
                new SimulatedCamera("b", 64, 48, 30, PixelFormat.GRAY8, Duration.ZERO), (f, at) -> {
                    if (blockOnce.getAndSet(false)) {
                        Thread.sleep(1500); // holds the loop thread for seconds
                    }
                });
        DeviceChannel<NoCommand, VideoFrame> neighbour = rt.open(ChannelConfig.slow("neighbour").build(),
                new SimulatedCamera("n", 64, 48, 30, PixelFormat.GRAY8, Duration.ZERO), (f, at) -> other.incrementAndGet());
        Await.until("the stall is over and counted", WAIT, () -> slowBlocker.stats().handlerStalls() == 1);
        long o = other.get();
        Await.until("the neighbour on the same loop delivers again", WAIT, () -> other.get() > o + 10);
        Await.until("fast handler errors counted", WAIT, () -> d.stats().handlerErrors() > 100);
        invariants(rt, app, List.of(d, slowBlocker, neighbour), 3 + 2 + 2 + 1);
    }

    @Test
    void shouldCountEveryDropWhenTheRingIsFull() throws Exception {
        TwinlaneRuntime rt = runtime();
        App app = new App();
        SimulatedMotorDrive sim = new SimulatedMotorDrive("fast", 20_000, Duration.ofMillis(50), Duration.ZERO);
        DeviceChannel<MotorCommand, MotorTelemetry> d = drive(rt, sim, app, ChannelConfig.fast("drive").capacity(8)
                .dataPolicy(BackpressurePolicy.DROP_NEWEST));
        d.subscribe((t, at) -> Thread.sleep(1)); // 1,000/s consumer, 20,000/s device
        Await.until("drops", WAIT, () -> d.stats().dataDropped() > 1000);
        invariants(rt, app, List.of(d), 3 + 2);
    }

    @Test
    void shouldAccountForEverySendThatRacesClose() throws Exception {
        for (int round = 0; round < 20; round++) {
            TwinlaneRuntime rt = runtime();
            App app = new App();
            DeviceChannel<MotorCommand, MotorTelemetry> d = drive(rt, new SimulatedMotorDrive(), app,
                    ChannelConfig.fast("drive").commandPolicy(BackpressurePolicy.values()[round % 4]).capacity(16));
            app.send(d, MotorCommand::new, 3);
            Thread.sleep(round % 5);
            invariants(rt, app, List.of(d), 3 + 2); // closes while three threads send
        }
    }

    @Test
    void shouldRideOutAReconnectStorm() throws Exception {
        TwinlaneRuntime rt = runtime();
        App app = new App();
        SimulatedMotorDrive sim = new SimulatedMotorDrive();
        DeviceChannel<MotorCommand, MotorTelemetry> d = drive(rt, sim, app, ChannelConfig.fast("drive"));
        app.send(d, MotorCommand::new, 1);
        for (int i = 0; i < 30; i++) {
            sim.faults().unplug();
            Await.until("down " + i, WAIT, () -> d.state() == ChannelState.RECONNECTING);
            sim.faults().replug();
            Await.until("up " + i, WAIT, () -> d.state() == ChannelState.OPEN);
        }
        assertEquals(30, d.stats().reconnects());
        assertEquals(30, app.states.stream().filter(s -> s == ChannelState.RECONNECTING).count());
        invariants(rt, app, List.of(d), 3 + 2);
    }
}
