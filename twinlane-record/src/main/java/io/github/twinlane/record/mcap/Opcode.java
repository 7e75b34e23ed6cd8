package io.github.twinlane.record.mcap;

/** The format's record opcodes and magic (mcap.dev/spec, major version 0). */
final class Opcode {
    static final int HEADER = 0x01;
    static final int FOOTER = 0x02;
    static final int SCHEMA = 0x03;
    static final int CHANNEL = 0x04;
    static final int MESSAGE = 0x05;
    static final int CHUNK = 0x06;
    static final int MESSAGE_INDEX = 0x07;
    static final int CHUNK_INDEX = 0x08;
    static final int ATTACHMENT = 0x09;
    static final int ATTACHMENT_INDEX = 0x0A;
    static final int STATISTICS = 0x0B;
    static final int METADATA = 0x0C;
    static final int METADATA_INDEX = 0x0D;
    static final int SUMMARY_OFFSET = 0x0E;
    static final int DATA_END = 0x0F;

    /** 0x89 'M' 'C' 'A' 'P' '0' '\r' '\n', at both ends of a file. */
    static final byte[] MAGIC = {(byte) 0x89, 'M', 'C', 'A', 'P', '0', '\r', '\n'};
    /** Opcode, content length, summary start, summary offset start, summary CRC. */
    static final int FOOTER_RECORD_LENGTH = 1 + 8 + 8 + 8 + 4;
    /** Opcode and content length before every record's content. */
    static final int RECORD_PREFIX = 1 + 8;

    private Opcode() {
    }
}
