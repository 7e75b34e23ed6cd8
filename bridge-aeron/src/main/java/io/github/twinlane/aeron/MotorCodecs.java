package io.github.twinlane.aeron;

import io.github.twinlane.MessageType;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** Codecs for the simulated drive's messages; also a template for a fixed-layout codec. */
final class MotorCodecs {
    private MotorCodecs() {
    }

    /** 24 bytes: sequence, velocity, sent-at (epoch ns). */
    static final class Command implements WireCodec<MotorCommand> {
        static final int LENGTH = 24;

        @Override
        public int fixedLength() {
            return LENGTH;
        }

        @Override
        public MessageType<MotorCommand> type() {
            return MotorCommand.TYPE;
        }

        @Override
        public int encode(MotorCommand m, MutableDirectBuffer b, int o) {
            b.putLong(o, m.sequence, Wire.ORDER);
            b.putDouble(o + 8, m.velocity, Wire.ORDER);
            b.putLong(o + 16, WallClock.toEpochNanos(m.sentNanos), Wire.ORDER);
            return LENGTH;
        }

        @Override
        public boolean decode(DirectBuffer b, int o, int length, MotorCommand into) {
            if (length != LENGTH) {
                return false;
            }
            double v = b.getDouble(o + 8, Wire.ORDER);
            if (!Double.isFinite(v)) {
                return false; // a NaN velocity must never reach a drive
            }
            into.sequence = b.getLong(o, Wire.ORDER);
            into.velocity = v;
            into.sentNanos = WallClock.fromEpochNanos(b.getLong(o + 16, Wire.ORDER));
            return true;
        }
    }

    /** 48 bytes: sequence, velocity, position, setpoint, last command sequence, its sent-at (epoch ns). */
    static final class Telemetry implements WireCodec<MotorTelemetry> {
        static final int LENGTH = 48;

        @Override
        public int fixedLength() {
            return LENGTH;
        }

        @Override
        public MessageType<MotorTelemetry> type() {
            return MotorTelemetry.TYPE;
        }

        @Override
        public int encode(MotorTelemetry m, MutableDirectBuffer b, int o) {
            b.putLong(o, m.sequence, Wire.ORDER);
            b.putDouble(o + 8, m.velocity, Wire.ORDER);
            b.putDouble(o + 16, m.position, Wire.ORDER);
            b.putDouble(o + 24, m.setpoint, Wire.ORDER);
            b.putLong(o + 32, m.lastCommandSequence, Wire.ORDER);
            b.putLong(o + 40, WallClock.toEpochNanos(m.lastCommandSentNanos), Wire.ORDER);
            return LENGTH;
        }

        @Override
        public boolean decode(DirectBuffer b, int o, int length, MotorTelemetry into) {
            if (length != LENGTH) {
                return false;
            }
            into.sequence = b.getLong(o, Wire.ORDER);
            into.velocity = b.getDouble(o + 8, Wire.ORDER);
            into.position = b.getDouble(o + 16, Wire.ORDER);
            into.setpoint = b.getDouble(o + 24, Wire.ORDER);
            into.lastCommandSequence = b.getLong(o + 32, Wire.ORDER);
            into.lastCommandSentNanos = WallClock.fromEpochNanos(b.getLong(o + 40, Wire.ORDER));
            return true;
        }
    }
}
