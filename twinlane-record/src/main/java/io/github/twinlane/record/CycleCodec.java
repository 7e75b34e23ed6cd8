package io.github.twinlane.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.twinlane.MessageType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A recorded loop cycle's start, {@code {"cycle":k,"nanos":t}}, on {@code /loop/<name>/cycles}. Stateless. */
final class CycleCodec implements RecordCodec<long[]> {
    static final CycleCodec INSTANCE = new CycleCodec();
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] SCHEMA = ("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"title\":"
            + "\"twinlane.LoopCycle\",\"type\":\"object\",\"properties\":{\"cycle\":{\"type\":\"integer\"},"
            + "\"nanos\":{\"type\":\"integer\"}},\"required\":[\"cycle\",\"nanos\"]}").getBytes(StandardCharsets.UTF_8);
    private static final MessageType<long[]> TYPE = MessageType.of(() -> new long[2], (a, b) -> System.arraycopy(a, 0, b, 0, 2));

    private CycleCodec() {
    }

    @Override
    public MessageType<long[]> type() {
        return TYPE;
    }

    @Override
    public String schemaName() {
        return "twinlane.LoopCycle";
    }

    @Override
    public String schemaEncoding() {
        return "jsonschema";
    }

    @Override
    public byte[] schema() {
        return SCHEMA;
    }

    @Override
    public String messageEncoding() {
        return "json";
    }

    @Override
    public void encode(long[] cycleAndNanos, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeNumberField("cycle", cycleAndNanos[0]);
            g.writeNumberField("nanos", cycleAndNanos[1]);
            g.writeEndObject();
        }
    }

    @Override
    public boolean decode(byte[] data, int offset, int length, long[] into) {
        int seen = 0;
        try (JsonParser p = JSON.createParser(data, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                    p.skipChildren();
                    continue;
                }
                if (f.equals("cycle")) {
                    into[0] = p.getLongValue();
                    seen |= 1;
                } else if (f.equals("nanos")) {
                    into[1] = p.getLongValue();
                    seen |= 2;
                }
            }
            return seen == 3;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
