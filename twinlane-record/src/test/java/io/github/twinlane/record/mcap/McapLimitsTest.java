package io.github.twinlane.record.mcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each of the reader's limits refuses the hand-built hostile file it exists for, before decoding it, with
 * a {@link McapException} that names the limit and its setting; the same file reads once the limit is
 * raised, so the limit and nothing else stopped it.
 */
class McapLimitsTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void shouldRefuseAChunkOfZerosDeclaringTheDefaultMaximumChunkSizeByItsRatio() throws IOException {
        long most = McapLimits.defaults().maxChunkBytes() / McapBombs.EMPTY_RECORD * McapBombs.EMPTY_RECORD;
        Path bomb = McapBombs.chunkOfZeros(dir.resolve("bomb.mcap"), most);
        assertTrue(java.nio.file.Files.size(bomb) < 64 << 10, "a small file: " + java.nio.file.Files.size(bomb));
        McapException e = refused(bomb, McapLimits.defaults(), "maxCompressionRatio");
        assertTrue(e.getMessage().contains(most + " bytes uncompressed"), e.getMessage());
        assertTrue(e.getMessage().contains("> limit 5000"), e.getMessage());
    }

    @Test
    void shouldRefuseTheIssuesChunkOfZerosDeclaring256MiBByTheChunkLimitBeforeItsRatio() throws IOException {
        Path bomb = McapBombs.chunkOfZeros(dir.resolve("issue.mcap"), 256L << 20);
        McapException e = refused(bomb, McapLimits.defaults(), "maxChunkBytes");
        assertTrue(e.getMessage().contains("268435449 bytes uncompressed, more than the reader's limit of "
                + McapLimits.defaults().maxChunkBytes()), e.getMessage());
    }

    @Test
    void shouldRefuseAChunkDeclaringMoreThanMaxChunkBytesAndReadOneDeclaringExactlyThat() throws IOException {
        McapLimits limits = McapLimits.defaults().withMaxChunkBytes(MIB).withMaxCompressionRatio(1_000_000);
        long most = MIB / McapBombs.EMPTY_RECORD * McapBombs.EMPTY_RECORD;
        Path atLimit = McapBombs.write(dir.resolve("at.mcap"),
                List.of(McapBombs.chunk(McapCompression.ZSTD, most, McapBombs.zstdZeros(most))));
        assertEquals(1, read(atLimit, limits).chunks(), "a chunk of exactly the limit is read");

        long over = most + McapBombs.EMPTY_RECORD + 9; // past the limit, whole records
        Path overLimit = McapBombs.write(dir.resolve("over.mcap"),
                List.of(McapBombs.chunk(McapCompression.ZSTD, over, McapBombs.zstdZeros(over))));
        McapException e = refused(overLimit, limits, "maxChunkBytes");
        assertTrue(e.getMessage().contains("more than the reader's limit of " + MIB), e.getMessage());
        // a declared size near 2^64 is refused the same way, without an overflow
        Path huge = McapBombs.write(dir.resolve("huge.mcap"), List.of(McapBombs.chunk(McapCompression.ZSTD, -9,
                McapBombs.zstdZeros(9))));
        refused(huge, McapLimits.defaults(), "maxChunkBytes");
    }

    @Test
    void shouldRefuseAZstdBombWhoseRatioIsOverTheLimit() throws IOException {
        byte[] zeros = new byte[4 * MIB / McapBombs.EMPTY_RECORD * McapBombs.EMPTY_RECORD];
        byte[] packed = McapBombs.compress(McapCompression.ZSTD, zeros);
        assertTrue(zeros.length / packed.length > McapLimits.defaults().maxCompressionRatio(),
                "the data compresses past the default ratio: " + zeros.length / packed.length);
        Path bomb = McapBombs.write(dir.resolve("zstd.mcap"),
                List.of(McapBombs.chunk(McapCompression.ZSTD, zeros.length, packed)));
        McapException e = refused(bomb, McapLimits.defaults(), "maxCompressionRatio");
        assertTrue(e.getMessage().contains("from " + packed.length + " zstd-compressed"), e.getMessage());
        assertEquals(1, read(bomb, McapLimits.defaults().withMaxCompressionRatio(1_000_000)).chunks(),
                "raised, the limit lets it through");
    }

    @Test
    void shouldRefuseAnLz4BombWhoseRatioIsOverTheLimit() throws IOException {
        byte[] zeros = new byte[4 * MIB / McapBombs.EMPTY_RECORD * McapBombs.EMPTY_RECORD];
        byte[] packed = McapBombs.compress(McapCompression.LZ4, zeros);
        int ratio = zeros.length / packed.length; // LZ4 cannot pass about 255
        assertTrue(ratio > 100, "zeros compress past 100 times in lz4: " + ratio);
        Path bomb = McapBombs.write(dir.resolve("lz4.mcap"),
                List.of(McapBombs.chunk(McapCompression.LZ4, zeros.length, packed)));
        McapException e = refused(bomb, McapLimits.defaults().withMaxCompressionRatio(100), "maxCompressionRatio");
        assertTrue(e.getMessage().contains("lz4-compressed (ratio " + ratio + " > limit 100)"), e.getMessage());
        assertEquals(1, read(bomb, McapLimits.defaults()).chunks(), "under the default ratio, it is read");
    }

    @Test
    void shouldRefuseTheChunkThatTakesAReadPastItsTotalAndHandOutWhatCameBefore() throws IOException {
        byte[] zeros = new byte[MIB / McapBombs.EMPTY_RECORD * McapBombs.EMPTY_RECORD];
        byte[] chunk = McapBombs.chunk(McapCompression.LZ4, zeros.length, McapBombs.compress(McapCompression.LZ4, zeros));
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            chunks.add(chunk);
        }
        Path file = McapBombs.write(dir.resolve("total.mcap"), chunks);
        McapLimits limits = McapLimits.defaults().withMaxDecodedBytes(3L * zeros.length);
        McapException e = refused(file, limits, "maxDecodedBytes");
        assertTrue(e.getMessage().contains("after " + 3L * zeros.length + " already decoded"), e.getMessage());
        try (McapReader r = McapReader.open(file, limits)) {
            McapScan scan = r.readAvailable(new McapVisitor() { });
            assertEquals(3, scan.chunks(), "the chunks within the total are read");
            assertNotNull(scan.problem());
            assertEquals("maxDecodedBytes", scan.problem().limit().orElseThrow());
            assertEquals(3, r.readAvailable(new McapVisitor() { }).chunks(), "the total is per read, not per reader");
        }
        assertEquals(5, read(file, McapLimits.defaults()).chunks());
    }

    @Test
    void shouldStillReadALargeRecordingOfCameraFramesWithTheDefaults() throws IOException {
        // ten 1280x720 frames: JPEG-sized noise (what a camera's packets compress to) and raw test-pattern
        // frames as the simulated camera draws them, base64 in JSON as ImageCodecs writes them, in 64 MiB chunks
        Path file = dir.resolve("camera.mcap");
        java.util.Random random = new java.util.Random(7);
        int stride = 1280 * 3;
        long written = 0;
        try (McapWriter w = McapWriter.create(file, McapWriter.Options.defaults().withChunkSize(64 * MIB))) {
            int s = w.schema("foxglove.RawImage", "jsonschema", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            int jpeg = w.channel(s, "/front/packets", "json", Map.of());
            int raw = w.channel(s, "/sim/data", "json", Map.of());
            for (int f = 0; f < 10; f++) {
                byte[] noise = new byte[300_000];
                random.nextBytes(noise);
                byte[] pixels = new byte[stride * 720];
                for (int y = 0; y < 720; y++) {
                    for (int k = 0; k < stride; k++) {
                        pixels[y * stride + k] = (byte) (((y + f) & 0xff) + k);
                    }
                }
                for (byte[] image : new byte[][] {noise, pixels}) {
                    byte[] json = ("{\"frame_id\":\"cam\",\"width\":1280,\"height\":720,\"data\":\""
                            + java.util.Base64.getEncoder().encodeToString(image) + "\"}")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    w.message(image == noise ? jpeg : raw, f, McapFixtures.T0 + f, McapFixtures.T0 + f, json, 0, json.length);
                    written++;
                }
            }
        }
        long[] count = {0};
        try (McapReader r = McapReader.open(file)) {
            McapScan scan = r.read(new McapVisitor() {
                @Override
                public void message(McapChannel c, McapMessage m) {
                    count[0]++;
                }
            });
            assertTrue(scan.complete());
        }
        assertEquals(written, count[0]);
    }

    @Test
    void shouldNameTheFieldItsRangeAndTheValueOfAnInvalidLimit() {
        McapLimits d = McapLimits.defaults();
        assertMessage("maxRecordBytes must be from 1 KiB to 2 GiB, was 1023", () -> d.withMaxRecordBytes(1023));
        assertMessage("maxChunkBytes must be from 1 KiB to 2 GiB, was 4294967296", () -> d.withMaxChunkBytes(1L << 32));
        assertMessage("maxCompressionRatio must be from 1 to 1000000, was 0", () -> d.withMaxCompressionRatio(0));
        assertMessage("maxDecodedBytes must be at least 1 KiB, was -1", () -> d.withMaxDecodedBytes(-1));
        McapLimits l = d.withMaxChunkBytes(MIB).withMaxCompressionRatio(10).withMaxDecodedBytes(5L * MIB)
                .withMaxRecordBytes(2 * MIB);
        assertEquals(List.of((long) 2 * MIB, (long) MIB, 10L, 5L * MIB),
                List.of(l.maxRecordBytes(), l.maxChunkBytes(), (long) l.maxCompressionRatio(), l.maxDecodedBytes()));
        assertEquals(l, McapLimits.defaults().withMaxRecordBytes(2 * MIB).withMaxChunkBytes(MIB)
                .withMaxCompressionRatio(10).withMaxDecodedBytes(5L * MIB), "a value, equal by its fields");
        assertEquals(McapLimits.defaults(), d.withMaxCompressionRatio(5_000), "withers leave the original as it was");
    }

    private static void assertMessage(String message, org.junit.jupiter.api.function.Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    /** Reads {@code file} and expects {@code limit} to refuse it, named in the message with its setting. */
    private static McapException refused(Path file, McapLimits limits, String limit) throws IOException {
        try (McapReader r = McapReader.open(file, limits)) {
            McapException e = assertThrows(McapException.class, () -> r.read(new McapVisitor() { }));
            assertTrue(e.getMessage().contains("McapLimits." + limit), e.getMessage());
            assertEquals(limit, e.limit().orElseThrow(), e.getMessage());
            return e;
        }
    }

    private static McapScan read(Path file, McapLimits limits) throws IOException {
        try (McapReader r = McapReader.open(file, limits)) {
            return r.read(new McapVisitor() { });
        }
    }
}
