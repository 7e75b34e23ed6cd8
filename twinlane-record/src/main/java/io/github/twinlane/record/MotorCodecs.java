package io.github.twinlane.record;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.twinlane.MessageType;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The simulated drive's messages as JSON objects with a JSON Schema, so Foxglove can plot every field:
 * a template for a codec of your own. Stateless; any thread.
 */
public final class MotorCodecs {
    private MotorCodecs() {
    }

    /** @return {@link MotorTelemetry} as {@code {"sequence":…,"velocity":…,"position":…,"setpoint":…,…}} */
    public static RecordCodec<MotorTelemetry> telemetry() {
        return TELEMETRY;
    }

    /** @return {@link MotorCommand} as {@code {"sequence":…,"velocity":…,"sentNanos":…}} */
    public static RecordCodec<MotorCommand> command() {
        return COMMAND;
    }

    private static final RecordCodec<MotorTelemetry> TELEMETRY = new Json<>("twinlane.motor.MotorTelemetry",
            MotorTelemetry.TYPE, new String[] {"sequence", "velocity", "position", "setpoint", "lastCommandSequence",
            "lastCommandSentNanos"}, new boolean[] {true, false, false, false, true, true}) {
        @Override
        void write(MotorTelemetry t, JsonGenerator g) throws IOException {
            g.writeNumberField("sequence", t.sequence);
            g.writeNumberField("velocity", t.velocity);
            g.writeNumberField("position", t.position);
            g.writeNumberField("setpoint", t.setpoint);
            g.writeNumberField("lastCommandSequence", t.lastCommandSequence);
            g.writeNumberField("lastCommandSentNanos", t.lastCommandSentNanos);
        }

        @Override
        boolean read(String field, JsonParser p, MotorTelemetry into) throws IOException {
            switch (field) {
                case "sequence": into.sequence = p.getLongValue(); return true;
                case "velocity": into.velocity = p.getDoubleValue(); return true;
                case "position": into.position = p.getDoubleValue(); return true;
                case "setpoint": into.setpoint = p.getDoubleValue(); return true;
                case "lastCommandSequence": into.lastCommandSequence = p.getLongValue(); return true;
                case "lastCommandSentNanos": into.lastCommandSentNanos = p.getLongValue(); return true;
                default: return false;
            }
        }
    };

    private static final RecordCodec<MotorCommand> COMMAND = new Json<>("twinlane.motor.MotorCommand",
            MotorCommand.TYPE, new String[] {"sequence", "velocity", "sentNanos"}, new boolean[] {true, false, true}) {
        @Override
        void write(MotorCommand c, JsonGenerator g) throws IOException {
            g.writeNumberField("sequence", c.sequence);
            g.writeNumberField("velocity", c.velocity);
            g.writeNumberField("sentNanos", c.sentNanos);
        }

        @Override
        boolean read(String field, JsonParser p, MotorCommand into) throws IOException {
            switch (field) {
                case "sequence": into.sequence = p.getLongValue(); return true;
                case "velocity": into.velocity = p.getDoubleValue(); return true;
                case "sentNanos": into.sentNanos = p.getLongValue(); return true;
                default: return false;
            }
        }
    };

    /** A flat JSON object of numbers, every field required: its schema written from the field list. */
    private abstract static class Json<E> extends JsonCodec<E> {
        private final String[] fields;

        Json(String name, MessageType<E> type, String[] fields, boolean[] integer) {
            super(name, type, objectSchema(name, fields, types(integer)));
            this.fields = fields;
        }

        private static String[] types(boolean[] integer) {
            String[] t = new String[integer.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = integer[i] ? "integer" : "number";
            }
            return t;
        }

        abstract void write(E value, JsonGenerator g) throws IOException;

        abstract boolean read(String field, JsonParser p, E into) throws IOException;

        @Override
        public void encode(E value, OutputStream out) throws IOException {
            try (JsonGenerator g = JSON.createGenerator(out)) {
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.writeStartObject();
                write(value, g);
                g.writeEndObject();
            }
        }

        @Override
        public boolean decode(byte[] data, int offset, int length, E into) {
            long seen = 0; // one bit per field: each must be there, once
            try (JsonParser p = JSON.createParser(data, offset, length)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return false;
                }
                JsonToken t;
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
                        p.skipChildren();
                        continue; // not one of ours: a field a newer writer added
                    }
                    int i = java.util.Arrays.asList(fields).indexOf(field);
                    if (i >= 0 && read(field, p, into)) {
                        seen |= 1L << i;
                    }
                }
                return t == JsonToken.END_OBJECT && p.nextToken() == null && seen == (1L << fields.length) - 1;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
    }
}
