package io.github.twinlane.record;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.OutputStream;

/** {@link ChannelEvent}s as JSON objects of five strings, with their JSON Schema. Stateless; any thread. */
final class EventCodec extends JsonCodec<ChannelEvent> {
    private static final String[] FIELDS = {"channel", "kind", "from", "to", "detail"}; // before INSTANCE: it uses them
    static final EventCodec INSTANCE = new EventCodec();

    private EventCodec() {
        super("twinlane.ChannelEvent", ChannelEvent.TYPE, objectSchema("twinlane.ChannelEvent", FIELDS,
                new String[] {"string", "string", "string", "string", "string"}));
    }

    @Override
    public void encode(ChannelEvent e, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeStringField("channel", e.channel);
            g.writeStringField("kind", e.kind);
            g.writeStringField("from", e.from);
            g.writeStringField("to", e.to);
            g.writeStringField("detail", e.detail);
            g.writeEndObject();
        }
    }

    @Override
    public boolean decode(byte[] data, int offset, int length, ChannelEvent into) {
        int seen = 0;
        try (JsonParser p = JSON.createParser(data, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                if (p.nextToken() != JsonToken.VALUE_STRING) {
                    p.skipChildren();
                    continue;
                }
                String v = p.getText();
                switch (f) {
                    case "channel": into.channel = v; break;
                    case "kind": into.kind = v; break;
                    case "from": into.from = v; break;
                    case "to": into.to = v; break;
                    case "detail": into.detail = v; break;
                    default: continue;
                }
                seen |= 1 << java.util.Arrays.asList(FIELDS).indexOf(f);
            }
            return seen == (1 << FIELDS.length) - 1;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
