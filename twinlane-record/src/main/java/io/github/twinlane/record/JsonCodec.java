package io.github.twinlane.record;

import com.fasterxml.jackson.core.JsonFactory;
import io.github.twinlane.MessageType;
import java.nio.charset.StandardCharsets;

/**
 * What every JSON codec of this module shares: its name, its message type, its JSON Schema and the
 * encodings MCAP readers look for ({@code json} messages, {@code jsonschema} schemas). Subclasses
 * write and read the fields. Stateless; any thread.
 *
 * @param <E> the message class
 */
abstract class JsonCodec<E> implements RecordCodec<E> {
    /** One factory for every codec: thread-safe, and costly to make. */
    static final JsonFactory JSON = new JsonFactory();

    private final String name;
    private final MessageType<E> type;
    private final byte[] schema;

    /**
     * @param name the schema's name
     * @param type the message type
     * @param jsonSchema the JSON Schema's text
     */
    JsonCodec(String name, MessageType<E> type, String jsonSchema) {
        this.name = name;
        this.type = type;
        this.schema = jsonSchema.getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON Schema of an object whose listed fields are all required, each of the given JSON type. */
    static String objectSchema(String title, String[] fields, String[] types) {
        StringBuilder s = new StringBuilder("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"title\":\"")
                .append(title).append("\",\"type\":\"object\",\"properties\":{");
        for (int i = 0; i < fields.length; i++) {
            s.append(i == 0 ? "" : ",").append('"').append(fields[i]).append("\":{\"type\":\"").append(types[i]).append("\"}");
        }
        s.append("},\"required\":[");
        for (int i = 0; i < fields.length; i++) {
            s.append(i == 0 ? "" : ",").append('"').append(fields[i]).append('"');
        }
        return s.append("]}").toString();
    }

    @Override
    public final MessageType<E> type() {
        return type;
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
