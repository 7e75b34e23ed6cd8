package io.github.twinlane.record.cli;

import io.github.twinlane.record.ImageCodecs;
import io.github.twinlane.record.RecordCodec;
import io.github.twinlane.record.mcap.McapMessage;
import io.github.twinlane.video.EncodedPacket;
import io.github.twinlane.video.VideoFrame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * One image topic exported: a PNG per {@code foxglove.CompressedImage} (JPEG or PNG) or
 * {@code foxglove.RawImage} message into a folder named after the topic; {@code foxglove.CompressedVideo}
 * appended into one elementary stream file ({@code .h264}, {@code .h265}, ...) that players and
 * {@code ffmpeg} open. The export's thread only.
 */
final class ImageTopic implements AutoCloseable {
    static final String COMPRESSED = "foxglove.CompressedImage";
    static final String RAW = "foxglove.RawImage";
    static final String VIDEO = "foxglove.CompressedVideo";

    final Path path;
    private final String schema;
    long written;
    long unreadable;
    private OutputStream video;
    private final EncodedPacket packet = new EncodedPacket(0);
    private final VideoFrame frame = new VideoFrame(0);
    private final RecordCodec<EncodedPacket> packets;
    private final RecordCodec<VideoFrame> raw = ImageCodecs.rawImage("");

    ImageTopic(Path dir, String topic, String schema) {
        String name = topic.replaceAll("^/+", "").replaceAll("[^A-Za-z0-9._-]", "_");
        this.schema = schema;
        this.path = dir.resolve(name.isEmpty() ? "topic" : name);
        this.packets = schema.equals(VIDEO) ? ImageCodecs.compressedVideo("") : ImageCodecs.compressedImage("");
    }

    static boolean handles(String schema) {
        return schema.equals(COMPRESSED) || schema.equals(RAW) || schema.equals(VIDEO);
    }

    void add(McapMessage m) {
        try {
            if (schema.equals(RAW)) {
                if (!raw.decode(m.data(), 0, m.data().length, frame)) {
                    unreadable++;
                    return;
                }
                png(ImageCodecs.toImage(frame));
                return;
            }
            if (!packets.decode(m.data(), 0, m.data().length, packet)) {
                unreadable++;
                return;
            }
            if (schema.equals(VIDEO)) {
                if (video == null) {
                    video = Files.newOutputStream(Path.of(path + "." + packet.codec().formatName()));
                }
                Channels.newChannel(video).write(packet.data());
                written++;
                return;
            }
            ByteBuffer data = packet.data();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
            if (img == null) {
                unreadable++; // a format the JDK does not read (webp, avif)
                return;
            }
            png(img);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void png(BufferedImage img) throws IOException {
        Files.createDirectories(path);
        ImageIO.write(img, "png", path.resolve(String.format("%06d.png", written)).toFile());
        written++;
    }

    /** @return what was written where, for the tool's report */
    String describe() {
        String what = schema.equals(VIDEO) ? written + " packet(s) into " + path + "." + packet.codec().formatName()
                : written + " PNG(s) in " + path;
        return what + (unreadable > 0 ? "; " + unreadable + " message(s) could not be read" : "");
    }

    @Override
    public void close() throws IOException {
        if (video != null) {
            video.close();
        }
    }
}
