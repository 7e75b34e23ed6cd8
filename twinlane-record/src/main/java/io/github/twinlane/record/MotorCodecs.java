package io.github.twinlane.record;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import java.io.IOException;

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

    private static final String[] TELEMETRY_FIELDS = {"sequence", "velocity", "position", "setpoint",
        "lastCommandSequence", "lastCommandSentNanos"};
    private static final RecordCodec<MotorTelemetry> TELEMETRY = new JsonCodec<>("twinlane.motor.MotorTelemetry",
            MotorTelemetry.TYPE, TELEMETRY_FIELDS, new String[] {"integer", "number", "number", "number", "integer",
            "integer"}) {
        @Override
        void writeFields(MotorTelemetry t, JsonGenerator g) throws IOException {
            g.writeNumberField("sequence", t.sequence);
            g.writeNumberField("velocity", t.velocity);
            g.writeNumberField("position", t.position);
            g.writeNumberField("setpoint", t.setpoint);
            g.writeNumberField("lastCommandSequence", t.lastCommandSequence);
            g.writeNumberField("lastCommandSentNanos", t.lastCommandSentNanos);
        }

        @Override
        void readField(int index, JsonParser p, MotorTelemetry into) throws IOException {
            switch (index) {
                case 0: into.sequence = p.getLongValue(); break;
                case 1: into.velocity = p.getDoubleValue(); break;
                case 2: into.position = p.getDoubleValue(); break;
                case 3: into.setpoint = p.getDoubleValue(); break;
                case 4: into.lastCommandSequence = p.getLongValue(); break;
                default: into.lastCommandSentNanos = p.getLongValue();
            }
        }
    };

    private static final RecordCodec<MotorCommand> COMMAND = new JsonCodec<>("twinlane.motor.MotorCommand",
            MotorCommand.TYPE, new String[] {"sequence", "velocity", "sentNanos"},
            new String[] {"integer", "number", "integer"}) {
        @Override
        void writeFields(MotorCommand c, JsonGenerator g) throws IOException {
            g.writeNumberField("sequence", c.sequence);
            g.writeNumberField("velocity", c.velocity);
            g.writeNumberField("sentNanos", c.sentNanos);
        }

        @Override
        void readField(int index, JsonParser p, MotorCommand into) throws IOException {
            switch (index) {
                case 0: into.sequence = p.getLongValue(); break;
                case 1: into.velocity = p.getDoubleValue(); break;
                default: into.sentNanos = p.getLongValue();
            }
        }
    };
}
