package io.github.twinlane.foxglove;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.twinlane.ChannelStats;
import io.github.twinlane.LatencySummary;
import io.github.twinlane.LoopStats;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The server's own topics: {@code /twinlane/stats} once a second and {@code /twinlane/log} (foxglove.Log). */
final class ServerTopics {
    private ServerTopics() {
    }

    /** One second's snapshot of the runtime. */
    record Snapshot(long epochNanos, String cpuPlan, List<ChannelStats> channels, List<LoopStats> loops) {
    }

    /** One log line. */
    record LogLine(long epochNanos, LogLevel level, String name, String message) {
    }

    private static final String TIME = "{\"type\":\"object\",\"title\":\"time\",\"properties\":{\"sec\":{\"type\":\"integer\","
            + "\"minimum\":0},\"nsec\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":999999999}},\"required\":[\"sec\",\"nsec\"]}";

    private static final String[] CHANNEL_COUNTERS = {"commandsSent", "commandsWritten", "commandsFailed",
        "commandsDropped", "dataReceived", "dataDelivered", "dataDropped", "corruptReads", "handlerErrors",
        "driverErrors", "reconnects", "handlerStalls", "emergencyStops", "safeStops"};

    private static String stringProps(String... names) {
        StringBuilder s = new StringBuilder();
        for (String n : names) {
            s.append(",\"").append(n).append("\":{\"type\":\"string\"}");
        }
        return s.toString();
    }

    private static String props(String type, String... names) {
        StringBuilder s = new StringBuilder();
        for (String n : names) {
            s.append(",\"").append(n).append("\":{\"type\":\"").append(type).append("\"}");
        }
        return s.toString();
    }

    /** A JSON topic of the server's own: a name, a JSON Schema, and how one value is written. */
    private abstract static class JsonTopic<E> implements TopicCodec<E> {
        private final String name;
        private final byte[] schema;

        JsonTopic(String name, String schema) {
            this.name = name;
            this.schema = schema.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public final String schemaName() {
            return name;
        }

        @Override
        public final String schemaEncoding() {
            return "jsonschema";
        }

        @Override
        public final byte[] schema() {
            return schema;
        }

        @Override
        public final String messageEncoding() {
            return "json";
        }
    }

    static final TopicCodec<Snapshot> STATS = new JsonTopic<>("twinlane.Stats",
            "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
                + "\"title\":\"twinlane.Stats\",\"type\":\"object\",\"properties\":{\"timestamp\":" + TIME
                + ",\"cpuPlan\":{\"type\":\"string\"},\"channels\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
                + "\"properties\":{" + stringProps("name", "lane", "state").substring(1) + props("integer", CHANNEL_COUNTERS)
                + props("number", "dataLatencyP50Us", "dataLatencyP99Us", "commandLatencyP50Us", "commandLatencyP99Us")
                + "}}},\"loops\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
                + stringProps("name").substring(1) + props("integer", "cycles", "missed", "errors")
                + props("number", "periodUs", "lateP50Us", "lateP99Us", "lateP999Us", "lateMaxUs")
                + "}}}},\"required\":[\"timestamp\",\"cpuPlan\",\"channels\",\"loops\"]}") {
        @Override
        public void encode(Snapshot s, OutputStream out) throws IOException {
            try (JsonGenerator g = ServerJson.JSON.createGenerator(out)) {
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.writeStartObject();
                time(g, s.epochNanos());
                g.writeStringField("cpuPlan", s.cpuPlan());
                g.writeArrayFieldStart("channels");
                for (ChannelStats c : s.channels()) {
                    g.writeStartObject();
                    g.writeStringField("name", c.name());
                    g.writeStringField("lane", c.lane().name());
                    g.writeStringField("state", c.state().name());
                    long[] v = {c.commandsSent(), c.commandsWritten(), c.commandsFailed(), c.commandsDropped(),
                        c.dataReceived(), c.dataDelivered(), c.dataDropped(), c.corruptReads(), c.handlerErrors(),
                        c.driverErrors(), c.reconnects(), c.handlerStalls(), c.emergencyStops(), c.safeStops()};
                    for (int i = 0; i < v.length; i++) {
                        g.writeNumberField(CHANNEL_COUNTERS[i], v[i]);
                    }
                    g.writeNumberField("dataLatencyP50Us", us(c.dataLatency().p50()));
                    g.writeNumberField("dataLatencyP99Us", us(c.dataLatency().p99()));
                    g.writeNumberField("commandLatencyP50Us", us(c.commandLatency().p50()));
                    g.writeNumberField("commandLatencyP99Us", us(c.commandLatency().p99()));
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeArrayFieldStart("loops");
                for (LoopStats l : s.loops()) {
                    LatencySummary late = l.lateness();
                    g.writeStartObject();
                    g.writeStringField("name", l.name());
                    g.writeNumberField("cycles", l.cycles());
                    g.writeNumberField("missed", l.missed());
                    g.writeNumberField("errors", l.errors());
                    g.writeNumberField("periodUs", us(l.periodNanos()));
                    g.writeNumberField("lateP50Us", us(late.p50()));
                    g.writeNumberField("lateP99Us", us(late.p99()));
                    g.writeNumberField("lateP999Us", us(late.p999()));
                    g.writeNumberField("lateMaxUs", us(late.max()));
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
        }
    };

    static final TopicCodec<LogLine> LOG = new JsonTopic<>("foxglove.Log",
            "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
                + "\"title\":\"foxglove.Log\",\"type\":\"object\",\"properties\":{\"timestamp\":" + TIME
                + ",\"level\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":5}" + stringProps("message", "name", "file")
                + ",\"line\":{\"type\":\"integer\",\"minimum\":0}},\"required\":[\"timestamp\",\"level\",\"message\","
                + "\"name\",\"file\",\"line\"]}") {
        @Override
        public void encode(LogLine l, OutputStream out) throws IOException {
            try (JsonGenerator g = ServerJson.JSON.createGenerator(out)) {
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.writeStartObject();
                time(g, l.epochNanos());
                g.writeNumberField("level", l.level().value);
                g.writeStringField("message", l.message());
                g.writeStringField("name", l.name());
                g.writeStringField("file", "");
                g.writeNumberField("line", 0);
                g.writeEndObject();
            }
        }
    };

    private static void time(JsonGenerator g, long epochNanos) throws IOException {
        g.writeObjectFieldStart("timestamp");
        g.writeNumberField("sec", Math.floorDiv(epochNanos, 1_000_000_000L));
        g.writeNumberField("nsec", Math.floorMod(epochNanos, 1_000_000_000L));
        g.writeEndObject();
    }

    private static double us(long nanos) {
        return nanos / 1000.0;
    }
}
