package io.github.twinlane.record.mcap;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Reads a file's data section front to back, record by record, entering chunks: the way to read a
 * file with no summary (a recording cut short) and the way {@link McapRecovery} finds what survived.
 * Every length is bounded by the file, the record and {@link McapLimits} before anything is allocated
 * for it: a record by what is left of the file and {@code maxRecordBytes}; a chunk's declared size by
 * {@code maxChunkBytes}, {@code maxCompressionRatio} times its stored size and what is left of the read's
 * {@code maxDecodedBytes}; a chunk is decoded into one array of its declared size (an uncompressed one is
 * read where it is stored). Every CRC present is checked (chunks, attachments). Not thread-safe; one per
 * read.
 */
final class McapScanner {
    private final FileChannel file;
    private final long size;
    private final McapLimits limits;
    private final McapVisitor visitor;
    private final Map<Integer, McapChannel> channels = new HashMap<>();
    private final Map<Integer, McapSchema> schemas = new HashMap<>();
    private long messages;
    private long chunks;
    /** The chunks' uncompressed sizes, added up: bounded by {@link McapLimits#maxDecodedBytes}. */
    private long decoded;
    /** Every byte read so far, from the file's first: the data section's CRC at its data-end record. */
    private final CRC32 dataCrc = new CRC32();

    McapScanner(FileChannel file, McapLimits limits, McapVisitor visitor) throws IOException {
        this.file = file;
        this.size = file.size();
        this.limits = limits;
        this.visitor = visitor;
    }

    /**
     * Checks the leading magic and reads the header.
     *
     * @return the offset of the first data-section record
     */
    long header() throws IOException {
        if (size < Opcode.MAGIC.length) {
            throw new McapException(0, "the file has " + size + " bytes, fewer than the 8-byte MCAP magic: it is not "
                    + "an MCAP file, or was cut short before anything was written");
        }
        byte[] magic = FileBytes.read(file, 0, Opcode.MAGIC.length);
        dataCrc.update(magic, 0, magic.length);
        if (!Arrays.equals(magic, Opcode.MAGIC)) {
            throw new McapException(0, "the file does not start with the MCAP magic (0x89 M C A P 0 \\r \\n): it is "
                    + "not an MCAP file (or not major version 0)");
        }
        long pos = Opcode.MAGIC.length;
        Rec r = record(pos);
        if (r == null) {
            throw new McapException(pos, "the file ends inside its header record: it was cut short before anything "
                    + "was recorded");
        }
        if (r.opcode != Opcode.HEADER) {
            throw new McapException(pos, "the first record is opcode 0x" + Integer.toHexString(r.opcode)
                    + ", not the header (0x01): the file is corrupt");
        }
        LeReader in = new LeReader(r.content, 0, r.content.length, r.contentOffset, "Header record");
        visitor.header(in.string("profile"), in.string("library"));
        return r.end;
    }

    /**
     * Reads the data section.
     *
     * @param strict throw at the first problem; otherwise stop there and report it
     * @return how it ended
     * @throws McapException in strict mode, for truncation or corruption
     */
    McapScan scan(boolean strict) throws IOException {
        long pos = header();
        long valid = pos;
        try {
            while (true) {
                Rec r = record(pos);
                if (r == null) {
                    throw new McapException(pos, "the file ends inside the record that starts here (the data section "
                            + "has no data-end record): it was cut short, or this record's length is corrupt; everything "
                            + "before byte " + pos + " is complete");
                }
                if (r.opcode == Opcode.DATA_END) {
                    checkDataCrc(r);
                    return new McapScan(true, r.end, messages, chunks, null);
                }
                if (r.opcode == Opcode.FOOTER || r.opcode == Opcode.HEADER) {
                    throw new McapException(pos, (r.opcode == Opcode.FOOTER ? "a footer" : "a second header")
                            + " in the data section, before any data-end record: the file is corrupt");
                }
                dataRecord(r);
                pos = r.end;
                valid = pos;
            }
        } catch (McapException e) {
            if (strict) {
                throw e;
            }
            return new McapScan(false, valid, messages, chunks, e);
        }
    }

    /**
     * The data-end record's CRC covers every byte before it: a changed byte anywhere in the data
     * section (even in a record this reader skips, such as an unknown opcode) is caught here.
     */
    private void checkDataCrc(Rec r) throws McapException {
        LeReader in = new LeReader(r.content, 0, r.content.length, r.contentOffset, "Data End record");
        long crc = in.u32("data_section_crc");
        if (crc != 0 && crc != dataCrc.getValue()) {
            throw new McapException(r.start, "data section CRC mismatch (stored " + Long.toHexString(crc) + ", computed "
                    + Long.toHexString(dataCrc.getValue()) + "): a byte of the data section is corrupt");
        }
    }

    private void dataRecord(Rec r) throws IOException {
        switch (r.opcode) {
            case Opcode.SCHEMA:
            case Opcode.CHANNEL:
            case Opcode.MESSAGE:
                inner(r.opcode, r.content, 0, r.content.length, r.contentOffset);
                break;
            case Opcode.CHUNK:
                chunk(r);
                break;
            case Opcode.ATTACHMENT:
                visitor.attachment(attachment(r));
                break;
            case Opcode.METADATA: {
                LeReader in = new LeReader(r.content, 0, r.content.length, r.contentOffset, "Metadata record");
                visitor.metadata(new McapMetadata(in.string("name"), in.stringMap("metadata")));
                break;
            }
            case Opcode.MESSAGE_INDEX: {
                // not needed to read front to back, but its shape is checked: a length made longer by damage
                // would otherwise swallow the records after it unnoticed
                LeReader in = new LeReader(r.content, 0, r.content.length, r.contentOffset, "Message Index record");
                in.u16("channel_id");
                int n = in.length32("records");
                if (n % 16 != 0 || in.remaining() != n) {
                    throw new McapException(r.start, "message index of " + r.content.length + " bytes does not hold a "
                            + "whole number of 16-byte entries: the file is corrupt here");
                }
                break;
            }
            default:
                break; // unknown opcodes are skipped, as the spec asks (the data-end CRC still covers them)
        }
    }

    private void chunk(Rec r) throws IOException {
        LeReader in = new LeReader(r.content, 0, r.content.length, r.contentOffset, "Chunk record");
        in.u64("message_start_time");
        in.u64("message_end_time");
        long declared = in.u64("uncompressed_size");
        long crc = in.u32("uncompressed_crc");
        McapCompression compression = McapCompression.of(in.string("compression"), r.contentOffset);
        int packed = in.length64("records"); // within the record, so within the file and maxRecordBytes
        long recordsAt = in.fileOffset();
        int from = in.position();
        in.skip(packed);
        if (in.remaining() != 0) {
            throw new McapException(in.fileOffset(), "chunk record has " + in.remaining() + " bytes after its records: "
                    + "its length is corrupt");
        }
        if (compression == McapCompression.NONE && declared != packed) {
            throw new McapException(r.start, "uncompressed chunk holds " + packed + " bytes, but declares "
                    + Long.toUnsignedString(declared) + ": the file is corrupt here");
        }
        decoded = limits.checkChunk(r.start, declared, packed, compression, decoded); // before allocating
        byte[] records;
        int start;
        if (compression == McapCompression.NONE) {
            records = r.content; // used where it is stored: no copy
            start = from;
        } else {
            records = compression.decompress(r.content, from, packed, (int) declared, recordsAt);
            start = 0;
        }
        int end = start + (int) declared;
        if (crc != 0) {
            CRC32 c = new CRC32();
            c.update(records, start, end - start);
            if (c.getValue() != crc) {
                throw new McapException(r.start, "chunk CRC mismatch (stored " + Long.toHexString(crc) + ", computed "
                        + Long.toHexString(c.getValue()) + "): the chunk is corrupt");
            }
        }
        int pos = start;
        while (pos < end) {
            if (end - pos < Opcode.RECORD_PREFIX) {
                throw new McapException(recordsAt, "a chunk's records end with " + (end - pos)
                        + " stray bytes: the chunk is corrupt");
            }
            LeReader head = new LeReader(records, pos, end, recordsAt - start, "chunk record");
            int op = head.u8("opcode");
            long len = head.u64("length");
            if (len < 0 || len > end - pos - Opcode.RECORD_PREFIX) {
                throw new McapException(recordsAt, "a record inside the chunk at its byte " + (pos - start) + " claims "
                        + Long.toUnsignedString(len) + " bytes, more than the chunk has left: the chunk is corrupt");
            }
            int at = pos + Opcode.RECORD_PREFIX;
            inner(op, records, at, at + (int) len, recordsAt - start);
            pos = at + (int) len;
        }
        chunks++;
    }

    /** A schema, channel or message, in a chunk or not. {@code base} is the file offset of {@code b[0]} (approximate inside a chunk). */
    private void inner(int op, byte[] b, int from, int to, long base) throws IOException {
        switch (op) {
            case Opcode.SCHEMA: {
                LeReader in = new LeReader(b, from, to, base, "Schema record");
                int id = in.u16("id");
                String name = in.string("name");
                String encoding = in.string("encoding");
                byte[] data = in.bytes(in.length32("data"), "data");
                if (id == 0) {
                    return; // invalid by the spec: ignored
                }
                McapSchema s = new McapSchema(id, name, encoding, data);
                if (schemas.putIfAbsent(id, s) == null) {
                    visitor.schema(s);
                }
                return;
            }
            case Opcode.CHANNEL: {
                LeReader in = new LeReader(b, from, to, base, "Channel record");
                McapChannel c = new McapChannel(in.u16("id"), in.u16("schema_id"), in.string("topic"),
                        in.string("message_encoding"), in.stringMap("metadata"));
                if (c.schemaId() != 0 && !schemas.containsKey(c.schemaId())) {
                    throw new McapException(base + from, "channel " + c.id() + " (" + McapCompression.printable(c.topic())
                            + ") refers to schema " + c.schemaId() + ", which no earlier Schema record defines: the "
                            + "file is corrupt");
                }
                if (channels.putIfAbsent(c.id(), c) == null) {
                    visitor.channel(c);
                }
                return;
            }
            case Opcode.MESSAGE: {
                LeReader in = new LeReader(b, from, to, base, "Message record");
                int channel = in.u16("channel_id");
                long seq = in.u32("sequence");
                long log = in.u64("log_time");
                long pub = in.u64("publish_time");
                byte[] data = in.bytes(in.remaining(), "data");
                McapChannel c = channels.get(channel);
                if (c == null) {
                    throw new McapException(base + from, "a message on channel " + channel + ", which no earlier "
                            + "Channel record defines: the file is corrupt");
                }
                messages++;
                visitor.message(c, new McapMessage(channel, seq, log, pub, data));
                return;
            }
            default:
                // other records do not belong in a chunk; unknown ones are skipped
        }
    }

    private McapAttachment attachment(Rec r) throws McapException {
        LeReader in = new LeReader(r.content, 0, r.content.length, r.contentOffset, "Attachment record");
        long log = in.u64("log_time");
        long create = in.u64("create_time");
        String name = in.string("name");
        String type = in.string("content_type");
        byte[] data = in.bytes(in.length64("data"), "data");
        int crcEnd = in.position();
        long crc = in.u32("crc");
        if (crc != 0) {
            CRC32 c = new CRC32();
            c.update(r.content, 0, crcEnd);
            if (c.getValue() != crc) {
                throw new McapException(r.start, "attachment '" + McapCompression.printable(name) + "' CRC mismatch: "
                        + "the attachment is corrupt");
            }
        }
        return new McapAttachment(log, create, name, type, data);
    }

    /** One record read whole: null if the file ends before it does. */
    Rec record(long pos) throws IOException {
        if (size - pos < Opcode.RECORD_PREFIX) {
            return null;
        }
        byte[] head = FileBytes.read(file, pos, Opcode.RECORD_PREFIX);
        LeReader in = new LeReader(head, 0, head.length, pos, "record");
        int op = in.u8("opcode");
        long len = in.u64("length");
        long left = size - pos - Opcode.RECORD_PREFIX;
        if (len < 0 || len > left) {
            return null; // runs past the end: cut short here (or a corrupt length, which reads the same)
        }
        if (len > limits.maxRecordBytes()) {
            throw new McapException(pos, "record opcode 0x" + Integer.toHexString(op) + " claims " + len
                    + " bytes, more than the reader's limit of " + limits.maxRecordBytes()
                    + " (McapLimits.maxRecordBytes): corrupt, or raise the limit for a genuine one", "maxRecordBytes", null);
        }
        byte[] content = FileBytes.read(file, pos + Opcode.RECORD_PREFIX, (int) len);
        if (op != Opcode.DATA_END) { // its CRC covers the bytes before it
            dataCrc.update(head, 0, head.length);
            dataCrc.update(content, 0, content.length);
        }
        return new Rec(op, pos, pos + Opcode.RECORD_PREFIX, content, pos + Opcode.RECORD_PREFIX + len);
    }

    /** A record: opcode, where it starts, where its content starts, the content, where it ends. */
    static final class Rec {
        final int opcode;
        final long start;
        final long contentOffset;
        final byte[] content;
        final long end;

        Rec(int opcode, long start, long contentOffset, byte[] content, long end) {
            this.opcode = opcode;
            this.start = start;
            this.contentOffset = contentOffset;
            this.content = content;
            this.end = end;
        }
    }
}
