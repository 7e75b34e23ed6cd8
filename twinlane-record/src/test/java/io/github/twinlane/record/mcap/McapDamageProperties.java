package io.github.twinlane.record.mcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * A damaged file, cut at any byte or with any byte changed, gives either a {@link McapException} or
 * the messages that were really there: never an exception of another kind, a hang, or different data.
 * An intact file read under any limits gives all its messages, or the first ones and a refusal that
 * names the limit.
 */
class McapDamageProperties {
    private static Path dir;
    private static final McapCompression[] KINDS = McapCompression.values();
    private static final Path[] FILES = new Path[KINDS.length];
    private static final McapLines[] WROTE = new McapLines[KINDS.length];
    private static final byte[][] BYTES = new byte[KINDS.length][];

    @BeforeContainer
    static void write() throws IOException {
        dir = Files.createTempDirectory("damage");
        for (int i = 0; i < KINDS.length; i++) {
            FILES[i] = dir.resolve(KINDS[i] + ".mcap");
            WROTE[i] = McapFixtures.write(FILES[i], McapWriter.Options.defaults().withCompression(KINDS[i]).withChunkSize(1024), 40);
            BYTES[i] = Files.readAllBytes(FILES[i]);
        }
    }

    @AfterContainer
    static void clean() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Example
    void aFileCutAtAnyByteReadsUpToItsLastCompleteRecordOrSaysWhy() throws IOException {
        for (int k = 0; k < KINDS.length; k++) {
            byte[] whole = BYTES[k];
            Path cut = dir.resolve("cut.mcap");
            for (int at = 0; at <= whole.length; at++) {
                Files.write(cut, java.util.Arrays.copyOf(whole, at));
                McapLines got = new McapLines();
                try (McapReader r = McapReader.open(cut)) {
                    McapScan scan = r.readAvailable(got);
                    assertPrefix(WROTE[k].messages, got.messages, KINDS[k] + " cut at " + at);
                    assertTrue(scan.complete() || scan.problem() != null, "an incomplete read says why");
                    if (at < whole.length && !scan.complete()) {
                        assertTrue(scan.validBytes() <= at, "valid bytes within the cut");
                    }
                    r.summary(); // no summary, or a valid one: never another exception
                } catch (McapException expected) {
                    int headerEnd = 8 + 9 + 4 + 4 + "twinlane".length();
                    assertTrue(at < headerEnd, KINDS[k] + " cut at " + at + " is past the header, yet: " + expected);
                }
            }
        }
    }

    @Property(tries = 400)
    void aChangedByteGivesAnErrorOrTheTrueMessages(@ForAll @IntRange(min = 0, max = 2) int kind,
            @ForAll @IntRange(min = 0, max = 1_000_000) int where, @ForAll @IntRange(min = 1, max = 255) int xor)
            throws IOException {
        byte[] b = BYTES[kind].clone();
        int at = where % b.length;
        b[at] ^= (byte) xor;
        Path bad = dir.resolve("bad-" + kind + ".mcap");
        Files.write(bad, b);
        McapLines got = new McapLines();
        try (McapReader r = McapReader.open(bad, McapLimits.defaults().withMaxRecordBytes(1 << 20).withMaxChunkBytes(1 << 20))) {
            try {
                r.read(got);
                assertEquals(WROTE[kind].messages, got.messages, KINDS[kind] + " byte " + at + " changed, read without error");
            } catch (McapException expected) {
                // the data-section CRC is checked before anything is parsed: nothing false was handed out first
                assertSubsequence(WROTE[kind].messages, got.messages, KINDS[kind] + " byte " + at + " changed");
            }
            try {
                r.summary();
            } catch (McapException expected) {
                // a damaged summary or footer is reported as such
            }
        } catch (RuntimeException | Error e) {
            fail(KINDS[kind] + " byte " + at + " changed: " + e, e);
        }
    }

    @Property(tries = 300)
    void anyLimitsGiveTheTrueMessagesOrARefusalNamingTheLimitAfterATruePrefix(
            @ForAll @IntRange(min = 0, max = 2) int kind, @ForAll @IntRange(min = 1, max = 40) int ratio,
            @ForAll @IntRange(min = 1, max = 64) int decodedKiB, @ForAll @IntRange(min = 1, max = 4) int chunkKiB)
            throws IOException {
        McapLimits limits = McapLimits.defaults().withMaxCompressionRatio(ratio).withMaxDecodedBytes(decodedKiB * 1024L)
                .withMaxChunkBytes(chunkKiB * 1024L);
        McapLines got = new McapLines();
        try (McapReader r = McapReader.open(FILES[kind], limits)) {
            try {
                r.read(got);
                assertEquals(WROTE[kind].messages, got.messages, KINDS[kind] + " read whole under " + limits);
                Statistics.collect("read whole");
            } catch (McapException refused) {
                Statistics.collect("refused by " + refused.limit().orElse("damage?"));
                assertTrue(refused.limit().isPresent(), "an intact file is refused only by a limit: " + refused);
                assertTrue(refused.getMessage().contains("McapLimits." + refused.limit().get()), refused.getMessage());
                assertPrefix(WROTE[kind].messages, got.messages, KINDS[kind] + " refused under " + limits);
            }
            McapLines available = new McapLines();
            McapScan scan = r.readAvailable(available);
            assertPrefix(WROTE[kind].messages, available.messages, KINDS[kind] + " read available under " + limits);
            assertTrue(scan.complete() || scan.problem().limit().isPresent(), scan.toString());
        } catch (RuntimeException | Error e) {
            fail(KINDS[kind] + " under " + limits + ": " + e, e);
        }
    }

    @Example
    void aHostileLengthIsRefusedWithoutAllocatingIt() throws IOException {
        // a chunk that claims 2^40 uncompressed bytes, and a record claiming nearly 2^64
        byte[] b = BYTES[1].clone(); // zstd
        Path bad = dir.resolve("hostile.mcap");
        int pos = 8;
        while (pos < b.length) {
            int op = b[pos] & 0xff;
            long len = java.nio.ByteBuffer.wrap(b, pos + 1, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            if (op == Opcode.CHUNK) {
                java.nio.ByteBuffer.wrap(b, pos + 9 + 16, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(1L << 40);
                break;
            }
            pos += 9 + (int) len;
        }
        Files.write(bad, b);
        try (McapReader r = McapReader.open(bad)) {
            // read() refuses the file at once by its data-section CRC; the limit is what guards a read without one
            McapException e = org.junit.jupiter.api.Assertions.assertThrows(McapException.class, () -> r.read(new McapLines()));
            assertTrue(e.getMessage().contains("data section CRC mismatch"), e.getMessage());
            McapScan scan = r.readAvailable(new McapLines());
            assertTrue(scan.problem() != null && scan.problem().getMessage().contains("limit"), scan.toString());
        }
    }

    private static void assertSubsequence(List<String> all, List<String> got, String what) {
        int i = 0;
        for (String m : got) {
            while (i < all.size() && !all.get(i).equals(m)) {
                i++;
            }
            assertTrue(i < all.size(), what + ": a message that was never written was handed out: " + m);
            i++;
        }
    }

    private static void assertPrefix(List<String> all, List<String> got, String what) {
        assertTrue(got.size() <= all.size(), what + ": more messages than were written");
        assertEquals(all.subList(0, got.size()), got, what + ": the messages read are the first ones written");
    }
}
