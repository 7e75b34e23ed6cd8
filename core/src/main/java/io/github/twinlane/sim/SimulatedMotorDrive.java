package io.github.twinlane.sim;

import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.spi.CorruptDataException;
import io.github.twinlane.spi.ReadMode;
import java.io.IOException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A motor drive in software: takes velocity commands, and sends telemetry at a fixed rate from a
 * first-order motor model ({@code dv/dt = (setpoint - v) / tau}). Reads block until the next
 * sample is due, like a serial read, or, built with {@link #nonBlocking()}, return at once with
 * whatever sample is due (for a channel placed {@link io.github.twinlane.Placement#IN_LOOP}); a command takes effect after the configured latency and is
 * echoed in telemetry, so the app can measure its round trip. Inject faults through
 * {@link #faults()}.
 *
 * <p>Threading: as the driver SPI says: one reader, one writer, close from anywhere. Allocates
 * nothing per message.
 */
public final class SimulatedMotorDrive extends SimDevice<MotorCommand, MotorTelemetry> {
    private static final int QUEUE = 256;
    private final long periodNanos;
    private final double tauSeconds;
    private final long latencyNanos;
    private final SplittableRandom random = new SplittableRandom(42);
    private final boolean blocking;

    // commands in flight to the model: single-producer (writer) single-consumer (reader) ring
    private final double[] qVelocity = new double[QUEUE];
    private final long[] qSeq = new long[QUEUE];
    private final long[] qSent = new long[QUEUE];
    private final long[] qApplyAt = new long[QUEUE];
    private final AtomicLong qHead = new AtomicLong();
    private final AtomicLong qTail = new AtomicLong();
    private final AtomicLong commandsOverrun = new AtomicLong();

    // model state, reader thread only
    private double velocity;
    private double position;
    private double setpoint;
    private long lastSeq = -1;
    private long lastSent;
    private long sample;
    private long nextDue;
    private long lastModelNanos;
    private int burstLeft;
    private boolean firstHalfRead;
    private long availableAt;
    private int pendingBurst; // 0: the next sample's arrival is not drawn yet

    /** A 1 kHz drive, tau 50 ms, command latency 100 us. */
    public SimulatedMotorDrive() {
        this("sim-drive", 1000, Duration.ofMillis(50), Duration.ofNanos(100_000));
    }

    /**
     * A 1 kHz drive as {@link #SimulatedMotorDrive()} whose reads never wait: like a serial port read
     * with a zero timeout, {@code read} returns false until the next sample is due.
     *
     * @return the drive
     */
    public static SimulatedMotorDrive nonBlocking() {
        return new SimulatedMotorDrive("sim-drive", 1000, Duration.ofMillis(50), Duration.ofNanos(100_000), false);
    }

    /**
     * A drive.
     *
     * @param name its description
     * @param telemetryHz samples per second, 1 to 100,000
     * @param timeConstant the motor's time constant, more than 0
     * @param commandLatency from write to effect, 0 or more
     */
    public SimulatedMotorDrive(String name, int telemetryHz, Duration timeConstant, Duration commandLatency) {
        this(name, telemetryHz, timeConstant, commandLatency, true);
    }

    /**
     * A drive.
     *
     * @param name its description
     * @param telemetryHz samples per second, 1 to 100,000
     * @param timeConstant the motor's time constant, more than 0
     * @param commandLatency from write to effect, 0 or more
     * @param blockingReads whether {@code read} waits for the next sample ({@link ReadMode#BLOCKING}) or
     *     returns false until it is due ({@link ReadMode#NON_BLOCKING})
     */
    public SimulatedMotorDrive(String name, int telemetryHz, Duration timeConstant, Duration commandLatency,
                               boolean blockingReads) {
        super(name, MotorCommand.TYPE, MotorTelemetry.TYPE, blockingReads ? ReadMode.BLOCKING : ReadMode.NON_BLOCKING);
        this.blocking = blockingReads;
        if (telemetryHz < 1 || telemetryHz > 100_000) {
            throw new IllegalArgumentException("telemetryHz must be from 1 to 100000, was " + telemetryHz);
        }
        if (timeConstant == null || timeConstant.isNegative() || timeConstant.isZero()) {
            throw new IllegalArgumentException("timeConstant must be more than 0, was " + timeConstant);
        }
        if (commandLatency == null || commandLatency.isNegative()) {
            throw new IllegalArgumentException("commandLatency must be 0 or more, was " + commandLatency);
        }
        this.periodNanos = 1_000_000_000L / telemetryHz;
        this.tauSeconds = timeConstant.toNanos() / 1e9;
        this.latencyNanos = commandLatency.toNanos();
    }

    @Override
    public void open() throws IOException {
        markOpen();
        qTail.set(qHead.get());
        long now = System.nanoTime();
        nextDue = now + periodNanos;
        lastModelNanos = now;
        pendingBurst = 0;
        burstLeft = 0;
        firstHalfRead = false;
    }

    @Override
    public boolean read(MotorTelemetry into) throws IOException {
        enterRead();
        check();
        if (blocking) {
            SimClock.hangWhile(this);
        } else if (faults().hanging()) {
            return false;
        }
        if (faults().split() && !firstHalfRead) {
            if (!arrived(nextDue - periodNanos / 2)) {
                return false;
            }
            firstHalfRead = true;
            return false; // the first half of the message: nothing complete yet
        }
        if (burstLeft > 0) {
            burstLeft--;
        } else {
            if (pendingBurst == 0) { // drawn once per arrival, however often a non-blocking read polls
                pendingBurst = faults().burst();
                availableAt = nextDue + (long) (pendingBurst - 1) * periodNanos + faults().extraDelayNanos(random);
            }
            if (!arrived(availableAt)) {
                return false;
            }
            burstLeft = pendingBurst - 1;
            pendingBurst = 0;
        }
        firstHalfRead = false;
        nextDue += periodNanos;
        long now = System.nanoTime();
        if (now - nextDue > 100 * periodNanos) {
            nextDue = now + periodNanos; // a long hang: resume the schedule instead of a catch-up burst
        }
        step(now);
        into.sequence = sample++;
        into.velocity = velocity;
        into.position = position;
        into.setpoint = setpoint;
        into.lastCommandSequence = lastSeq;
        into.lastCommandSentNanos = lastSent;
        if (faults().takeGarbage()) {
            throw new CorruptDataException("simulated: telemetry frame " + into.sequence + " failed its checksum");
        }
        return true;
    }

    /** Blocking: waits until {@code at}, true. Non-blocking: whether {@code at} has come. */
    private boolean arrived(long at) throws IOException {
        if (blocking) {
            SimClock.waitUntil(at, this);
            return true;
        }
        check();
        return at - System.nanoTime() <= 0;
    }

    private void step(long now) {
        long tail = qTail.get();
        long head = qHead.get();
        while (tail < head) {
            int i = (int) (tail & (QUEUE - 1));
            if (qApplyAt[i] - now > 0) {
                break;
            }
            setpoint = qVelocity[i];
            lastSeq = qSeq[i];
            lastSent = qSent[i];
            tail++;
        }
        qTail.lazySet(tail);
        double dt = Math.min(0.1, (now - lastModelNanos) / 1e9);
        lastModelNanos = now;
        double a = 1 - Math.exp(-dt / tauSeconds);
        double v0 = velocity;
        velocity += (setpoint - velocity) * a;
        position += (v0 + velocity) * 0.5 * dt;
    }

    @Override
    public void write(MotorCommand command) throws IOException {
        check();
        long head = qHead.get();
        if (head - qTail.get() >= QUEUE) {
            commandsOverrun.incrementAndGet();
            return; // the drive's input buffer overran: a real drive loses the byte stream here too
        }
        int i = (int) (head & (QUEUE - 1));
        qVelocity[i] = command.velocity;
        qSeq[i] = command.sequence;
        qSent[i] = command.sentNanos;
        qApplyAt[i] = System.nanoTime() + latencyNanos;
        qHead.lazySet(head + 1);
    }

    /**
     * Commands the drive lost because its own input buffer was full (the app wrote faster than it
     * reads: 256 commands within one telemetry period).
     *
     * @return the count
     */
    public long commandsOverrun() {
        return commandsOverrun.get();
    }

    @Override
    public void close() {
        markClosed();
    }
}
