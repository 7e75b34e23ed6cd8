package io.github.twinlane.record.mcap;

import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * Writes an MCAP file (mcap.dev/spec): the header, schemas and channels, messages in compressed
 * chunks each followed by its message indexes, metadata and attachments, and at {@link #close()} the
 * data-end record, a summary (schemas, channels, chunk, attachment and metadata indexes, statistics),
 * summary offsets and the footer. The result opens in Foxglove and in the format's own tools.
 *
 * <p>Crash safety: a chunk reaches the file whole, when it is full or at {@link #flush()}; a process
 * killed mid-recording leaves a file readable up to its last complete chunk, which
 * {@link McapRecovery} rewrites with a summary. Schemas and channels are written inside the chunks
 * that follow their registration, so every complete chunk can be decoded.
 *
 * <p>Threading: one thread (the recording's writer, on the slow lane's CPUs). It blocks on file I/O and
 * allocates a compressed copy per chunk; nothing per message once its buffers have grown.
 */
public final class McapWriter implements Closeable {

    /**
     * How a file is written.
     *
     * @param compression the chunks' compression
     * @param chunkSize bytes of records per chunk before it is compressed and written, 1 KiB to 64 MiB
     * @param profile the header's profile; empty for none (twinlane writes "")
     * @param library the header's library field, naming the writer
     */
    public record Options(McapCompression compression, int chunkSize, String profile, String library) {
        /**
         * Validates every value.
         *
         * @throws IllegalArgumentException naming the field and what is allowed
         */
        public Options {
            Objects.requireNonNull(compression, "compression must be NONE, ZSTD or LZ4, was null");
            if (chunkSize < 1024 || chunkSize > 64 << 20) {
                throw new IllegalArgumentException("chunkSize must be from 1 KiB to 64 MiB, was " + chunkSize + " bytes");
            }
            Objects.requireNonNull(profile, "profile must be a string (\"\" for none), was null");
            Objects.requireNonNull(library, "library must be a string, was null");
        }

        /** @return zstd chunks of 1 MiB, no profile, library "twinlane" */
        public static Options defaults() {
            return new Options(McapCompression.ZSTD, 1 << 20, "", "twinlane");
        }

        /**
         * @param c the compression
         * @return these options with another compression
         */
        public Options withCompression(McapCompression c) {
            return new Options(c, chunkSize, profile, library);
        }

        /**
         * @param bytes from 1 KiB to 64 MiB
         * @return these options with another chunk size
         */
        public Options withChunkSize(int bytes) {
            return new Options(compression, bytes, profile, library);
        }
    }

    private final Path path;
    private final FileOutputStream file;
    private final McapOutput out;
    private final McapCompression.Packed packed = new McapCompression.Packed(); // reused chunk to chunk
    private final Options options;
    private final LeBuffer record = new LeBuffer(1024); // records written outside chunks, and the summary
    private final LeBuffer chunk;
    private final Map<Integer, IndexList> chunkIndexes = new TreeMap<>();
    private long chunkStartTime = -1;
    private long chunkEndTime;
    private int chunkMessages;

    private final List<byte[]> schemaRecords = new ArrayList<>();
    private final List<byte[]> channelRecords = new ArrayList<>();
    private final Map<Integer, Integer> channelSchemas = new HashMap<>();
    private final LeBuffer chunkIndexRecords = new LeBuffer(1024);
    private final LeBuffer attachmentIndexRecords = new LeBuffer(256);
    private final LeBuffer metadataIndexRecords = new LeBuffer(256);
    private final Map<Integer, Long> channelCounts = new LinkedHashMap<>();
    private long messageCount;
    private long startTime = -1;
    private long endTime;
    private long chunkCount;
    private long attachmentCount;
    private long metadataCount;
    private boolean closed;

    private McapWriter(Path path, FileOutputStream file, Options options) {
        this.path = path;
        this.file = file;
        this.out = new McapOutput(file);
        this.options = options;
        this.chunk = new LeBuffer(Math.min(options.chunkSize() + 4096, 1 << 20));
    }

    /**
     * Creates (or truncates) {@code file} and writes the magic and header.
     *
     * @param file where
     * @param options compression, chunk size, header fields
     * @return the writer
     * @throws IOException if the file cannot be created or written
     */
    public static McapWriter create(Path file, Options options) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        // a stream, not a FileChannel: a FileChannel closes itself when the writing thread is interrupted
        // (a tap's thread is, when its tap closes mid-write), which would end the whole recording
        FileOutputStream ch = new FileOutputStream(file.toFile());
        McapWriter w = new McapWriter(file, ch, options);
        try {
            w.out.write(Opcode.MAGIC, 0, Opcode.MAGIC.length);
            w.record.clear();
            int at = w.record.beginRecord(Opcode.HEADER);
            w.record.string(options.profile()).string(options.library());
            w.record.endRecord(at);
            w.out.write(w.record);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return w;
    }

    /** @return the file being written */
    public Path path() {
        return path;
    }

    /** @return bytes handed to the file so far, including the open chunk's records not yet written */
    public long size() {
        return out.position() + chunk.size();
    }

    /** @return messages written so far */
    public long messageCount() {
        return messageCount;
    }

    /**
     * Adds a schema; it is written into the next chunk and repeated in the summary.
     *
     * @param name for example {@code foxglove.CompressedImage}
     * @param encoding for example {@code jsonschema}; "" for none
     * @param data the schema (copied now)
     * @return its id, from 1
     * @throws IllegalStateException after 65,535 schemas or after close
     */
    public int schema(String name, String encoding, byte[] data) {
        ensureOpen();
        int id = schemaRecords.size() + 1;
        if (id > 0xffff) {
            throw new IllegalStateException("an MCAP file holds at most 65535 schemas: reuse one for channels of the "
                    + "same type");
        }
        LeBuffer b = new LeBuffer(64 + data.length);
        int at = b.beginRecord(Opcode.SCHEMA);
        b.u16(id).string(name).string(encoding).u32(data.length).bytes(data, 0, data.length);
        b.endRecord(at);
        byte[] rec = java.util.Arrays.copyOf(b.array(), b.size());
        schemaRecords.add(rec);
        chunk.bytes(rec, 0, rec.length);
        return id;
    }

    /**
     * Adds a channel; it is written into the next chunk and repeated in the summary.
     *
     * @param schemaId a schema from {@link #schema}, or 0 for none
     * @param topic for example {@code /drive/data}
     * @param messageEncoding for example {@code json}
     * @param metadata key/value pairs, copied now
     * @return its id
     * @throws IllegalArgumentException if the schema is unknown
     * @throws IllegalStateException after 65,536 channels or after close
     */
    public int channel(int schemaId, String topic, String messageEncoding, Map<String, String> metadata) {
        ensureOpen();
        if (schemaId < 0 || schemaId > schemaRecords.size()) {
            throw new IllegalArgumentException("schemaId " + schemaId + " was not returned by schema(...) of this writer "
                    + "(it has " + schemaRecords.size() + "); use 0 for a channel without a schema");
        }
        int id = channelRecords.size();
        if (id > 0xffff) {
            throw new IllegalStateException("an MCAP file holds at most 65536 channels");
        }
        LeBuffer b = new LeBuffer(64 + topic.length());
        int at = b.beginRecord(Opcode.CHANNEL);
        b.u16(id).u16(schemaId).string(topic).string(messageEncoding).stringMap(metadata);
        b.endRecord(at);
        byte[] rec = java.util.Arrays.copyOf(b.array(), b.size());
        channelRecords.add(rec);
        channelSchemas.put(id, schemaId);
        chunk.bytes(rec, 0, rec.length);
        return id;
    }

    /**
     * Adds one message to the open chunk; a full chunk is compressed and written before this returns.
     *
     * @param channelId a channel from {@link #channel}
     * @param sequence the channel's counter (stored as 32 bits)
     * @param logTime when it was recorded, ns
     * @param publishTime when it was published, ns
     * @param data the encoded message
     * @param offset where it starts in {@code data}
     * @param length its bytes
     * @throws IOException if a chunk cannot be written
     * @throws IllegalArgumentException if the channel is unknown
     */
    public void message(int channelId, long sequence, long logTime, long publishTime, byte[] data, int offset, int length)
            throws IOException {
        ensureOpen();
        if (!channelSchemas.containsKey(channelId)) {
            throw new IllegalArgumentException("channelId " + channelId + " was not returned by channel(...) of this writer");
        }
        Objects.checkFromIndexSize(offset, length, data.length);
        chunkIndexes.computeIfAbsent(channelId, k -> new IndexList()).add(logTime, chunk.size());
        int at = chunk.beginRecord(Opcode.MESSAGE);
        chunk.u16(channelId).u32(sequence).u64(logTime).u64(publishTime).bytes(data, offset, length);
        chunk.endRecord(at);
        chunkMessages++;
        if (chunkStartTime == -1 || Long.compareUnsigned(logTime, chunkStartTime) < 0) {
            chunkStartTime = logTime;
        }
        if (chunkMessages == 1 || Long.compareUnsigned(logTime, chunkEndTime) > 0) {
            chunkEndTime = logTime;
        }
        messageCount++;
        channelCounts.merge(channelId, 1L, Long::sum);
        if (startTime == -1 || Long.compareUnsigned(logTime, startTime) < 0) {
            startTime = logTime;
        }
        if (messageCount == 1 || Long.compareUnsigned(logTime, endTime) > 0) {
            endTime = logTime;
        }
        if (chunk.size() >= options.chunkSize()) {
            writeChunk();
        }
    }

    /**
     * Writes a metadata record now (outside any chunk) and indexes it in the summary.
     *
     * @param name for example {@code twinlane}
     * @param metadata the pairs
     * @throws IOException if it cannot be written
     */
    public void metadata(String name, Map<String, String> metadata) throws IOException {
        ensureOpen();
        long offset = out.position();
        record.clear();
        int at = record.beginRecord(Opcode.METADATA);
        record.string(name).stringMap(metadata);
        record.endRecord(at);
        out.write(record);
        int i = metadataIndexRecords.beginRecord(Opcode.METADATA_INDEX);
        metadataIndexRecords.u64(offset).u64(record.size()).string(name);
        metadataIndexRecords.endRecord(i);
        metadataCount++;
    }

    /**
     * Writes an attachment now (outside any chunk) and indexes it in the summary.
     *
     * @param a the attachment
     * @throws IOException if it cannot be written
     */
    public void attachment(McapAttachment a) throws IOException {
        ensureOpen();
        long offset = out.position();
        record.clear();
        int at = record.beginRecord(Opcode.ATTACHMENT);
        int from = record.size();
        record.u64(a.logTime()).u64(a.createTime()).string(a.name()).string(a.contentType()).u64(a.data().length)
                .bytes(a.data(), 0, a.data().length);
        CRC32 crc = new CRC32();
        crc.update(record.array(), from, record.size() - from);
        record.u32(crc.getValue());
        record.endRecord(at);
        out.write(record);
        int i = attachmentIndexRecords.beginRecord(Opcode.ATTACHMENT_INDEX);
        attachmentIndexRecords.u64(offset).u64(record.size()).u64(a.logTime()).u64(a.createTime())
                .u64(a.data().length).string(a.name()).string(a.contentType());
        attachmentIndexRecords.endRecord(i);
        attachmentCount++;
    }

    /**
     * Ends the open chunk and hands everything to the operating system: what was recorded so far
     * survives this process being killed (not a power loss: see {@link #sync()}).
     *
     * @throws IOException if it cannot be written
     */
    public void flush() throws IOException {
        ensureOpen();
        writeChunk();
        out.drain();
    }

    /**
     * {@link #flush()}, then asks the disk to keep it (fsync): what was recorded so far survives a power loss.
     *
     * @throws IOException if it cannot be written
     */
    public void sync() throws IOException {
        flush();
        out.force();
    }

    private void writeChunk() throws IOException {
        if (chunk.size() == 0) {
            return;
        }
        int size = chunk.size();
        CRC32 crc = new CRC32();
        crc.update(chunk.array(), 0, size);
        // uncompressed, the chunk's own buffer is written as it is: no copy
        options.compression().compress(chunk.array(), size, packed);
        int packedLength = packed.length;
        long chunkOffset = out.position();
        long start = chunkMessages == 0 ? 0 : chunkStartTime;
        long end = chunkMessages == 0 ? 0 : chunkEndTime;
        record.clear();
        int at = record.beginRecord(Opcode.CHUNK);
        record.u64(start).u64(end).u64(size).u32(crc.getValue()).string(options.compression().wireName())
                .u64(packedLength);
        // the record's length covers the packed records written right after this prefix
        record.u64At(at, record.size() - at - 8 + packedLength);
        out.write(record);
        out.write(packed.bytes, 0, packedLength);
        long chunkLength = out.position() - chunkOffset;
        Map<Integer, Long> indexOffsets = new LinkedHashMap<>();
        long indexStart = out.position();
        for (Map.Entry<Integer, IndexList> e : chunkIndexes.entrySet()) {
            if (e.getValue().size() == 0) {
                continue;
            }
            indexOffsets.put(e.getKey(), out.position());
            record.clear();
            int mi = record.beginRecord(Opcode.MESSAGE_INDEX);
            record.u16(e.getKey());
            e.getValue().writeTo(record);
            record.endRecord(mi);
            out.write(record);
            e.getValue().clear();
        }
        long indexLength = out.position() - indexStart;
        int ci = chunkIndexRecords.beginRecord(Opcode.CHUNK_INDEX);
        chunkIndexRecords.u64(start).u64(end).u64(chunkOffset).u64(chunkLength);
        int mapAt = chunkIndexRecords.size();
        chunkIndexRecords.u32(0);
        for (Map.Entry<Integer, Long> e : indexOffsets.entrySet()) {
            chunkIndexRecords.u16(e.getKey()).u64(e.getValue());
        }
        chunkIndexRecords.u32At(mapAt, chunkIndexRecords.size() - mapAt - 4);
        chunkIndexRecords.u64(indexLength).string(options.compression().wireName()).u64(packedLength).u64(size);
        chunkIndexRecords.endRecord(ci);
        chunkCount++;
        chunk.clear();
        chunkMessages = 0;
        chunkStartTime = -1;
    }

    /**
     * Writes the last chunk, the data-end record, the summary and the footer, and closes the file.
     * Idempotent.
     *
     * @throws IOException if any of it cannot be written (the file is then readable up to its last
     *     complete chunk, as after a crash)
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writeChunk();
            long dataCrc = out.dataCrc(); // every byte from the file's first, up to this record
            record.clear();
            record.u8(Opcode.DATA_END).u64(4).u32(dataCrc);
            out.write(record);
            writeSummary();
            out.force();
        } finally {
            file.close();
        }
    }

    private void writeSummary() throws IOException {
        long summaryStart = out.position();
        out.startSummary();
        List<long[]> groups = new ArrayList<>(); // opcode, start, length
        group(groups, Opcode.SCHEMA, schemaRecords);
        group(groups, Opcode.CHANNEL, channelRecords);
        group(groups, Opcode.CHUNK_INDEX, chunkIndexRecords);
        group(groups, Opcode.ATTACHMENT_INDEX, attachmentIndexRecords);
        group(groups, Opcode.METADATA_INDEX, metadataIndexRecords);
        long statsAt = out.position();
        record.clear();
        int st = record.beginRecord(Opcode.STATISTICS);
        record.u64(messageCount).u16(schemaRecords.size()).u32(channelRecords.size()).u32(attachmentCount)
                .u32(metadataCount).u32(chunkCount).u64(messageCount == 0 ? 0 : startTime)
                .u64(messageCount == 0 ? 0 : endTime);
        record.u32((long) channelCounts.size() * 10);
        for (Map.Entry<Integer, Long> e : channelCounts.entrySet()) {
            record.u16(e.getKey()).u64(e.getValue());
        }
        record.endRecord(st);
        out.write(record);
        groups.add(new long[] {Opcode.STATISTICS, statsAt, out.position() - statsAt});
        long summaryOffsetStart = out.position();
        record.clear();
        for (long[] g : groups) {
            int so = record.beginRecord(Opcode.SUMMARY_OFFSET);
            record.u8((int) g[0]).u64(g[1]).u64(g[2]);
            record.endRecord(so);
        }
        out.write(record);
        record.clear();
        record.u8(Opcode.FOOTER).u64(8 + 8 + 4).u64(summaryStart).u64(summaryOffsetStart);
        out.write(record); // the summary CRC covers the footer up to, not including, itself
        long summaryCrc = out.summaryCrc();
        record.clear();
        record.u32(summaryCrc);
        record.bytes(Opcode.MAGIC, 0, Opcode.MAGIC.length);
        out.write(record);
    }

    private void group(List<long[]> groups, int opcode, List<byte[]> records) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        long start = out.position();
        for (byte[] r : records) {
            out.write(r, 0, r.length);
        }
        groups.add(new long[] {opcode, start, out.position() - start});
    }

    private void group(List<long[]> groups, int opcode, LeBuffer records) throws IOException {
        if (records.size() == 0) {
            return;
        }
        long start = out.position();
        out.write(records);
        groups.add(new long[] {opcode, start, out.position() - start});
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("MCAP writer of " + path + " is closed");
        }
    }
}
