package io.github.twinlane.record;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.twinlane.MessageType;
import java.io.IOException;
import java.io.OutputStream;

/** A recorded loop cycle's start, {@code {"cycle":k,"nanos":t}}, on {@code /loop/<name>/cycles}. Stateless. */
final class CycleCodec extends JsonCodec<long[]> {
    static final CycleCodec INSTANCE = new CycleCodec();

    private CycleCodec() {
        super("twinlane.LoopCycle", MessageType.of(() -> new long[2], (a, b) -> System.arraycopy(a, 0, b, 0, 2)),
                objectSchema("twinlane.LoopCycle", new String[] {"cycle", "nanos"}, new String[] {"integer", "integer"}));
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
