package io.github.twinlane.foxglove;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The server's JSON messages of {@code foxglove.websocket.v1}, written with Jackson's generator. Stateless. */
final class ServerJson {
    static final JsonFactory JSON = new JsonFactory();

    private ServerJson() {
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String object(String op, Body body) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("op", op);
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // into a StringWriter: cannot happen
        }
        return w.toString();
    }

    static String serverInfo(String name, List<String> capabilities, Map<String, String> metadata, String sessionId) {
        return object("serverInfo", g -> {
            g.writeStringField("name", name);
            g.writeArrayFieldStart("capabilities");
            for (String c : capabilities) {
                g.writeString(c);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("supportedEncodings");
            g.writeString("json");
            g.writeEndArray();
            g.writeObjectFieldStart("metadata");
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeStringField("sessionId", sessionId);
        });
    }

    static String advertise(Collection<ServerTopic<?>> topics) {
        return object("advertise", g -> {
            g.writeArrayFieldStart("channels");
            for (ServerTopic<?> t : topics) {
                g.writeStartObject();
                g.writeNumberField("id", t.id);
                g.writeStringField("topic", t.topic);
                g.writeStringField("encoding", t.codec.messageEncoding());
                g.writeStringField("schemaName", t.codec.schemaName());
                g.writeStringField("schema", t.schema);
                g.writeStringField("schemaEncoding", t.codec.schemaEncoding());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    static String unadvertise(Collection<Integer> ids) {
        return object("unadvertise", g -> {
            g.writeArrayFieldStart("channelIds");
            for (int id : ids) {
                g.writeNumber(id);
            }
            g.writeEndArray();
        });
    }

    /** A status message; level 0 info, 1 warning, 2 error. */
    static String status(int level, String message) {
        return object("status", g -> {
            g.writeNumberField("level", level);
            g.writeStringField("message", message);
        });
    }
}
