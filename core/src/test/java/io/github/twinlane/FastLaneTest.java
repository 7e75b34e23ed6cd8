package io.github.twinlane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.test.Await;
import io.github.twinlane.test.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fast channel's contract, once per {@link Placement}: on threads of its own, and driven by a
 * periodic loop (the loop's task does nothing; the channel's reads, handlers and writes are the loop's).
 */
class FastLaneTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final TwinlaneRuntime rt = TwinlaneRuntime.builder().build();

    /** Opens a fast channel placed as asked; in a loop, starts a 5 kHz loop named "ctl" that drives it. */
    private <C, T> DeviceChannel<C, T> open(Placement where, ChannelConfig.FastBuilder cfg,
                                            io.github.twinlane.spi.DeviceDriver<C, T> driver, DataHandler<T> handler) {
        DeviceChannel<C, T> ch = rt.open(cfg.placement(where).build(), driver, handler);
        if (where == Placement.IN_LOOP) {
            rt.every(LoopConfig.of("ctl-" + ch.name(), Duration.ofNanos(200_000)), cycle -> { }, ch);
        }
        return ch;
    }

    private <C, T> DeviceChannel<C, T> open(Placement where, ChannelConfig.FastBuilder cfg,
                                            io.github.twinlane.spi.DeviceDriver<C, T> driver) {
        return open(where, cfg, driver, null);
    }

    /** The simulated 1 kHz drive, with reads that never wait when a loop reads it. */
    private static SimulatedMotorDrive sim(Placement where) {
        return where == Placement.IN_LOOP ? SimulatedMotorDrive.nonBlocking() : new SimulatedMotorDrive();
    }

    @AfterEach
    void close() {
        rt.close();
        assertEquals(List.of(), rt.liveThreads(), "no thread of ours survives close");
    }

    @ParameterizedTest
    @EnumSource(Placement.class)
    void shouldOpenOnTheReaderThreadAndDeliverTelemetryToHandlersAndLatest(Placement where) {
        SimulatedMotorDrive sim = sim(where);
        DeviceChannel<MotorCommand, MotorTelemetry> drive = open(where, ChannelConfig.fast("drive"), sim);
        AtomicLong seen = new AtomicLong();
        List<String> threads = new CopyOnWriteArrayList<>();
        drive.subscribe((t, at) -> {
            seen.incrementAndGet();
            if (threads.isEmpty()) {
                threads.add(Thread.currentThread().getName());
            }
        });
        Await.until("telemetry flows", WAIT, () -> seen.get() > 50);
        assertEquals(ChannelState.OPEN, drive.state());
        assertEquals(where == Placement.IN_LOOP ? "twinlane-fast-ctl-drive-loop" : "twinlane-fast-drive-dispatch",
                threads.get(0));
        MotorTelemetry now = new MotorTelemetry();
        assertTrue(drive.latest(now));
        assertTrue(now.sequence > 0);
        assertTrue(drive.latestNanos() > 0);
    }

    @ParameterizedTest
    @EnumSource(Placement.class)
    void shouldApplyCommandsAndEchoThemForRoundTripMeasurement(Placement where) {
        DeviceChannel<MotorCommand, MotorTelemetry> drive = open(where, ChannelConfig.fast("drive"),
                sim(where));
        Await.until("open", WAIT, () -> drive.state() == ChannelState.OPEN);
        MotorCommand cmd = new MotorCommand();
        cmd.sequence = 7;
        cmd.velocity = 10;
        cmd.sentNanos = System.nanoTime();
        assertEquals(SendResult.ACCEPTED, drive.send(cmd));
        MotorTelemetry t = new MotorTelemetry();
        Await.until("command echoed", WAIT, () -> drive.latest(t) && t.lastCommandSequence == 7);
        assertEquals(cmd.sentNanos, t.lastCommandSentNanos);
        Await.until("motor accelerates", WAIT, () -> drive.latest(t) && t.velocity > 1);
        assertEquals(10.0, t.setpoint);
        assertEquals(1, drive.stats().commandsWritten());
    }

    @ParameterizedTest
    @EnumSource(Placement.class)
    void shouldReconnectAfterUnplugAndDropCommandsSentWhileDisconnected(Placement where) {
        SimulatedMotorDrive sim = sim(where);
        DeviceChannel<MotorCommand, MotorTelemetry> drive = open(where, ChannelConfig.fast("drive")
                .backoff(new Backoff(Duration.ofMillis(5), Duration.ofMillis(20))), sim);
        List<ChannelState> states = Collections.synchronizedList(new ArrayList<>());
        drive.onStateChange((name, from, to, cause) -> states.add(to));
        Await.until("open", WAIT, () -> drive.state() == ChannelState.OPEN);
        sim.faults().unplug();
        Await.until("reconnecting", WAIT, () -> drive.state() == ChannelState.RECONNECTING);
        assertEquals(SendResult.DROPPED_NOT_OPEN, drive.send(new MotorCommand()));
        sim.faults().replug();
        Await.until("reopened", WAIT, () -> drive.state() == ChannelState.OPEN);
        ChannelStats s = drive.stats();
        assertEquals(1, s.reconnects());
        assertTrue(s.driverErrors() >= 1);
        assertEquals(1, s.commandsDropped());
        // the listener may or may not have seen the first OPEN (it was added after open() returned)
        assertEquals(List.of(ChannelState.RECONNECTING, ChannelState.OPEN), states.subList(states.size() - 2, states.size()));
    }

    @ParameterizedTest
    @EnumSource(Placement.class)
    void shouldKeepTheLaneRunningWhenAHandlerThrows(Placement where) {
        DeviceChannel<MotorCommand, MotorTelemetry> drive = open(where, ChannelConfig.fast("drive"),
                sim(where));
        AtomicLong calls = new AtomicLong();
        drive.subscribe((t, at) -> {
            calls.incrementAndGet();
            throw new IllegalStateException("handler bug");
        });
        Await.until("many deliveries despite the exceptions", WAIT, () -> calls.get() > 20);
        assertTrue(drive.stats().handlerErrors() >= 20);
        assertEquals(ChannelState.OPEN, drive.state());
    }

    @ParameterizedTest
    @EnumSource(Placement.class)
    void shouldCountCorruptReadsWithoutReconnecting(Placement where) {
        SimulatedMotorDrive sim = sim(where);
        DeviceChannel<MotorCommand, MotorTelemetry> drive = open(where, ChannelConfig.fast("drive"), sim);
        Await.until("open", WAIT, () -> drive.state() == ChannelState.OPEN);
        sim.faults().garbage(5);
        Await.until("five corrupt reads", WAIT, () -> drive.stats().corruptReads() == 5);
        assertEquals(0, drive.stats().reconnects());
        assertEquals(ChannelState.OPEN, drive.state());
    }

    @ParameterizedTest
    @EnumSource(Placement.class)
    void shouldCloseWithinTheBoundWhenAReadHangs(Placement where) {
        SimulatedMotorDrive sim = sim(where);
        DeviceChannel<MotorCommand, MotorTelemetry> drive = open(where, ChannelConfig.fast("drive"), sim);
        Await.until("open", WAIT, () -> drive.state() == ChannelState.OPEN);
        sim.faults().hang();
        drive.close(); // returns: a hung read does not hold close (the bound itself is the close timeout's)
        assertEquals(ChannelState.CLOSED, drive.state());
        assertFalse(Threads.twinlane().stream().anyMatch(t -> t.getName().startsWith("twinlane-fast-drive-")));
    }

    @ParameterizedTest
    @EnumSource(Placement.class)
    void shouldPreserveOrderAndAccountForEveryValueUnderEachPolicy(Placement where) {
        for (BackpressurePolicy policy : BackpressurePolicy.values()) {
            CountingDriver dev = new CountingDriver(20_000, io.github.twinlane.spi.ReadMode.NON_BLOCKING, 0);
            List<Long> got = new ArrayList<>();
            DeviceChannel<LongBox, LongBox> ch = open(where, ChannelConfig.fast("count-" + policy).capacity(64)
                    .dataPolicy(policy).blockTimeout(Duration.ofMillis(1)), dev, (v, at) -> {
                got.add(v.value);
                if (v.value % 1000 == 0) {
                    Thread.sleep(1); // a slow consumer now and then, so the ring fills
                }
            });
            Await.until("all read", WAIT, () -> dev.produced.get() == 20_000);
            Await.until("quiet", WAIT, () -> {
                ChannelStats s = ch.stats();
                return s.dataReceived() == s.dataDelivered() + s.dataDropped();
            }, () -> ch.stats().toString());
            ch.close();
            ChannelStats s = ch.stats();
            assertEquals(20_000, s.dataReceived(), policy.name());
            assertEquals(s.dataReceived(), s.dataDelivered() + s.dataDropped(), policy + ": " + s);
            for (int i = 1; i < got.size(); i++) {
                assertTrue(got.get(i) > got.get(i - 1), policy + " out of order at " + i);
            }
            if (policy == BackpressurePolicy.DROP_NEWEST || policy == BackpressurePolicy.BLOCK) {
                assertEquals(0L, got.get(0), policy + " delivers the device's first value");
            }
            if (policy == BackpressurePolicy.LATEST || policy == BackpressurePolicy.DROP_OLDEST) {
                assertEquals(19_999L, got.get(got.size() - 1), policy + " ends on the newest value");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Placement.class)
    void shouldCountCommandsThatFailToWriteAndReconnect(Placement where) {
        CountingDriver dev = new CountingDriver(0, io.github.twinlane.spi.ReadMode.NON_BLOCKING, 0);
        DeviceChannel<LongBox, LongBox> ch = open(where, ChannelConfig.fast("writes")
                .backoff(new Backoff(Duration.ofMillis(5), Duration.ofMillis(10))), dev);
        Await.until("open", WAIT, () -> ch.state() == ChannelState.OPEN);
        dev.failWrites.set(true);
        assertEquals(SendResult.ACCEPTED, ch.send(new LongBox(1)));
        Await.until("write failed", WAIT, () -> ch.stats().commandsFailed() == 1);
        dev.failWrites.set(false);
        Await.until("reopened", WAIT, () -> ch.state() == ChannelState.OPEN && ch.stats().reconnects() == 1);
        assertEquals(SendResult.ACCEPTED, ch.send(new LongBox(2)));
        // counted once the write returned: the device holds the command a moment before the channel counts it
        Await.until("written and counted", WAIT, () -> dev.written.contains(2L) && ch.stats().commandsWritten() == 1);
        ChannelStats s = ch.stats();
        assertEquals(s.commandsSent(), s.commandsWritten() + s.commandsFailed() + s.commandsDropped(), s.toString());
    }
}
