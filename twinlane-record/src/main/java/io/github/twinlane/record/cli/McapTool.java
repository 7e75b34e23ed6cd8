package io.github.twinlane.record.cli;

import io.github.twinlane.record.mcap.McapChannel;
import io.github.twinlane.record.mcap.McapCopy;
import io.github.twinlane.record.mcap.McapException;
import io.github.twinlane.record.mcap.McapLimits;
import io.github.twinlane.record.mcap.McapMessage;
import io.github.twinlane.record.mcap.McapMetadata;
import io.github.twinlane.record.mcap.McapReader;
import io.github.twinlane.record.mcap.McapRecovery;
import io.github.twinlane.record.mcap.McapScan;
import io.github.twinlane.record.mcap.McapSchema;
import io.github.twinlane.record.mcap.McapSummary;
import io.github.twinlane.record.mcap.McapVisitor;
import io.github.twinlane.record.mcap.McapWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The recordings' command-line tool: {@code info}, {@code cat}, {@code export}, {@code cut},
 * {@code recover}. Run {@code McapTool help} for the usage. Exit status 0 on success, 1 for a damaged
 * or unreadable file (or one refused by a limit of the reader, {@link McapLimits#defaults()} unless the
 * command line raises it), 2 for a wrong command line; errors go to standard error and say what to do.
 */
public final class McapTool {
    private final PrintStream out;
    private final PrintStream err;
    private McapLimits limits = McapLimits.defaults();

    McapTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Runs one command.
     *
     * @param args the command and its arguments
     */
    public static void main(String[] args) {
        int code = new McapTool(System.out, System.err).run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    static final String USAGE = String.join("\n",
            "usage: McapTool COMMAND FILE [options]",
            "  info FILE                              what the recording holds: channels, counts, times, metadata",
            "  cat FILE [--topic T] [--limit N]       every message: log time, topic, sequence, JSON text or bytes",
            "  export FILE DIR                        one CSV per JSON topic (a column per number field) into DIR;",
            "                                         images as PNGs (a folder per topic), video as .h264/.h265",
            "  cut FILE OUT --from S [--to S]         the messages from S to S seconds after the first (both included) into OUT",
            "  recover FILE OUT                       a recording cut short rewritten whole into OUT",
            "every command reads with the reader's limits, which these raise or lower:",
            "  --max-chunk-bytes N --max-compression-ratio N --max-decoded-bytes N --max-record-bytes N");

    int run(String[] args) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        try {
            limits = limits(args);
            switch (args[0]) {
                case "info": return info(file(args, 1));
                case "cat": return cat(file(args, 1), option(args, "--topic", null), Long.parseLong(option(args, "--limit", "-1")));
                case "export": return export(file(args, 1), Path.of(arg(args, 2, "DIR")));
                case "cut": return cut(file(args, 1), Path.of(arg(args, 2, "OUT")), seconds(option(args, "--from", null), "--from"),
                        seconds(option(args, "--to", null), "--to"));
                case "recover": return recover(file(args, 1), Path.of(arg(args, 2, "OUT")));
                default:
                    err.println("unknown command '" + args[0] + "'\n" + USAGE);
                    return 2;
            }
        } catch (Usage e) {
            err.println(e.getMessage() + "\n" + USAGE);
            return 2;
        } catch (NumberFormatException e) {
            err.println("a number was expected: " + e.getMessage() + "\n" + USAGE);
            return 2;
        } catch (McapException e) {
            if (e.limit().isPresent()) {
                err.println("refused by a limit of the reader: " + e.getMessage() + "\nIf the recording is genuine, "
                        + "raise it with " + flag(e.limit().get()) + " N.");
                return 1;
            }
            err.println("damaged recording: " + e.getMessage() + "\nIf it was cut short (a crash, a kill), "
                    + "`recover FILE OUT` rewrites what is complete into a new file.");
            return 1;
        } catch (NoSuchFileException e) {
            err.println("no such file: " + e.getFile());
            return 1;
        } catch (IOException | UncheckedIOException e) {
            err.println("cannot read or write: " + e.getMessage());
            return 1;
        }
    }

    // ------------------------------------------------------------------ info

    private int info(Path file) throws IOException {
        out.println(file + ": " + Files.size(file) + " bytes");
        try (McapReader r = McapReader.open(file, limits)) {
            var summary = r.summary();
            if (summary.isPresent()) {
                printSummary(summary.get());
                Counter md = new Counter();
                r.read(md);
                for (McapMetadata m : md.metadata) {
                    out.println("metadata " + m.name() + ":");
                    m.metadata().forEach((k, v) -> out.println("  " + k + " = " + v));
                }
                return 0;
            }
            out.println("no summary: the recording was not closed (a crash, a kill, or still being written)");
            Counter c = new Counter();
            McapScan scan = r.readAvailable(c);
            refusedByLimit(scan);
            out.println("readable: " + scan.messages() + " message(s) in " + scan.chunks() + " chunk(s), the first "
                    + scan.validBytes() + " bytes" + (scan.problem() == null ? "" : "; then " + scan.problem().getMessage()));
            c.printChannels();
            out.println("`recover " + file + " OUT` writes them into a complete file.");
            return 0;
        }
    }

    private void printSummary(McapSummary s) {
        var st = s.statistics();
        if (st != null) {
            long ns = st.messageEndTime() - st.messageStartTime();
            out.printf("%d message(s) in %d chunk(s), %s to %s (%.3f s)%n", st.messageCount(), st.chunkCount(),
                    time(st.messageStartTime()), time(st.messageEndTime()), ns / 1e9);
        }
        Map<Integer, McapSchema> schemas = new HashMap<>();
        s.schemas().forEach(x -> schemas.put(x.id(), x));
        List<List<String>> rows = new ArrayList<>();
        for (McapChannel c : s.channels()) {
            McapSchema sc = schemas.get(c.schemaId());
            rows.add(List.of(Integer.toString(c.id()), c.topic(), c.messageEncoding(), sc == null ? "-" : sc.name(),
                    st == null ? "?" : Long.toString(st.channelMessageCounts().getOrDefault(c.id(), 0L))));
        }
        table(List.of("id", "topic", "encoding", "schema", "messages"), rows);
        if (!s.attachments().isEmpty()) {
            out.println("attachments: " + String.join(", ", s.attachments()));
        }
    }

    // ------------------------------------------------------------------ cat

    private int cat(Path file, String topic, long limit) throws IOException {
        long[] shown = {0};
        try (McapReader r = McapReader.open(file, limits)) {
            McapScan scan = r.readAvailable(new McapVisitor() {
                @Override
                public void message(McapChannel c, McapMessage m) {
                    if ((topic == null || topic.equals(c.topic())) && (limit < 0 || shown[0] < limit)) {
                        shown[0]++;
                        out.println(time(m.logTime()) + "  " + c.topic() + "  #" + m.sequence() + "  " + text(c, m.data()));
                    }
                }
            });
            refusedByLimit(scan);
            if (scan.problem() != null) {
                err.println("the file ends early: " + scan.problem().getMessage());
                return 1;
            }
        }
        return 0;
    }

    // ------------------------------------------------------------------ export

    private int export(Path file, Path dir) throws IOException {
        Files.createDirectories(dir);
        long total = Files.size(file);
        Map<Integer, CsvTopic> csv = new HashMap<>();
        Map<Integer, ImageTopic> images = new HashMap<>();
        Map<Integer, String> schemas = new HashMap<>();
        long[] last = {System.nanoTime()};
        long[] count = {0};
        try (McapReader r = McapReader.open(file, limits)) {
            r.read(new McapVisitor() {
                @Override
                public void schema(McapSchema s) {
                    schemas.put(s.id(), s.name());
                }

                @Override
                public void message(McapChannel c, McapMessage m) {
                    count[0]++;
                    String schema = schemas.getOrDefault(c.schemaId(), "");
                    if (ImageTopic.handles(schema) && c.messageEncoding().equals("json")) {
                        images.computeIfAbsent(c.id(), k -> new ImageTopic(dir, c.topic(), schema)).add(m);
                    } else if (c.messageEncoding().equals("json")) {
                        csv.computeIfAbsent(c.id(), k -> new CsvTopic(dir, c.topic())).add(m);
                    }
                    if (System.nanoTime() - last[0] > 2_000_000_000L) {
                        last[0] = System.nanoTime();
                        err.printf("export: %d message(s) so far, of a %d-byte file%n", count[0], total);
                    }
                }
            });
        } finally {
            for (CsvTopic t : csv.values()) {
                t.close();
            }
            for (ImageTopic t : images.values()) {
                t.close();
            }
        }
        for (ImageTopic t : images.values()) {
            out.println(t.describe());
        }
        for (CsvTopic t : csv.values()) {
            out.println(t.path + ": " + t.rows + " row(s), columns " + String.join(", ", t.columns)
                    + (t.unparsable > 0 ? "; " + t.unparsable + " message(s) were not JSON objects" : ""));
        }
        if (csv.isEmpty() && images.isEmpty()) {
            out.println("no JSON topic to export");
        }
        return 0;
    }

    // ------------------------------------------------------------------ cut

    private int cut(Path file, Path to, Double from, Double until) throws IOException {
        if (from == null) {
            throw new Usage("cut needs --from SECONDS");
        }
        long first;
        try (McapReader r = McapReader.open(file, limits)) {
            long[] f = {-1};
            McapScan scan = r.readAvailable(new McapVisitor() {
                @Override
                public void message(McapChannel c, McapMessage m) {
                    if (f[0] == -1 || Long.compareUnsigned(m.logTime(), f[0]) < 0) {
                        f[0] = m.logTime();
                    }
                }
            });
            refusedByLimit(scan);
            first = f[0];
        }
        long lo = first + (long) (from * 1e9);
        long hi = until == null ? Long.MAX_VALUE : first + (long) (until * 1e9);
        long kept;
        try (McapReader r = McapReader.open(file, limits); McapWriter w = McapWriter.create(to, McapWriter.Options.defaults())) {
            McapCopy copy = new McapCopy(w, m -> Long.compareUnsigned(m.logTime(), lo) >= 0
                    && Long.compareUnsigned(m.logTime(), hi) <= 0);
            copy.copy(r::read);
            kept = copy.copied();
        }
        out.println(to + ": " + kept + " message(s) from " + from + " s" + (until == null ? "" : " to " + until + " s"));
        return 0;
    }

    // ------------------------------------------------------------------ recover

    private int recover(Path file, Path to) throws IOException {
        McapRecovery.Report r = McapRecovery.recover(file, to, McapWriter.Options.defaults(), limits);
        out.println(to + ": " + r.messages() + " message(s) recovered from the first " + r.keptBytes() + " bytes; "
                + r.lostBytes() + " byte(s) after them were incomplete or damaged"
                + (r.problem() == null ? " (none: the file was complete)" : " (" + r.problem() + ")"));
        return 0;
    }

    // ------------------------------------------------------------------ helpers

    /** A read that a limit stopped is not a file cut short: it fails as the limit's refusal. */
    private static void refusedByLimit(McapScan scan) throws McapException {
        if (scan.problem() != null && scan.problem().limit().isPresent()) {
            throw scan.problem();
        }
    }

    /** The reader's limits, with those the command line gives. */
    private static McapLimits limits(String[] args) {
        McapLimits l = McapLimits.defaults();
        try {
            String v;
            if ((v = option(args, "--max-chunk-bytes", null)) != null) {
                l = l.withMaxChunkBytes(Long.parseLong(v));
            }
            if ((v = option(args, "--max-compression-ratio", null)) != null) {
                l = l.withMaxCompressionRatio(Integer.parseInt(v));
            }
            if ((v = option(args, "--max-decoded-bytes", null)) != null) {
                l = l.withMaxDecodedBytes(Long.parseLong(v));
            }
            if ((v = option(args, "--max-record-bytes", null)) != null) {
                l = l.withMaxRecordBytes(Long.parseLong(v));
            }
        } catch (IllegalArgumentException e) {
            if (e instanceof NumberFormatException) {
                throw e;
            }
            throw new Usage(e.getMessage());
        }
        return l;
    }

    /** The option that sets a limit: maxCompressionRatio is --max-compression-ratio. */
    static String flag(String limit) {
        return "--" + limit.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
    }

    /** Counts messages per channel while reading (info of a file without a summary). */
    private final class Counter implements McapVisitor {
        final Map<McapChannel, long[]> counts = new java.util.LinkedHashMap<>();
        final List<McapMetadata> metadata = new ArrayList<>();

        @Override
        public void channel(McapChannel c) {
            counts.put(c, new long[1]);
        }

        @Override
        public void message(McapChannel c, McapMessage m) {
            counts.get(c)[0]++;
        }

        @Override
        public void metadata(McapMetadata m) {
            metadata.add(m);
        }

        void printChannels() {
            List<List<String>> rows = new ArrayList<>();
            counts.forEach((c, n) -> rows.add(List.of(Integer.toString(c.id()), c.topic(), c.messageEncoding(),
                    Long.toString(n[0]))));
            table(List.of("id", "topic", "encoding", "messages"), rows);
        }
    }

    private void table(List<String> head, List<List<String>> rows) {
        int[] w = new int[head.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = head.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        StringBuilder fmt = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            fmt.append(i == w.length - 1 ? "%s" : "%-" + w[i] + "s  "); // the last column unpadded
        }
        String f = fmt + "%n";
        out.printf(f, head.toArray());
        for (List<String> r : rows) {
            out.printf(f, r.toArray());
        }
    }

    static String time(long epochNanos) {
        return Instant.ofEpochSecond(Long.divideUnsigned(epochNanos, 1_000_000_000L),
                Long.remainderUnsigned(epochNanos, 1_000_000_000L)).toString();
    }

    static String text(McapChannel c, byte[] data) {
        if (c.messageEncoding().equals("json")) {
            return new String(data, java.nio.charset.StandardCharsets.UTF_8);
        }
        StringBuilder sb = new StringBuilder(data.length + " bytes:");
        for (int i = 0; i < Math.min(16, data.length); i++) {
            sb.append(String.format(" %02x", data[i]));
        }
        return data.length > 16 ? sb.append(" …").toString() : sb.toString();
    }

    private static Path file(String[] args, int i) {
        return Path.of(arg(args, i, "FILE"));
    }

    private static String arg(String[] args, int i, String name) {
        if (args.length <= i || args[i].startsWith("--")) {
            throw new Usage(args[0] + " needs " + name);
        }
        return args[i];
    }

    private static String option(String[] args, String name, String fallback) {
        int i = Arrays.asList(args).indexOf(name);
        if (i < 0) {
            return fallback;
        }
        if (i + 1 >= args.length) {
            throw new Usage(name + " needs a value");
        }
        return args[i + 1];
    }

    private static Double seconds(String s, String name) {
        if (s == null) {
            return null;
        }
        double v = Double.parseDouble(s);
        if (v < 0 || Double.isNaN(v)) {
            throw new Usage(name + " must be 0 or more seconds, was " + s);
        }
        return v;
    }

    /** A wrong command line. */
    static final class Usage extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Usage(String message) {
            super(message);
        }
    }
}
