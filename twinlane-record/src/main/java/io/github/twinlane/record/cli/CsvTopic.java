package io.github.twinlane.record.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.twinlane.record.mcap.McapMessage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON topic exported as CSV: a row per message, the log and publish times, then a column per
 * top-level number, string or boolean field of the first message (fields that appear later are
 * ignored and counted; missing ones are left empty). The export's thread only.
 */
final class CsvTopic implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();
    final Path path;
    final List<String> columns = new ArrayList<>();
    long rows;
    long unparsable;
    private BufferedWriter w;

    CsvTopic(Path dir, String topic) {
        String name = topic.replaceAll("^/+", "").replaceAll("[^A-Za-z0-9._-]", "_");
        this.path = dir.resolve((name.isEmpty() ? "topic" : name) + ".csv");
    }

    void add(McapMessage m) {
        Map<String, String> fields = parse(m.data());
        if (fields == null) {
            unparsable++;
            return;
        }
        try {
            if (w == null) {
                columns.addAll(fields.keySet());
                w = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
                w.write("log_time_ns,publish_time_ns");
                for (String c : columns) {
                    w.write(',');
                    w.write(quote(c));
                }
                w.newLine();
            }
            w.write(Long.toUnsignedString(m.logTime()));
            w.write(',');
            w.write(Long.toUnsignedString(m.publishTime()));
            for (String c : columns) {
                w.write(',');
                String v = fields.get(c);
                w.write(v == null ? "" : quote(v));
            }
            w.newLine();
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> parse(byte[] data) {
        Map<String, String> f = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v.isScalarValue()) {
                    f.put(name, v == JsonToken.VALUE_NULL ? "" : p.getText());
                } else {
                    p.skipChildren();
                }
            }
            return f;
        } catch (IOException e) {
            return null;
        }
    }

    private static String quote(String s) {
        return s.matches("[A-Za-z0-9._+-]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
    }

    @Override
    public void close() throws IOException {
        if (w != null) {
            w.close();
        }
    }
}
