package io.github.twinlane.examples;

import io.github.twinlane.LoopTask;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.record.LoopClock;
import io.github.twinlane.record.LoopInput;
import io.github.twinlane.record.LoopOutput;
import java.util.function.LongConsumer;

/**
 * The demo's control cycle, written against {@link LoopInput}, {@link LoopOutput} and {@link LoopClock} so
 * that the same class runs live (the drive's channel, recorded or not) and in a deterministic replay
 * ({@link ReplayLoop}): a sine velocity setpoint of ±20 rad/s followed with a proportional term. It
 * allocates nothing and reads its time only from the clock, so a replay computes exactly the same
 * commands. The loop's thread only.
 */
public final class DemoController implements LoopTask {
    private final LoopInput<MotorTelemetry> telemetry;
    private final LoopOutput<MotorCommand> command;
    private final LoopClock clock;
    private final double gain;
    private final LongConsumer roundTrip;
    private final MotorTelemetry now = new MotorTelemetry();
    private final MotorCommand cmd = new MotorCommand();
    private long lastEcho = -1;

    /**
     * @param telemetry the drive's newest telemetry
     * @param command where the drive's commands go
     * @param clock the cycle's time
     * @param gain the proportional gain (the demo uses 0.5)
     * @param roundTrip gets each command's round trip, in ns, when the drive echoes it (live only)
     */
    public DemoController(LoopInput<MotorTelemetry> telemetry, LoopOutput<MotorCommand> command, LoopClock clock,
                          double gain, LongConsumer roundTrip) {
        this.telemetry = telemetry;
        this.command = command;
        this.clock = clock;
        this.gain = gain;
        this.roundTrip = roundTrip;
    }

    @Override
    public void run(long k) {
        if (telemetry.latest(now) && now.lastCommandSequence != lastEcho && now.lastCommandSequence >= 0) {
            lastEcho = now.lastCommandSequence;
            roundTrip.accept(Math.max(0, System.nanoTime() - now.lastCommandSentNanos));
        }
        double target = 20 * Math.sin(k / 1000.0);
        cmd.sequence = k;
        cmd.velocity = target + gain * (target - now.velocity);
        cmd.sentNanos = clock.nowNanos();
        command.send(cmd);
    }
}
