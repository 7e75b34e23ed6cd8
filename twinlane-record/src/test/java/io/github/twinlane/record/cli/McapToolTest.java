package io.github.twinlane.record.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.record.ImageCodecs;
import io.github.twinlane.record.RecordCodec;
import io.github.twinlane.record.mcap.McapReader;
import io.github.twinlane.record.mcap.McapWriter;
import io.github.twinlane.video.EncodedPacket;
import io.github.twinlane.video.PixelFormat;
import io.github.twinlane.video.VideoCodec;
import io.github.twinlane.video.VideoFrame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line tool on a real recording: what it prints, what it writes, and how it refuses. */
class McapToolTest {
    private static final long T0 = 1_700_000_000_000_000_000L;

    @TempDir
    Path dir;
    Path file;

    /** 100 s of a 10 Hz JSON topic and a 1 Hz binary one. */
    @BeforeEach
    void record() throws IOException {
        file = dir.resolve("run.mcap");
        try (McapWriter w = McapWriter.create(file, McapWriter.Options.defaults().withChunkSize(4096))) {
            int s = w.schema("t", "jsonschema", "{}".getBytes());
            int json = w.channel(s, "/drive/data", "json", Map.of());
            int raw = w.channel(0, "/cam", "x-raw", Map.of());
            for (int i = 0; i < 1000; i++) {
                byte[] d = ("{\"v\":" + i * 0.5 + ",\"name\":\"a,b\",\"ok\":true}").getBytes(StandardCharsets.UTF_8);
                long t = T0 + i * 100_000_000L;
                w.message(json, i, t, t, d, 0, d.length);
                if (i % 10 == 0) {
                    w.message(raw, i / 10, t, t, new byte[] {1, 2, 3}, 0, 3);
                }
            }
            w.metadata("twinlane", Map.of("robot", "r2"));
        }
    }

    private String[] run(int expectedCode, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new McapTool(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8)).run(args);
        String o = out.toString(StandardCharsets.UTF_8);
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(expectedCode, code, Arrays.toString(args) + "\nout: " + o + "\nerr: " + e);
        return new String[] {o, e};
    }

    @Test
    void infoShouldListTopicsCountsTimesAndMetadata() {
        String out = run(0, "info", file.toString())[0];
        assertTrue(out.contains("1100 message(s)"), out);
        assertTrue(out.contains("(99.900 s)"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("0\\s+/drive/data\\s+json\\s+t\\s+1000")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("1\\s+/cam\\s+x-raw\\s+-\\s+100")), out);
        assertTrue(out.contains("robot = r2"), out);
    }

    @Test
    void infoOfARecordingCutShortShouldSayHowToRecoverIt() throws IOException {
        byte[] b = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.mcap");
        Files.write(cut, Arrays.copyOf(b, b.length / 2));
        String out = run(0, "info", cut.toString())[0];
        assertTrue(out.contains("no summary: the recording was not closed"), out);
        assertTrue(out.contains("`recover " + cut + " OUT`"), out);
        String[] cat = run(1, "cat", cut.toString());
        assertTrue(cat[1].contains("the file ends early"), cat[1]);
        Path fixed = dir.resolve("fixed.mcap");
        String rec = run(0, "recover", cut.toString(), fixed.toString())[0];
        assertTrue(rec.contains("message(s) recovered"), rec);
        run(0, "info", fixed.toString());
    }

    @Test
    void catShouldPrintOneLinePerMessageOfTheTopic() {
        String out = run(0, "cat", file.toString(), "--topic", "/cam", "--limit", "5")[0];
        List<String> lines = out.lines().toList();
        assertEquals(5, lines.size(), out);
        assertTrue(lines.get(0).endsWith("/cam  #0  3 bytes: 01 02 03"), lines.get(0));
        assertTrue(lines.get(0).startsWith("2023-11-14T22:13:20Z"), lines.get(0));
    }

    @Test
    void exportShouldWriteACsvPerJsonTopic() throws IOException {
        Path csvDir = dir.resolve("csv");
        String out = run(0, "export", file.toString(), csvDir.toString())[0];
        assertTrue(out.contains("1000 row(s), columns v, name, ok"), out);
        List<String> csv = Files.readAllLines(csvDir.resolve("drive_data.csv"));
        assertEquals(1001, csv.size());
        assertEquals("log_time_ns,publish_time_ns,v,name,ok", csv.get(0));
        assertEquals(T0 + 100_000_000L + "," + (T0 + 100_000_000L) + ",0.5,\"a,b\",true", csv.get(2));
        assertTrue(!Files.exists(csvDir.resolve("cam.csv")), "a binary topic is not exported as CSV");
    }

    @Test
    void exportShouldWriteImagesAsPngsAndVideoAsAnElementaryStream() throws Exception {
        Path images = dir.resolve("images.mcap");
        RecordCodec<EncodedPacket> jpegCodec = ImageCodecs.compressedImage("cam");
        RecordCodec<EncodedPacket> videoCodec = ImageCodecs.compressedVideo("cam");
        RecordCodec<VideoFrame> rawCodec = ImageCodecs.rawImage("cam");
        ByteArrayOutputStream h264 = new ByteArrayOutputStream();
        try (McapWriter w = McapWriter.create(images, McapWriter.Options.defaults())) {
            int jpeg = w.channel(w.schema(jpegCodec.schemaName(), "jsonschema", jpegCodec.schema()), "/cam/packets",
                    "json", Map.of());
            int video = w.channel(w.schema(videoCodec.schemaName(), "jsonschema", videoCodec.schema()), "/front/packets",
                    "json", Map.of());
            int raw = w.channel(w.schema(rawCodec.schemaName(), "jsonschema", rawCodec.schema()), "/gray/data", "json",
                    Map.of());
            for (int i = 0; i < 3; i++) {
                BufferedImage img = new BufferedImage(40 + i, 30, BufferedImage.TYPE_3BYTE_BGR);
                ByteArrayOutputStream j = new ByteArrayOutputStream();
                ImageIO.write(img, "jpeg", j);
                EncodedPacket p = new EncodedPacket(0);
                p.prepare(VideoCodec.JPEG, j.size(), true, 0, 0).put(0, j.toByteArray());
                write(w, jpeg, i, jpegCodec, p);
                byte[] unit = {0, 0, 0, 1, 0x65, (byte) i};
                h264.write(unit);
                p.prepare(VideoCodec.H264, unit.length, i == 0, 0, 0).put(0, unit);
                write(w, video, i, videoCodec, p);
                VideoFrame f = new VideoFrame(0);
                f.prepare(16, 8, 16, PixelFormat.GRAY8).put(0, new byte[128]);
                write(w, raw, i, rawCodec, f);
            }
        }
        Path out = dir.resolve("out");
        String printed = run(0, "export", images.toString(), out.toString())[0];
        assertTrue(printed.contains("3 PNG(s) in " + out.resolve("cam_packets")), printed);
        assertTrue(printed.contains("3 packet(s) into " + out.resolve("front_packets") + ".h264"), printed);
        for (int i = 0; i < 3; i++) {
            BufferedImage png = ImageIO.read(out.resolve("cam_packets").resolve(String.format("%06d.png", i)).toFile());
            assertEquals(40 + i, png.getWidth());
            BufferedImage gray = ImageIO.read(out.resolve("gray_data").resolve(String.format("%06d.png", i)).toFile());
            assertEquals(16, gray.getWidth());
            assertEquals(8, gray.getHeight());
        }
        assertArrayEquals(h264.toByteArray(), Files.readAllBytes(out.resolve("front_packets.h264")));
    }

    private static <E> void write(McapWriter w, int channel, int seq, RecordCodec<E> codec, E value) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        codec.encode(value, b);
        w.message(channel, seq, T0 + seq, T0 + seq, b.toByteArray(), 0, b.size());
    }

    @Test
    void cutShouldKeepTheMessagesOfTheTimeRange() throws IOException {
        Path part = dir.resolve("part.mcap");
        String out = run(0, "cut", file.toString(), part.toString(), "--from", "10", "--to", "20")[0];
        // both ends included: 101 messages of the 10 Hz topic (10.0 … 20.0 s) and 11 of the 1 Hz one
        assertTrue(out.contains("112 message(s) from 10.0 s to 20.0 s"), out);
        try (McapReader r = McapReader.open(part)) {
            assertEquals(112, r.summary().orElseThrow().statistics().messageCount());
        }
    }

    @Test
    void shouldRefuseWrongCommandLinesAndDamagedFilesSayingWhatToDo() throws IOException {
        assertTrue(run(2, "frobnicate", "x")[1].startsWith("unknown command 'frobnicate'"));
        assertTrue(run(2, "cut", file.toString(), "out.mcap")[1].startsWith("cut needs --from SECONDS"));
        assertTrue(run(2, "cat", file.toString(), "--limit", "many")[1].startsWith("a number was expected"));
        assertTrue(run(1, "info", dir.resolve("nope.mcap").toString())[1].startsWith("no such file"));
        byte[] b = Files.readAllBytes(file);
        b[b.length / 3] ^= 0x55;
        Path bad = dir.resolve("bad.mcap");
        Files.write(bad, b);
        String err = run(1, "export", bad.toString(), dir.resolve("x").toString())[1];
        assertTrue(err.startsWith("damaged recording: at byte "), err);
        assertTrue(err.contains("recover FILE OUT"), err);
    }

    @Test
    void aRecordingRefusedByALimitShouldNameTheLimitAndTheOptionThatRaisesIt() {
        for (String command : new String[] {"info", "cat"}) {
            String err = run(1, command, file.toString(), "--max-decoded-bytes", "4096")[1];
            assertTrue(err.startsWith("refused by a limit of the reader: at byte "), err);
            assertTrue(err.contains("McapLimits.maxDecodedBytes"), err);
            assertTrue(err.contains("raise it with --max-decoded-bytes N"), err);
        }
        assertTrue(run(0, "cat", file.toString(), "--max-decoded-bytes", "1000000000")[0].contains("/drive/data"));
        String usage = run(2, "info", file.toString(), "--max-compression-ratio", "0")[1];
        assertTrue(usage.startsWith("maxCompressionRatio must be from 1 to 1000000, was 0"), usage);
    }
}
