package io.github.twinlane.aeron;

import java.nio.ByteOrder;

/**
 * The fragment header every bridge message carries, little-endian, 40 bytes:
 * <pre>
 *  0  u16  magic 0x4C54 ("TL")
 *  2  u8   header format, 1
 *  3  u8   kind: 1 data, 2 command, 3 hello (a late joiner asking for the newest value)
 *  4  i32  schema id
 *  8  u16  schema version
 * 10  u16  flags: bit 0 = the exporter accepts remote commands
 * 12  i32  fragment index, from 0
 * 16  i32  fragment count, at least 1
 * 20  i32  message length (payload bytes over all fragments)
 * 24  i64  message sequence, per publisher
 * 32  i64  sent at, epoch nanoseconds
 * 40       payload slice
 * </pre>
 * Each fragment fits one Aeron frame (the publication's max payload), so Aeron never fragments
 * on our behalf and a receiver sees every fragment as it arrives.
 */
final class Wire {
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    static final int HEADER = 40;
    static final short MAGIC = 0x4C54;
    static final byte FORMAT = 1;

    static final int KIND_DATA = 1;
    static final int KIND_COMMAND = 2;
    static final int KIND_HELLO = 3;

    static final int FLAG_COMMANDS_ACCEPTED = 1;

    static final int MAGIC_OFFSET = 0;
    static final int FORMAT_OFFSET = 2;
    static final int KIND_OFFSET = 3;
    static final int SCHEMA_ID_OFFSET = 4;
    static final int SCHEMA_VERSION_OFFSET = 8;
    static final int FLAGS_OFFSET = 10;
    static final int INDEX_OFFSET = 12;
    static final int COUNT_OFFSET = 16;
    static final int LENGTH_OFFSET = 20;
    static final int SEQ_OFFSET = 24;
    static final int SENT_OFFSET = 32;

    private Wire() {
    }

    static String kindName(int kind) {
        switch (kind) {
            case KIND_DATA:
                return "data";
            case KIND_COMMAND:
                return "command";
            case KIND_HELLO:
                return "hello";
            default:
                return "kind " + kind;
        }
    }
}
