package io.github.twinlane.record;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.github.twinlane.MessageType;
import java.io.IOException;

/** A recorded loop cycle's start, {@code {"cycle":k,"nanos":t}}, on {@code /loop/<name>/cycles}. Stateless. */
final class CycleCodec extends JsonCodec<long[]> {
    static final CycleCodec INSTANCE = new CycleCodec();

    private CycleCodec() {
        super("twinlane.LoopCycle", MessageType.of(() -> new long[2], (a, b) -> System.arraycopy(a, 0, b, 0, 2)),
                new String[] {"cycle", "nanos"}, new String[] {"integer", "integer"});
    }

    @Override
    void writeFields(long[] cycleAndNanos, JsonGenerator g) throws IOException {
        g.writeNumberField("cycle", cycleAndNanos[0]);
        g.writeNumberField("nanos", cycleAndNanos[1]);
    }

    @Override
    void readField(int index, JsonParser p, long[] into) throws IOException {
        into[index] = p.getLongValue();
    }
}
