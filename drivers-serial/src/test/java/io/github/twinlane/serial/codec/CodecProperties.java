package io.github.twinlane.serial.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Every codec round-trips, resynchronises, and accounts for every byte, whatever the chunking. */
class CodecProperties {
    static final int MAX = 64;

    enum Kind {
        LINES, COBS, SLIP, LENGTH_CRC, FIXED_SYNC;

        FramingCodec codec() {
            return switch (this) {
                case LINES -> DelimiterCodec.lines(MAX);
                case COBS -> new CobsCodec(MAX);
                case SLIP -> new SlipCodec(MAX);
                case LENGTH_CRC -> new LengthCrcCodec(MAX);
                case FIXED_SYNC -> new FixedLengthCodec(8, (byte) 0x7E);
            };
        }

        Arbitrary<byte[]> payload() {
            return switch (this) {
                case LINES -> Arbitraries.bytes().filter(b -> b != '\n').array(byte[].class).ofMinSize(1).ofMaxSize(MAX)
                        .filter(p -> p[p.length - 1] != '\r');
                case SLIP -> Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(MAX);
                case FIXED_SYNC -> Arbitraries.bytes().array(byte[].class).ofSize(8);
                default -> Arbitraries.bytes().array(byte[].class).ofMaxSize(MAX);
            };
        }
    }

    record Case(Kind kind, List<byte[]> payloads, List<Integer> cuts) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.of(Kind.class).flatMap(k -> Combinators.combine(
                k.payload().list().ofMaxSize(20),
                Arbitraries.integers().between(1, 40).list().ofMinSize(1).ofMaxSize(30))
                .as((p, c) -> new Case(k, p, c)));
    }

    static byte[] encodeAll(FramingCodec codec, List<byte[]> payloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[codec.maxEncodedLength(MAX)];
        for (byte[] p : payloads) {
            int n = codec.encode(p, 0, p.length, buf, 0);
            assertTrue(n <= codec.maxEncodedLength(p.length));
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** Feeds the stream in chunks whose sizes cycle through {@code cuts}. */
    static List<byte[]> decodeChunked(FrameDecoder decoder, byte[] stream, List<Integer> cuts) {
        List<byte[]> frames = new ArrayList<>();
        int pos = 0;
        int c = 0;
        while (pos < stream.length) {
            int n = Math.min(cuts.get(c++ % cuts.size()), stream.length - pos);
            decoder.decode(stream, pos, n, (b, off, len) -> {
                assertTrue(len <= MAX, "a frame over the limit escaped");
                byte[] f = new byte[len];
                System.arraycopy(b, off, f, 0, len);
                frames.add(f);
            });
            pos += n;
        }
        return frames;
    }

    static void accountsForEveryByte(FrameDecoder d) {
        DecoderStats s = d.stats();
        assertEquals(s.bytesIn(), s.frameBytes() + s.droppedBytes() + s.pendingBytes(), s.toString());
    }

    @Property
    void everyPayloadRoundTripsUnderAnyChunking(@ForAll("cases") Case c) {
        FramingCodec codec = c.kind.codec();
        FrameDecoder d = codec.newDecoder();
        List<byte[]> got = decodeChunked(d, encodeAll(codec, c.payloads), c.cuts);
        assertEquals(c.payloads.size(), got.size(), c.kind.name());
        for (int i = 0; i < got.size(); i++) {
            assertArrayEquals(c.payloads.get(i), got.get(i));
        }
        assertEquals(0, d.stats().pendingBytes());
        assertEquals(0, d.stats().badFrames());
        accountsForEveryByte(d);
    }

    @Property
    void garbageNeverThrowsNeverExceedsTheLimitAndEveryByteIsAccountedFor(@ForAll Kind kind,
            @ForAll byte[] garbage, @ForAll("chunks") List<Integer> cuts) {
        FrameDecoder d = kind.codec().newDecoder();
        decodeChunked(d, garbage, cuts);
        accountsForEveryByte(d);
        d.reset();
        DecoderStats s = d.stats();
        assertEquals(0, s.pendingBytes());
        assertEquals(s.bytesIn(), s.frameBytes() + s.droppedBytes(), "after reset the pending bytes count as dropped");
    }

    @Provide
    Arbitrary<List<Integer>> chunks() {
        return Arbitraries.integers().between(1, 50).list().ofMinSize(1).ofMaxSize(10);
    }

    @Property
    void validFramesAfterGarbageAndAResyncPointAreAllRecovered(@ForAll("cases") Case c, @ForAll byte[] garbage) {
        FramingCodec codec = c.kind.codec();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        switch (c.kind) {
            case LINES -> {
                stream.writeBytes(garbage);
                stream.write('\n'); // what a line protocol's reader waits for
            }
            case COBS -> {
                stream.writeBytes(garbage);
                stream.write(0);
            }
            case FIXED_SYNC -> {
                for (byte b : garbage) {
                    if (b != 0x7E) {
                        stream.write(b); // without the sync byte, or the frame length cannot resync
                    }
                }
            }
            default -> stream.writeBytes(garbage); // SLIP's leading END and LENGTH_CRC's rescan resync alone
        }
        stream.writeBytes(encodeAll(codec, c.payloads));
        FrameDecoder d = codec.newDecoder();
        List<byte[]> got = decodeChunked(d, stream.toByteArray(), c.cuts);
        assertTrue(got.size() >= c.payloads.size(), c.kind + ": lost frames after garbage");
        List<byte[]> tail = got.subList(got.size() - c.payloads.size(), got.size());
        for (int i = 0; i < tail.size(); i++) {
            assertArrayEquals(c.payloads.get(i), tail.get(i), c.kind + " frame " + i);
        }
        if (c.kind == Kind.LENGTH_CRC) {
            assertEquals(c.payloads.size(), got.size(), "garbage never passes a CRC-checked decoder as a frame");
        }
        accountsForEveryByte(d);
    }

    @Property
    void aCorruptedLengthCrcFrameIsCountedAndTheNextOneStillArrives(@ForAll("crcPayload") byte[] a,
            @ForAll("crcPayload") byte[] b, @ForAll byte flip) {
        LengthCrcCodec codec = new LengthCrcCodec(MAX);
        // a live line keeps sending: MAX + 5 bytes after b are enough to disprove any false start
        byte[] filler = new byte[MAX];
        byte[] stream = encodeAll(codec, List.of(a, b, filler, filler));
        int at = 3 + a.length / 2; // inside a's payload (or its CRC when empty)
        stream[at] ^= flip == 0 ? 1 : flip;
        FrameDecoder d = codec.newDecoder();
        List<byte[]> got = decodeChunked(d, stream, List.of(7));
        assertEquals(3, got.size(), "b and both fillers arrive, a does not");
        assertArrayEquals(b, got.get(0));
        assertTrue(d.stats().badFrames() >= 1);
        accountsForEveryByte(d);
    }

    @Provide
    Arbitrary<byte[]> crcPayload() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(MAX);
    }

    @Test
    void shouldMatchTheModbusCrcCheckValue() {
        byte[] check = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(0x4B37, Crc16.MODBUS.of(check, 0, check.length));
        assertEquals(0x29B1, Crc16.CCITT_FALSE.of(check, 0, check.length));
    }

    @Test
    void shouldRejectAPayloadThatContainsTheDelimiterNamingTheFix() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DelimiterCodec.lines(8).encode(new byte[] {'a', '\n'}, 0, 2, new byte[9], 0));
        assertTrue(e.getMessage().contains("use COBS or SLIP"), e.getMessage());
    }
}
