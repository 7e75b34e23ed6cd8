package io.github.twinlane.record;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/** {@link ChannelEvent}s as JSON objects of five strings, with their JSON Schema. Stateless; any thread. */
final class EventCodec extends JsonCodec<ChannelEvent> {
    static final EventCodec INSTANCE = new EventCodec();

    private EventCodec() {
        super("twinlane.ChannelEvent", ChannelEvent.TYPE, new String[] {"channel", "kind", "from", "to", "detail"},
                new String[] {"string", "string", "string", "string", "string"});
    }

    @Override
    void writeFields(ChannelEvent e, JsonGenerator g) throws IOException {
        g.writeStringField("channel", e.channel);
        g.writeStringField("kind", e.kind);
        g.writeStringField("from", e.from);
        g.writeStringField("to", e.to);
        g.writeStringField("detail", e.detail);
    }

    @Override
    void readField(int index, JsonParser p, ChannelEvent into) throws IOException {
        String v = p.getText();
        switch (index) {
            case 0: into.channel = v; break;
            case 1: into.kind = v; break;
            case 2: into.from = v; break;
            case 3: into.to = v; break;
            default: into.detail = v;
        }
    }
}
