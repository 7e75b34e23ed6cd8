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
 * megabytes give a {@link McapException} naming the limit, in a JVM of 64 MiB, never an OutOfMemoryError;
 * the largest chunk the defaults let through, holding one message, is read in a Raspberry Pi-sized JVM of
 * 256 MiB, and a larger one refused. Before the
 * limits, the issue's file ran JVMs of 64 to 512 MiB out of memory, and 40 such chunks decoded 10 GB. The
 * child's heap is the point of the test; the wait only catches a hang.
 */
class McapSmallHeapTest {
    /** Under a quarter of a 64 MiB heap, the child's default chunk limit, whatever the collector. */
    private static final long CHILD_CHUNK = 12L << 20;

    @TempDir
    Path dir;

    @Test
    void shouldRefuseTheIssuesChunkOfZerosDeclaring256MiBInA64MiBHeap() throws Exception {
        Path bomb = McapBombs.chunkOfZeros(dir.resolve("bomb.mcap"), 256L << 20);
        String out = child(0, "-Xmx64m", McapReadChild.class, bomb.toString());
        assertTrue(out.startsWith("McapException: at byte 32: bomb.mcap: chunk declares 268435449 bytes uncompressed"),
                out);
        assertTrue(out.contains("McapLimits.maxChunkBytes"), out);
    }

    @Test
    void shouldRefuseAChunkOfZerosWithinTheChunkLimitByItsRatioInA64MiBHeap() throws Exception {
        Path bomb = McapBombs.chunkOfZeros(dir.resolve("bomb.mcap"), CHILD_CHUNK);
        String out = child(0, "-Xmx64m", McapReadChild.class, bomb.toString());
        assertTrue(out.startsWith("McapException: at byte 32: bomb.mcap: chunk declares"), out);
        assertTrue(out.contains("McapLimits.maxCompressionRatio"), out);
    }

    @Test
    void shouldReadTheLargestChunkTheDefaultsAllowInARaspberryPiSizedHeapAndRefuseALargerOne() throws Exception {
        // lz4 stays under the ratio limit: a file of a few hundred KB may declare a chunk of the whole limit,
        // holding one message that the reader copies out; the defaults follow the heap so that both fit
        Path fits = McapBombs.write(dir.resolve("fits.mcap"), List.of(McapBombs.chunkOfOneMessage(60L << 20)));
        assertEquals("read 1 messages in 1 chunks", child(0, "-Xmx256m", McapReadChild.class, fits.toString()).strip());
        Path over = McapBombs.write(dir.resolve("over.mcap"), List.of(McapBombs.chunkOfOneMessage(128L << 20)));
        String out = child(0, "-Xmx256m", McapReadChild.class, over.toString());
        assertTrue(out.startsWith("McapException: at byte 32: over.mcap: chunk declares 134217728 bytes uncompressed"),
                out);
        assertTrue(out.contains("McapLimits.maxChunkBytes"), out);
    }

    @Test
    void shouldRefuseManyChunksOfZerosInA64MiBHeapWithoutDecodingThem() throws Exception {
        long n = CHILD_CHUNK / McapBombs.EMPTY_RECORD * McapBombs.EMPTY_RECORD;
        byte[] chunk = McapBombs.chunk(McapCompression.ZSTD, n, McapBombs.zstdZeros(n));
        Path bomb = McapBombs.write(dir.resolve("many.mcap"), new ArrayList<>(Collections.nCopies(40, chunk)));
        String out = child(0, "-Xmx64m", McapReadChild.class, bomb.toString());
        assertTrue(out.contains("McapException: ") && out.contains("McapLimits.maxCompressionRatio"), out);
    }

    @Test
    void shouldRefuseAChunkRecordLongerThanTheRestOfTheFileInA64MiBHeapWithoutReadingIt() throws Exception {
        byte[] chunk = McapBombs.chunk(McapCompression.ZSTD, 9, McapBombs.zstdZeros(9));
        Path cut = McapBombs.write(dir.resolve("long.mcap"), List.of(McapBombs.claiming(chunk, 200L << 20)));
        String out = child(0, "-Xmx64m", McapReadChild.class, cut.toString());
        assertTrue(out.startsWith("McapException: at byte 32: long.mcap: the file ends inside the record that starts "
                + "here"), out);
    }

    @Test
    void shouldGiveTheToolsUserTheLimitsMessageUnchangedInA64MiBHeap() throws Exception {
        Path bomb = McapBombs.chunkOfZeros(dir.resolve("bomb.mcap"), CHILD_CHUNK);
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
            String out = child(1, "-Xmx64m", McapTool.class, args.toArray(new String[0]));
            assertTrue(out.contains(message), command + " prints the reader's message as it is: " + out);
            assertTrue(out.contains("--max-compression-ratio"), command + " says how to raise the limit: " + out);
        }
    }

    /** Runs {@code main} in a JVM of {@code heap}; returns what it printed, having checked its exit status. */
    private String child(int exit, String heap, Class<?> main, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap, heap.replace("-Xmx", "-XX:MaxDirectMemorySize="), "-cp", System.getProperty("java.class.path"), main.getName()));
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
