package io.github.twinlane.record.mcap;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * The file a writer appends to: a 64 KiB buffer over a file stream (whose writes, unlike a
 * {@code FileChannel}'s, survive an interrupt of the writing thread), the byte position, and
 * two running CRCs (one from the start of the file for the data section, one restarted at the summary).
 * The writer's thread only.
 */
final class McapOutput {
    private final FileOutputStream file;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private final CRC32 dataCrc = new CRC32();
    private final CRC32 summaryCrc = new CRC32();
    private boolean summary;
    private long position;

    McapOutput(FileOutputStream file) {
        this.file = file;
    }

    long position() {
        return position;
    }

    void write(byte[] b, int off, int len) throws IOException {
        if (summary) {
            summaryCrc.update(b, off, len);
        } else {
            dataCrc.update(b, off, len);
        }
        position += len;
        if (len > buffer.remaining()) {
            drain();
            if (len > buffer.capacity()) {
                file.write(b, off, len);
                return;
            }
        }
        buffer.put(b, off, len);
    }

    void write(LeBuffer b) throws IOException {
        write(b.array(), 0, b.size());
    }

    /** The CRC of every byte written before the summary began. */
    long dataCrc() {
        return dataCrc.getValue();
    }

    /** From here on, bytes count towards the summary's CRC instead. */
    void startSummary() {
        summary = true;
        summaryCrc.reset();
    }

    long summaryCrc() {
        return summaryCrc.getValue();
    }

    /** Hands everything buffered to the operating system (not to the disk: see {@link #force}). */
    void drain() throws IOException {
        file.write(buffer.array(), 0, buffer.position());
        buffer.clear();
    }

    /** Drains, then asks the disk to keep what was written (fsync of the data). */
    void force() throws IOException {
        drain();
        file.getFD().sync();
    }
}
