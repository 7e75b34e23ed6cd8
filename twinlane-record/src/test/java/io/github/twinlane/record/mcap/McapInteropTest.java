package io.github.twinlane.record.mcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.test.NodePeer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The format's own TypeScript library (@mcap/core, pinned, run with Node.js) as the independent judge:
 * it reads every kind of file twinlane writes, and twinlane reads every kind it writes.
 */
class McapInteropTest {
    private static final Duration NODE = Duration.ofSeconds(120);
    private static NodePeer peer;

    @TempDir
    Path dir;

    @BeforeAll
    static void install() throws IOException {
        peer = NodePeer.prepare(Path.of("src", "test", "node"));
    }

    static Stream<Arguments> ourFiles() {
        return Stream.of(McapCompression.values()).flatMap(c -> Stream.of(1024, 1 << 20).map(size -> Arguments.of(c, size)));
    }

    @ParameterizedTest(name = "{0} chunks of {1} bytes")
    @MethodSource("ourFiles")
    void shouldBeReadByTheFormatsOwnLibraryIndexedAndStreaming(McapCompression compression, int chunkSize)
            throws IOException {
        Path file = dir.resolve("ours.mcap");
        McapLines wrote = McapFixtures.write(file, McapWriter.Options.defaults().withCompression(compression)
                .withChunkSize(chunkSize), 400);
        for (String mode : List.of("indexed", "stream")) {
            List<String> read = peer.run(NODE, "mcap-read.mjs", file.toString(), mode);
            assertEquals(wrote.schemas, McapLines.kind(read, "schema"), mode + " schemas");
            assertEquals(wrote.channels, McapLines.kind(read, "channel"), mode + " channels");
            assertEquals(wrote.messages, McapLines.kind(read, "message"), mode + " messages");
            assertEquals(wrote.metadata, McapLines.kind(read, "metadata"), mode + " metadata");
            assertEquals(wrote.attachments, McapLines.kind(read, "attachment"), mode + " attachments");
            if (mode.equals("indexed")) {
                List<String> stats = McapLines.kind(read, "statistics");
                assertEquals(List.of("statistics\t400\t2\t3\t" + chunkCount(file)), stats, "statistics from our summary");
                assertEquals(List.of("chunks\t" + chunkCount(file)), McapLines.kind(read, "chunks"));
                assertTrue(chunkCount(file) > (chunkSize == 1024 ? 10 : 0), "the small chunk size made many chunks");
            } else {
                assertEquals(List.of("done\ttrue"), McapLines.kind(read, "done"), "the stream reader reached the end");
            }
        }
    }

    static Stream<Arguments> theirFiles() {
        return Stream.of(Arguments.of("none", "chunked"), Arguments.of("zstd", "chunked"), Arguments.of("lz4", "chunked"),
                Arguments.of("none", "unchunked"));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("theirFiles")
    void shouldReadFilesTheFormatsOwnWriterWrote(String compression, String chunking) throws IOException {
        Path file = dir.resolve("theirs.mcap");
        List<String> wrote = peer.run(NODE, "mcap-write.mjs", file.toString(), compression, chunking, "300");
        McapLines read = new McapLines();
        try (McapReader r = McapReader.open(file)) {
            McapScan scan = r.read(read);
            assertTrue(scan.complete(), scan.toString());
            assertEquals(300, scan.messages());
            McapSummary summary = r.summary().orElseThrow();
            assertEquals(300, summary.statistics().messageCount());
            assertEquals(3, summary.channels().size());
            assertEquals(List.of("run-info"), summary.metadata());
            assertEquals(List.of("calib.yaml"), summary.attachments());
        }
        assertEquals(McapLines.kind(wrote, "schema"), read.schemas);
        assertEquals(McapLines.kind(wrote, "channel"), read.channels);
        assertEquals(McapLines.kind(wrote, "message"), read.messages);
        assertEquals(McapLines.kind(wrote, "metadata"), read.metadata);
        assertEquals(McapLines.kind(wrote, "attachment"), read.attachments);
    }

    private static long chunkCount(Path file) throws IOException {
        try (McapReader r = McapReader.open(file)) {
            return r.summary().orElseThrow().chunkCount();
        }
    }
}
