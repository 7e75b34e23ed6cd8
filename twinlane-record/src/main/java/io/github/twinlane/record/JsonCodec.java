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
     * @param types each field's type: "integer", "number" or "string" (JSON Schema's), "bytes" (a base64
     *     string) or "time" (Foxglove's {@code {"sec":…,"nsec":…}})
     */
    JsonCodec(String name, MessageType<E> type, String[] fields, String[] types) {
        this.name = name;
        this.type = type;
        this.fields = fields.clone();
        this.types = types.clone();
        StringBuilder s = new StringBuilder("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"title\":\"")
                .append(name).append("\",\"type\":\"object\",\"properties\":{");
        for (int i = 0; i < fields.length; i++) {
            s.append(i == 0 ? "" : ",").append('"').append(fields[i]).append("\":").append(schemaOf(types[i]));
        }
        s.append("},\"required\":[");
        for (int i = 0; i < fields.length; i++) {
            s.append(i == 0 ? "" : ",").append('"').append(fields[i]).append('"');
        }
        this.schema = s.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String schemaOf(String type) {
        switch (type) {
            case "bytes": return "{\"type\":\"string\",\"contentEncoding\":\"base64\"}";
            case "time": return "{\"type\":\"object\",\"title\":\"time\",\"properties\":{\"sec\":{\"type\":\"integer\","
                    + "\"minimum\":0},\"nsec\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":999999999}},"
                    + "\"required\":[\"sec\",\"nsec\"]}";
            default: return "{\"type\":\"" + type + "\"}";
        }
    }

    /** Writes a "time" field: nanoseconds since the Unix epoch as {@code {"sec":…,"nsec":…}}. */
    static void writeTime(JsonGenerator g, String field, long epochNanos) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeNumberField("sec", Math.floorDiv(epochNanos, 1_000_000_000L));
        g.writeNumberField("nsec", Math.floorMod(epochNanos, 1_000_000_000L));
        g.writeEndObject();
    }

    /**
     * Reads a "time" field's object, the parser on its start.
     *
     * @return nanoseconds since the Unix epoch
     * @throws IOException if it is not {@code {"sec":…,"nsec":…}} with nsec below a second
     */
    static long readTime(JsonParser p) throws IOException {
        long sec = -1;
        long nsec = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                throw new IOException("time." + name + " is not an integer");
            }
            if (name.equals("sec")) {
                sec = p.getLongValue();
            } else if (name.equals("nsec")) {
                nsec = p.getLongValue();
            }
        }
        if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) {
            throw new IOException("time needs sec and nsec (below 1e9)");
        }
        return Math.addExact(Math.multiplyExact(sec, 1_000_000_000L), nsec);
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
        Generator gen = GENERATOR.get();
        gen.target = out;
        try {
            JsonGenerator g = gen.json;
            g.writeStartObject();
            writeFields(value, g);
            g.writeEndObject();
            g.flush();
        } catch (IOException | RuntimeException | Error e) {
            // half an object may be buffered in it: the next value gets a fresh one. An Error too: a direct
            // buffer's OutOfMemoryError in the stream left the live view's JPEG topic writing "expecting field
            // name" for every later value
            GENERATOR.remove();
            throw e;
        } finally {
            gen.target = null;
        }
    }

    /**
     * One JSON generator per thread, kept from value to value (making one per value cost hundreds of
     * bytes of garbage per recorded value); it writes into whatever stream the current call gives.
     */
    private static final ThreadLocal<Generator> GENERATOR = ThreadLocal.withInitial(Generator::new);

    private static final class Generator extends OutputStream {
        final JsonGenerator json;
        OutputStream target;

        Generator() {
            try {
                json = JSON.createGenerator(this);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.setRootValueSeparator(null); // one object per call, nothing between them
        }

        @Override
        public void write(int b) throws IOException {
            target.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            target.write(b, off, len);
        }
    }

    /** Called before a message's fields are read: a codec that gathers fields across calls resets here. */
    void startDecode(E into) {
    }

    @Override
    public final boolean decode(byte[] data, int offset, int length, E into) {
        startDecode(into);
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
            case "time": return v == JsonToken.START_OBJECT;
            default: return v == JsonToken.VALUE_STRING; // string, bytes
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
