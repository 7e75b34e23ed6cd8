package io.github.twinlane.examples;

import io.github.twinlane.record.LoopReplay;
import io.github.twinlane.record.MotorCodecs;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Replays the demo's control loop from a recording (made with {@code TwoLaneRobot --record run.mcap}),
 * deterministically, with no drive: each recorded cycle runs {@link DemoController} with the cycle's
 * recorded time and telemetry, and what it sends is compared with what was sent. Replay with another
 * gain ({@code --gain 0.6}, the one-line change) and it reports the first cycle where the changed
 * controller would have commanded something else, and how many cycles differ.
 *
 * <pre>
 *   ReplayLoop FILE [--gain G]   the recording, and the controller's gain (the demo's is 0.5)
 * </pre>
 */
public final class ReplayLoop {
    private ReplayLoop() {
    }

    /**
     * Replays.
     *
     * @param args the recording, then options
     * @throws Exception if the recording cannot be read
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].startsWith("--")) {
            throw new IllegalArgumentException("usage: ReplayLoop FILE [--gain G]; record FILE with TwoLaneRobot --record FILE");
        }
        Path file = Path.of(args[0]);
        double gain = 0.5;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--gain") && i + 1 < args.length) {
                gain = Double.parseDouble(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option " + args[i] + "; use --gain G");
            }
        }
        LoopReplay replay = LoopReplay.open(file, "control");
        long start = System.nanoTime();
        LoopReplay.Result r = replay.run(new DemoController(replay.input("drive", MotorCodecs.telemetry()),
                replay.output("drive", MotorCodecs.command()), replay, gain, rtt -> { }));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "replayed %d cycle(s) of loop 'control' from %s with gain %s in %.3f s "
                + "(%.0f cycles/s)%n", r.cycles(), file, gain, seconds, r.cycles() / Math.max(seconds, 1e-9));
        r.gaps().forEach(g -> System.out.println("the recording is not exact here: " + g));
        if (r.divergence().isPresent()) {
            System.out.println("DIVERGES at " + r.divergence().get());
            System.out.println(r.divergingCycles() + " of " + r.cycles() + " cycle(s) would have sent other commands");
        } else {
            System.out.println("no divergence: every cycle sent exactly the recorded commands");
        }
    }
}
