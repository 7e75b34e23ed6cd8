package io.github.twinlane.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.twinlane.MessageType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The module's JSON codecs: a flat JSON object whose listed fields are all required, with the JSON
 * Schema written from the same list, and the encodings MCAP readers look for ({@code json} messages,
 * {@code jsonschema} schemas). A subclass only writes its fields and reads one field at a time; the
 * object around them, the check that every field came exactly as its type says, and the refusal of
 * anything else are here, once. Stateless; any thread.
 *
 * @param <E> the message class
 */
abstract class JsonCodec<E> implements RecordCodec<E> {
    /** One factory for every codec: thread-safe, and costly to make. */
    static final JsonFactory JSON = new JsonFactory();

    private final String name;
    private final MessageType<E> type;
    private final String[] fields;
    private final String[] types;
    private final byte[] schema;

    /**
     * @param name the schema's name
     * @param type the message type
     * @param fields the object's fields, all required, at most 64
     * @param types each field's JSON Schema type: "integer", "number" or "string"
     */
    JsonCodec(String name, MessageType<E> type, String[] fields, String[] types) {
        this.name = name;
        this.type = type;
        this.fields = fields.clone();
        this.types = types.clone();
        StringBuilder s = new StringBuilder("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"title\":\"")
                .append(name).append("\",\"type\":\"object\",\"properties\":{");
        for (int i = 0; i < fields.length; i++) {
            s.append(i == 0 ? "" : ",").append('"').append(fields[i]).append("\":{\"type\":\"").append(types[i]).append("\"}");
        }
        s.append("},\"required\":[");
        for (int i = 0; i < fields.length; i++) {
            s.append(i == 0 ? "" : ",").append('"').append(fields[i]).append('"');
        }
        this.schema = s.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Writes the fields, in the order of the list, into the open object. */
    abstract void writeFields(E value, JsonGenerator g) throws IOException;

    /**
     * Reads field {@code index} of the list from the parser's current value, whose token already
     * matches the field's type.
     */
    abstract void readField(int index, JsonParser p, E into) throws IOException;

    @Override
    public final void encode(E value, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            writeFields(value, g);
            g.writeEndObject();
        }
    }

    @Override
    public final boolean decode(byte[] data, int offset, int length, E into) {
        long seen = 0; // one bit per field: each must be there, of its type
        try (JsonParser p = JSON.createParser(data, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                int i = indexOf(p.currentName());
                JsonToken v = p.nextToken();
                if (i < 0 || !fits(types[i], v)) {
                    if (i >= 0) {
                        return false; // one of ours, of the wrong type
                    }
                    p.skipChildren(); // a field a newer writer added
                    continue;
                }
                readField(i, p, into);
                seen |= 1L << i;
            }
            return t == JsonToken.END_OBJECT && p.nextToken() == null && seen == (1L << fields.length) - 1;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private int indexOf(String field) {
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].equals(field)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean fits(String type, JsonToken v) {
        switch (type) {
            case "integer": return v == JsonToken.VALUE_NUMBER_INT;
            case "number": return v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT;
            default: return v == JsonToken.VALUE_STRING;
        }
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
