package io.github.twinlane.record.mcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.record.cli.McapTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader's promise on a small heap: hostile files a few kilobytes long that declare hundreds of
 * megabytes give a {@link McapException} naming the limit, in a JVM of 64 MiB, never an OutOfMemoryError.
 * Before the limits, the first file here ran such a JVM (and one of 512 MiB) out of memory, and the
 * second decoded 10 GB. The child's heap is the point of the test; the wait only catches a hang.
 */
class McapSmallHeapTest {
    private static final long DEFAULT_CHUNK = McapLimits.defaults().maxChunkBytes();

    @TempDir
    Path dir;

    @Test
    void shouldRefuseAChunkOfZerosDeclaringTheMaximumInA64MiBHeap() throws Exception {
        Path bomb = McapBombs.chunkOfZeros(dir.resolve("bomb.mcap"), DEFAULT_CHUNK);
        String out = child(0, McapReadChild.class, bomb.toString());
        assertTrue(out.startsWith("McapException: at byte 32: bomb.mcap: chunk declares 268435449 bytes uncompressed"),
                out);
        assertTrue(out.contains("McapLimits.maxCompressionRatio"), out);
    }

    @Test
    void shouldRefuseManyChunksOfZerosInA64MiBHeapWithoutDecodingThem() throws Exception {
        long n = DEFAULT_CHUNK / McapBombs.EMPTY_RECORD * McapBombs.EMPTY_RECORD;
        byte[] chunk = McapBombs.chunk(McapCompression.ZSTD, n, McapBombs.zstdZeros(n));
        Path bomb = McapBombs.write(dir.resolve("many.mcap"), new ArrayList<>(Collections.nCopies(40, chunk)));
        String out = child(0, McapReadChild.class, bomb.toString());
        assertTrue(out.contains("McapException: ") && out.contains("McapLimits.maxCompressionRatio"), out);
    }

    @Test
    void shouldRefuseAChunkRecordLongerThanTheRestOfTheFileInA64MiBHeapWithoutReadingIt() throws Exception {
        byte[] chunk = McapBombs.chunk(McapCompression.ZSTD, 9, McapBombs.zstdZeros(9));
        Path cut = McapBombs.write(dir.resolve("long.mcap"), List.of(McapBombs.claiming(chunk, 200L << 20)));
        String out = child(0, McapReadChild.class, cut.toString());
        assertTrue(out.startsWith("McapException: at byte 32: long.mcap: the file ends inside the record that starts "
                + "here"), out);
    }

    @Test
    void shouldGiveTheToolsUserTheLimitsMessageUnchangedInA64MiBHeap() throws Exception {
        Path bomb = McapBombs.chunkOfZeros(dir.resolve("bomb.mcap"), DEFAULT_CHUNK);
        String message;
        try (McapReader r = McapReader.open(bomb)) {
            message = org.junit.jupiter.api.Assertions.assertThrows(McapException.class,
                    () -> r.read(new McapVisitor() { })).getMessage();
        }
        for (String command : new String[] {"info", "cat", "export"}) {
            List<String> args = new ArrayList<>(List.of(command, bomb.toString()));
            if (command.equals("export")) {
                args.add(dir.resolve("csv").toString());
            }
            String out = child(1, McapTool.class, args.toArray(new String[0]));
            assertTrue(out.contains(message), command + " prints the reader's message as it is: " + out);
            assertTrue(out.contains("--max-compression-ratio"), command + " says how to raise the limit: " + out);
        }
    }

    /** Runs {@code main} in a JVM of 64 MiB; returns what it printed, having checked its exit status. */
    private String child(int exit, Class<?> main, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:MaxDirectMemorySize=64m", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Path output = dir.resolve("child.out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child ends (a hang bound, not a time limit)");
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertFalse(out.contains("OutOfMemoryError"), out);
        assertEquals(exit, p.exitValue(), out);
        return out;
    }
}
