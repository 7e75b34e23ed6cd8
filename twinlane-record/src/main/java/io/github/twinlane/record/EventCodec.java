package io.github.twinlane.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.twinlane.MessageType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** {@link ChannelEvent}s as JSON objects of five strings, with their JSON Schema. Stateless; any thread. */
final class EventCodec implements RecordCodec<ChannelEvent> {
    static final EventCodec INSTANCE = new EventCodec();
    private static final JsonFactory JSON = new JsonFactory();
    private static final String[] FIELDS = {"channel", "kind", "from", "to", "detail"};
    private static final byte[] SCHEMA = ("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"title\":"
            + "\"twinlane.ChannelEvent\",\"type\":\"object\",\"properties\":{\"channel\":{\"type\":\"string\"},"
            + "\"kind\":{\"type\":\"string\"},\"from\":{\"type\":\"string\"},\"to\":{\"type\":\"string\"},"
            + "\"detail\":{\"type\":\"string\"}},\"required\":[\"channel\",\"kind\",\"from\",\"to\",\"detail\"]}")
            .getBytes(StandardCharsets.UTF_8);

    private EventCodec() {
    }

    @Override
    public MessageType<ChannelEvent> type() {
        return ChannelEvent.TYPE;
    }

    @Override
    public String schemaName() {
        return "twinlane.ChannelEvent";
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
