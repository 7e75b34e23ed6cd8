package io.github.twinlane.record;

import io.github.twinlane.TapConfig;
import io.github.twinlane.record.mcap.McapWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What {@link Recording} and {@link BlackBox} do alike: clocks, tap names, a stream's channel in a file. */
final class StreamFiles {
    private StreamFiles() {
    }

    /** @return what to add to {@link System#nanoTime()} for nanoseconds since the Unix epoch, as of now */
    static long epochMinusNano() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
    }

    /** A tap named {@code prefix-name} (made legal, at most 32 characters) with the given backlog. */
    static TapConfig tap(String prefix, String name, int backlog) {
        String n = (prefix + "-" + name).replaceAll("[^A-Za-z0-9_-]", "_");
        return new TapConfig(n.length() > 32 ? n.substring(0, 32) : n, backlog, RecordingConfig.BACKLOG_POLICY);
    }

    /**
     * Adds a stream's schema (once per file and schema name) and its channel to a file.
     *
     * @return the channel's id in the file
     */
    static int register(McapWriter w, Map<String, Integer> schemaIds, RecordCodec<?> codec, String topic, String channel,
                        String direction) {
        Integer schema = schemaIds.get(codec.schemaName());
        if (schema == null) {
            schema = w.schema(codec.schemaName(), codec.schemaEncoding(), codec.schema());
            schemaIds.put(codec.schemaName(), schema);
        }
        Map<String, String> md = new LinkedHashMap<>();
        md.put("twinlane.channel", channel);
        md.put("twinlane.direction", direction);
        return w.channel(schema, topic, codec.messageEncoding(), md);
    }
}
