package io.github.twinlane.record.mcap;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Reads an MCAP file (mcap.dev/spec), chunked or not, compressed with zstd, lz4 or nothing, written
 * by twinlane or by any other MCAP writer. {@link #summary()} reads the summary from the footer without
 * scanning the data; {@link #read} reads every record front to back, checking each CRC the file
 * carries. A corrupt, truncated or hostile file gives a {@link McapException} naming the byte offset,
 * never a hang or an exception of another kind; {@link #readAvailable} reads a file cut short up to its
 * last complete record instead.
 *
 * <p>Memory: every length in the file is checked against what is left of the file and against the
 * reader's {@link McapLimits} before anything is allocated for it, and a refusal names the limit and
 * the setting that raises it. One record read allocates at most the record as stored (at most {@code
 * maxRecordBytes}), its chunk decoded into one array of the declared size (at most {@code maxChunkBytes},
 * and at most {@code maxCompressionRatio} times the chunk's stored size: a decompression bomb is refused
 * unread), and the values handed out (copies from that array, at most its size again). So a file of
 * {@code F} bytes makes the reader hold at most about {@code F + 2 * min(maxChunkBytes, maxCompressionRatio
 * * F)} bytes at once, plus a 1 MiB buffer to check the data CRC, and what the visitor keeps; a heap of that
 * size reads it without an OutOfMemoryError. A read decodes at most {@code maxDecodedBytes} in all, and at
 * most {@code maxCompressionRatio} times the file's size, which bounds its time too. {@link #summary()}
 * allocates at most the summary section (at most {@code maxRecordBytes}).
 *
 * <p>Threading: one thread at a time (any thread; the reader holds no thread of its own). Blocks on
 * file I/O; allocates what it hands out, each value a new array the visitor may keep.
 */
public final class McapReader implements Closeable {
    private final Path path;
    private final FileChannel file;
    private final McapLimits limits;

    private McapReader(Path path, FileChannel file, McapLimits limits) {
        this.path = path;
        this.file = file;
        this.limits = limits;
    }

    /**
     * Opens a file with {@link McapLimits#defaults()}.
     *
     * @param file the file
     * @return the reader
     * @throws IOException if it cannot be opened
     */
    public static McapReader open(Path file) throws IOException {
        return open(file, McapLimits.defaults());
    }

    /**
     * Opens a file.
     *
     * @param file the file
     * @param limits what one record may make the reader allocate, and one read decode
     * @return the reader
     * @throws IOException if it cannot be opened
     */
    public static McapReader open(Path file, McapLimits limits) throws IOException {
        return new McapReader(file, FileChannel.open(file, StandardOpenOption.READ), limits);
    }

    /** @return the file */
    public Path path() {
        return path;
    }

    /**
     * Reads every record of the data section in file order: schemas, channels, messages (inside
     * chunks or not), metadata and attachments, checking every CRC.
     *
     * @param visitor gets each record
     * @return how the read ended (always complete: anything else throws)
     * @throws McapException if the file is truncated, corrupt or not MCAP, naming the offset
     * @throws IOException if it cannot be read
     */
    public McapScan read(McapVisitor visitor) throws IOException {
        try {
            verifyDataCrc(); // before anything is handed out: a damaged file gives no false message first
            return new McapScanner(file, limits, visitor).scan(true);
        } catch (McapException e) {
            throw withFile(e);
        }
    }

    /**
     * Reads as much of the data section as is complete and valid: a recording cut by a crash, or a
     * file corrupt part way, up to its last complete record before the problem.
     *
     * @param visitor gets each record before the problem
     * @return how far it got, and what stopped it
     * @throws McapException if not even the header is readable
     * @throws IOException if the file cannot be read
     */
    public McapScan readAvailable(McapVisitor visitor) throws IOException {
        try {
            McapScan scan = new McapScanner(file, limits, visitor).scan(false);
            return scan.problem() == null ? scan : new McapScan(scan.complete(), scan.validBytes(), scan.messages(),
                    scan.chunks(), withFile(scan.problem())); // named as read() names it
        } catch (McapException e) {
            throw withFile(e);
        }
    }

    /**
     * Reads the summary section through the footer, checking its CRC.
     *
     * @return the summary, or empty if the file has none (a recording cut short: use
     *     {@link #readAvailable} or {@link McapRecovery})
     * @throws McapException if the footer or summary is corrupt
     * @throws IOException if the file cannot be read
     */
    public Optional<McapSummary> summary() throws IOException {
        try {
            return readSummary();
        } catch (McapException e) {
            throw withFile(e);
        }
    }

    /**
     * When the file ends properly and its data-end record carries a CRC, checks the whole data section
     * against it (one sequential read) before the records are parsed. A byte changed anywhere, even one
     * that turns a record into another valid-looking one, is then refused before any value is handed out.
     */
    private void verifyDataCrc() throws IOException {
        long size = file.size();
        long footerAt = size - Opcode.MAGIC.length - Opcode.FOOTER_RECORD_LENGTH;
        if (footerAt < Opcode.MAGIC.length) {
            return;
        }
        byte[] tail = FileBytes.read(file, footerAt, Opcode.FOOTER_RECORD_LENGTH + Opcode.MAGIC.length);
        if (!Arrays.equals(Arrays.copyOfRange(tail, Opcode.FOOTER_RECORD_LENGTH, tail.length), Opcode.MAGIC)
                || (tail[0] & 0xff) != Opcode.FOOTER) {
            return; // cut short: the scan finds where, and hands out only what precedes it
        }
        long summaryStart = new LeReader(tail, 9, 17, footerAt, "Footer record").u64("summary_start");
        long dataEndAt = (summaryStart != 0 ? summaryStart : footerAt) - (Opcode.RECORD_PREFIX + 4);
        if (dataEndAt < Opcode.MAGIC.length || summaryStart != 0 && summaryStart > footerAt) {
            return; // the scan reports the corrupt footer or summary position
        }
        byte[] de = FileBytes.read(file, dataEndAt, Opcode.RECORD_PREFIX + 4);
        LeReader in = new LeReader(de, 0, de.length, dataEndAt, "Data End record");
        if (in.u8("opcode") != Opcode.DATA_END || in.u64("length") != 4) {
            return; // not where a data-end record would be (an extended record, or damage the scan reports)
        }
        long crc = in.u32("data_section_crc");
        if (crc == 0) {
            return;
        }
        CRC32 c = new CRC32();
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 20);
        for (long pos = 0; pos < dataEndAt; ) {
            buf.clear().limit((int) Math.min(buf.capacity(), dataEndAt - pos));
            int n = file.read(buf, pos);
            if (n < 0) {
                return;
            }
            c.update(buf.array(), 0, n);
            pos += n;
        }
        if (c.getValue() != crc) {
            throw new McapException(dataEndAt, "data section CRC mismatch (stored " + Long.toHexString(crc)
                    + ", computed " + Long.toHexString(c.getValue()) + "): a byte of the data section is corrupt; "
                    + "readAvailable reads what precedes the damage");
        }
    }

    private Optional<McapSummary> readSummary() throws IOException {
        long size = file.size();
        long footerAt = size - Opcode.MAGIC.length - Opcode.FOOTER_RECORD_LENGTH;
        if (footerAt < Opcode.MAGIC.length) {
            return Optional.empty();
        }
        byte[] tail = FileBytes.read(file, footerAt, Opcode.FOOTER_RECORD_LENGTH + Opcode.MAGIC.length);
        if (!Arrays.equals(Arrays.copyOfRange(tail, Opcode.FOOTER_RECORD_LENGTH, tail.length), Opcode.MAGIC)) {
            return Optional.empty(); // no trailing magic: cut short before close
        }
        LeReader f = new LeReader(tail, 0, Opcode.FOOTER_RECORD_LENGTH, footerAt, "Footer record");
        if (f.u8("opcode") != Opcode.FOOTER || f.u64("length") != 20) {
            throw new McapException(footerAt, "the file ends with the MCAP magic but no footer record before it: the "
                    + "file is corrupt");
        }
        long summaryStart = f.u64("summary_start");
        long summaryOffsetStart = f.u64("summary_offset_start");
        long crc = f.u32("summary_crc");
        if (summaryStart == 0) {
            return Optional.empty();
        }
        if (summaryStart < Opcode.MAGIC.length || summaryStart > footerAt) {
            throw new McapException(footerAt, "the footer's summary_start " + Long.toUnsignedString(summaryStart)
                    + " is outside the file's data (8 to " + footerAt + "): the footer is corrupt");
        }
        long end = summaryOffsetStart != 0 ? summaryOffsetStart : footerAt;
        if (summaryOffsetStart != 0 && (summaryOffsetStart < summaryStart || summaryOffsetStart > footerAt)) {
            throw new McapException(footerAt, "the footer's summary_offset_start " + Long.toUnsignedString(summaryOffsetStart)
                    + " is outside the summary (" + summaryStart + " to " + footerAt + "): the footer is corrupt");
        }
        long withFooter = footerAt + 1 + 8 + 8 + 8 - summaryStart;
        if (withFooter > limits.maxRecordBytes()) {
            throw new McapException(summaryStart, "the summary is " + withFooter + " bytes, more than the reader's limit "
                    + "of " + limits.maxRecordBytes() + " (McapLimits.maxRecordBytes)", "maxRecordBytes", null);
        }
        byte[] bytes = FileBytes.read(file, summaryStart, (int) withFooter);
        if (crc != 0) {
            CRC32 c = new CRC32();
            c.update(bytes, 0, bytes.length);
            if (c.getValue() != crc) {
                throw new McapException(summaryStart, "summary CRC mismatch (footer says " + Long.toHexString(crc)
                        + ", computed " + Long.toHexString(c.getValue()) + "): the summary is corrupt; the data may "
                        + "still be readable with readAvailable or recover");
            }
        }
        return Optional.of(parseSummary(bytes, (int) (end - summaryStart), summaryStart));
    }

    private McapSummary parseSummary(byte[] b, int length, long base) throws McapException {
        List<McapSchema> schemas = new ArrayList<>();
        List<McapChannel> channels = new ArrayList<>();
        List<String> attachments = new ArrayList<>();
        List<String> metadata = new ArrayList<>();
        long chunks = 0;
        McapStatistics stats = null;
        int pos = 0;
        while (pos < length) {
            LeReader head = new LeReader(b, pos, length, base, "summary record");
            int op = head.u8("opcode");
            long len = head.u64("length");
            int from = pos + Opcode.RECORD_PREFIX;
            if (len < 0 || len > length - from) {
                throw new McapException(base + pos, "a summary record claims " + Long.toUnsignedString(len)
                        + " bytes, more than the summary has left: the summary is corrupt");
            }
            int to = from + (int) len;
            LeReader in = new LeReader(b, from, to, base, "summary record 0x" + Integer.toHexString(op));
            switch (op) {
                case Opcode.SCHEMA: {
                    int id = in.u16("id");
                    McapSchema s = new McapSchema(id, in.string("name"), in.string("encoding"),
                            in.bytes(in.length32("data"), "data"));
                    if (id != 0) {
                        schemas.add(s);
                    }
                    break;
                }
                case Opcode.CHANNEL:
                    channels.add(new McapChannel(in.u16("id"), in.u16("schema_id"), in.string("topic"),
                            in.string("message_encoding"), in.stringMap("metadata")));
                    break;
                case Opcode.CHUNK_INDEX:
                    chunks++;
                    break;
                case Opcode.ATTACHMENT_INDEX:
                    in.skip(40);
                    attachments.add(in.string("name"));
                    break;
                case Opcode.METADATA_INDEX:
                    in.skip(16);
                    metadata.add(in.string("name"));
                    break;
                case Opcode.STATISTICS:
                    stats = new McapStatistics(in.u64("message_count"), in.u16("schema_count"), in.u32("channel_count"),
                            in.u32("attachment_count"), in.u32("metadata_count"), in.u32("chunk_count"),
                            in.u64("message_start_time"), in.u64("message_end_time"), in.idMap("channel_message_counts"));
                    break;
                default:
                    break;
            }
            pos = to;
        }
        return new McapSummary(List.copyOf(schemas), List.copyOf(channels), chunks, List.copyOf(attachments),
                List.copyOf(metadata), stats);
    }

    private McapException withFile(McapException e) {
        return new McapException(e.offset(), path.getFileName() + ": " + e.getMessage().replaceFirst("^at byte \\d+: ", ""),
                e.limit().orElse(null), e.getCause() != null ? e.getCause() : e);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
