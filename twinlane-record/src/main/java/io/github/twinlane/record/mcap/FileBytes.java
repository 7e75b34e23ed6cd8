package io.github.twinlane.record.mcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Positional reads of a file, whole or not at all. Any thread that owns the channel. */
final class FileBytes {
    private FileBytes() {
    }

    static byte[] read(FileChannel ch, long position, int length) throws IOException {
        byte[] b = new byte[length];
        ByteBuffer buf = ByteBuffer.wrap(b);
        long at = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at);
            if (n < 0) {
                throw new McapException(at, "the file ends " + buf.remaining() + " bytes early: it was cut short");
            }
            at += n;
        }
        return b;
    }
}
