package io.github.twinlane.record.mcap;

import java.nio.file.Path;
import java.util.Map;

/**
 * A process that records until it is killed: messages on two channels in 4 KiB zstd chunks, flushed
 * every 50 messages; prints how many messages are safely in the file after each flush.
 * Usage: RecordingChild FILE
 */
public final class RecordingChild {
    private RecordingChild() {
    }

    public static void main(String[] args) throws Exception {
        McapWriter w = McapWriter.create(Path.of(args[0]), McapWriter.Options.defaults().withChunkSize(4096));
        int s = w.schema("v", "jsonschema", "{}".getBytes());
        int a = w.channel(s, "/a", "json", Map.of());
        int b = w.channel(s, "/b", "json", Map.of());
        for (long i = 0; ; i++) {
            byte[] data = ("{\"i\":" + i + "}").getBytes();
            w.message(i % 2 == 0 ? a : b, i, McapFixtures.T0 + i, McapFixtures.T0 + i, data, 0, data.length);
            if (i % 50 == 49) {
                w.flush();
                System.out.println("flushed " + (i + 1));
                System.out.flush();
            }
            if (i % 1000 == 999) {
                Thread.sleep(1); // leave the test's thread some CPU on a busy machine
            }
        }
    }
}
