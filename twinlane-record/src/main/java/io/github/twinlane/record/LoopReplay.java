package io.github.twinlane.record;

import io.github.twinlane.LoopTask;
import io.github.twinlane.SendResult;
import io.github.twinlane.record.mcap.McapChannel;
import io.github.twinlane.record.mcap.McapLimits;
import io.github.twinlane.record.mcap.McapMessage;
import io.github.twinlane.record.mcap.McapReader;
import io.github.twinlane.record.mcap.McapVisitor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Replays a loop recorded by {@link LoopRecorder}, deterministically: the controller runs once per
 * recorded cycle, with the recorded cycle time on its {@link LoopClock}, and every {@link LoopInput}
 * returns exactly what it returned in that recorded cycle. What the controller sends is captured and
 * compared with what the recorded cycle sent; the first difference is reported by cycle and channel.
 * Change the controller, replay a recording of the old one, and see where the new one would have
 * acted differently (FRC's AdvantageKit does this for robot code).
 *
 * <pre>{@code
 * LoopReplay replay = LoopReplay.open(Path.of("run.mcap"), "control");
 * LoopReplay.Result r = replay.run(new Controller(replay.input("drive", MotorCodecs.telemetry()),
 *         replay.output("drive", MotorCodecs.command()), replay));
 * r.divergence().ifPresent(System.out::println);
 * }</pre>
 *
 * <p>Threading: one thread (the caller's). {@link #run} runs as fast as it can, on that thread.
 */
public final class LoopReplay implements LoopClock {

    /**
     * The first place the replayed controller did otherwise than the recorded one.
     *
     * @param cycle the cycle's number
     * @param channel the output's channel
     * @param recorded what the recorded cycle sent there (JSON text, or hex), "nothing" if nothing
     * @param replayed what the replayed cycle sent, "nothing" if nothing
     */
    public record Divergence(long cycle, String channel, String recorded, String replayed) {
        @Override
        public String toString() {
            return "cycle " + cycle + ", channel " + channel + ": recorded " + recorded + ", replayed " + replayed;
        }
    }

    /**
     * How a replay went.
     *
     * @param cycles cycles replayed
     * @param divergingCycles cycles whose outputs differed from the recorded ones
     * @param divergence the first difference, if any
     * @param sent every output of the replay, in order: "cycle channel message" lines (for comparing replays)
     * @param gaps the recording's own problems (values its loop recorder dropped), which make exactness impossible
     */
    public record Result(long cycles, long divergingCycles, Optional<Divergence> divergence, List<String> sent,
                         List<String> gaps) {
    }

    private final String loop;
    private final List<long[]> cycleList = new ArrayList<>(); // cycle, nanos
    private final Map<String, Map<Long, byte[]>> inputs = new HashMap<>(); // channel -> cycle -> bytes (empty: none)
    private final Map<String, Map<Long, List<byte[]>>> outputs = new HashMap<>(); // channel -> cycle -> bytes
    private final Map<String, RecordCodec<?>> outputCodecs = new LinkedHashMap<>();
    private final Map<String, List<byte[]>> captured = new LinkedHashMap<>(); // this cycle's outputs
    private final List<String> gaps = new ArrayList<>();
    private long cycle = -1;
    private long now;

    private LoopReplay(String loop) {
        this.loop = loop;
    }

    /**
     * Reads a recording's loop.
     *
     * @param file the recording
     * @param loopName the loop's name given to {@link LoopRecorder#start}
     * @return the replay
     * @throws IOException if the file cannot be read, or holds no such loop (the message names the loops it has)
     */
    public static LoopReplay open(Path file, String loopName) throws IOException {
        return open(file, loopName, McapLimits.defaults());
    }

    /**
     * Reads a recording's loop with the reader's limits given.
     *
     * @param file the recording
     * @param loopName the loop's name given to {@link LoopRecorder#start}
     * @param limits what reading the recording may allocate and decode
     * @return the replay
     * @throws io.github.twinlane.record.mcap.McapException if the file is damaged, or refused by a limit (named)
     * @throws IOException if the file cannot be read, or holds no such loop (the message names the loops it has)
     */
    public static LoopReplay open(Path file, String loopName, McapLimits limits) throws IOException {
        Objects.requireNonNull(limits, "limits");
        LoopReplay r = new LoopReplay(Objects.requireNonNull(loopName, "loopName"));
        String prefix = "/loop/" + loopName + "/";
        List<String> loops = new ArrayList<>();
        try (McapReader reader = McapReader.open(file, limits)) {
            reader.read(new McapVisitor() {
                @Override
                public void channel(McapChannel c) {
                    if (c.topic().startsWith("/loop/") && c.topic().endsWith("/cycles")) {
                        loops.add(c.topic().substring(6, c.topic().length() - 7));
                    }
                }

                @Override
                public void message(McapChannel c, McapMessage m) {
                    String t = c.topic();
                    if (!t.startsWith(prefix)) {
                        return;
                    }
                    String rest = t.substring(prefix.length());
                    if (rest.equals("cycles")) {
                        long[] cn = new long[2];
                        if (CycleCodec.INSTANCE.decode(m.data(), 0, m.data().length, cn)) {
                            r.cycleList.add(cn);
                        }
                    } else if (rest.startsWith("in/")) {
                        r.inputs.computeIfAbsent(rest.substring(3), k -> new HashMap<>()).put(m.sequence(), m.data());
                    } else if (rest.startsWith("out/")) {
                        r.outputs.computeIfAbsent(rest.substring(4), k -> new HashMap<>())
                                .computeIfAbsent(m.sequence(), k -> new ArrayList<>()).add(m.data());
                    }
                }

                @Override
                public void metadata(io.github.twinlane.record.mcap.McapMetadata md) {
                    if (md.name().equals("twinlane.drops")) {
                        md.metadata().forEach((topic, counts) -> {
                            if (topic.startsWith(prefix) && !counts.contains(" dropped 0 ")) {
                                r.gaps.add(topic + ": " + counts);
                            }
                        });
                    }
                }
            });
        }
        if (!loops.contains(loopName)) {
            throw new IOException("recording " + file + " has no loop '" + loopName + "'; it has " + loops
                    + " (record one with LoopRecorder)");
        }
        r.cycleList.sort((a, b) -> Long.compare(a[0], b[0]));
        return r;
    }

    /** @return the recorded cycles */
    public int cycles() {
        return cycleList.size();
    }

    @Override
    public long nowNanos() {
        return now;
    }

    /**
     * The replayed input of a channel: in each cycle, what the recorded cycle's {@code latest} returned.
     *
     * @param channel the channel's name
     * @param codec how its data was stored
     * @param <T> the data type
     * @return the input
     */
    public <T> LoopInput<T> input(String channel, RecordCodec<T> codec) {
        Map<Long, byte[]> byCycle = inputs.getOrDefault(channel, Map.of());
        return into -> {
            byte[] b = byCycle.get(cycle);
            if (b == null || b.length == 0) {
                return false; // not read in the recorded cycle, or no value yet then
            }
            if (!codec.decode(b, 0, b.length, into)) {
                throw new IllegalStateException("cycle " + cycle + ": the recorded input of " + channel
                        + " does not decode as " + codec.schemaName());
            }
            return true;
        };
    }

    /**
     * The replayed output of a channel: what the controller sends is captured and compared.
     *
     * @param channel the channel's name
     * @param codec how its commands are stored
     * @param <C> the command type
     * @return the output
     */
    public <C> LoopOutput<C> output(String channel, RecordCodec<C> codec) {
        outputCodecs.put(channel, codec);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        return command -> {
            buf.reset();
            try {
                codec.encode(command, buf);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            captured.computeIfAbsent(channel, k -> new ArrayList<>()).add(buf.toByteArray());
            return SendResult.ACCEPTED;
        };
    }

    /**
     * Runs the controller once per recorded cycle, as fast as possible, on this thread.
     *
     * @param task the controller's cycle (the same class that ran live, built on this replay's inputs,
     *     outputs and clock)
     * @return how it went
     * @throws Exception whatever the controller throws
     */
    public Result run(LoopTask task) throws Exception {
        Divergence first = null;
        long diverging = 0;
        List<String> sent = new ArrayList<>();
        for (long[] cn : cycleList) {
            cycle = cn[0];
            now = cn[1];
            captured.clear();
            task.run(cycle);
            boolean differs = false;
            for (String channel : channels()) {
                List<byte[]> want = outputs.getOrDefault(channel, Map.of()).getOrDefault(cycle, List.of());
                List<byte[]> got = captured.getOrDefault(channel, List.of());
                for (byte[] g : got) {
                    sent.add(cycle + " " + channel + " " + text(g));
                }
                for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
                    byte[] w = i < want.size() ? want.get(i) : null;
                    byte[] g = i < got.size() ? got.get(i) : null;
                    if (w == null || g == null || !Arrays.equals(w, g)) {
                        differs = true;
                        if (first == null) {
                            first = new Divergence(cycle, channel, w == null ? "nothing" : text(w), g == null ? "nothing" : text(g));
                        }
                        break;
                    }
                }
            }
            if (differs) {
                diverging++;
            }
        }
        return new Result(cycleList.size(), diverging, Optional.ofNullable(first), List.copyOf(sent), List.copyOf(gaps));
    }

    private List<String> channels() {
        List<String> all = new ArrayList<>(outputCodecs.keySet());
        for (String c : outputs.keySet()) {
            if (!all.contains(c)) {
                all.add(c);
            }
        }
        return all;
    }

    private static String text(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        return s.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f) ? s : b.length + " bytes";
    }

    @Override
    public String toString() {
        return "replay of loop '" + loop + "': " + cycleList.size() + " cycle(s)";
    }
}
