package io.github.twinlane.record.mcap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A recording with everything the format has, written by twinlane's writer, and what it holds. */
final class McapFixtures {
    private McapFixtures() {
    }

    static final long T0 = 1_700_000_000_000_000_000L;

    /**
     * Writes two schemas, three channels (one without a schema, one with a non-ASCII topic), {@code count}
     * messages of 0 to 300 bytes in increasing log time, a metadata record and an attachment.
     *
     * @return what was written, as {@link McapLines}
     */
    static McapLines write(Path file, McapWriter.Options options, int count) throws IOException {
        McapLines expected = new McapLines();
        try (McapWriter w = McapWriter.create(file, options)) {
            byte[] js = "{\"type\":\"object\"}".getBytes(StandardCharsets.UTF_8);
            int s1 = w.schema("twinlane.Telemetry", "jsonschema", js);
            int s2 = w.schema("raw", "", new byte[0]);
            expected.schema(new McapSchema(s1, "twinlane.Telemetry", "jsonschema", js));
            expected.schema(new McapSchema(s2, "raw", "", new byte[0]));
            int[] ch = new int[3];
            String[] topics = {"/drive/data", "/caméra/frames", "/events"};
            int[] schemaOf = {s1, s2, 0};
            for (int i = 0; i < 3; i++) {
                Map<String, String> md = new LinkedHashMap<>();
                md.put("lane", i == 1 ? "SLOW" : "FAST");
                md.put("index", Integer.toString(i));
                ch[i] = w.channel(schemaOf[i], topics[i], i == 1 ? "x-raw" : "json", md);
                expected.channel(new McapChannel(ch[i], schemaOf[i], topics[i], i == 1 ? "x-raw" : "json", md));
            }
            for (int k = 0; k < count; k++) {
                int c = ch[k % 3];
                byte[] data = new byte[(k * 37) % 301];
                for (int j = 0; j < data.length; j++) {
                    data[j] = (byte) (k + j * 7);
                }
                long log = T0 + k * 1_000_000L;
                w.message(c, k, log, log - 5, data, 0, data.length);
                expected.message(null, new McapMessage(c, k, log, log - 5, data));
            }
            Map<String, String> run = new LinkedHashMap<>();
            run.put("robot", "bench-1");
            run.put("twinlane", "0.1.0");
            w.metadata("twinlane", run);
            expected.metadata(new McapMetadata("twinlane", run));
            byte[] cfg = "period: 1ms\n".getBytes(StandardCharsets.UTF_8);
            McapAttachment a = new McapAttachment(T0, T0 - 1, "config.yaml", "text/yaml", cfg);
            w.attachment(a);
            expected.attachment(a);
        }
        return expected;
    }
}
