package io.github.twinlane.record.mcap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A file's records as lines in the format the Node.js peer prints (mcap-read.mjs): text and bytes
 * base64-encoded, maps as JSON arrays of pairs, so both sides compare line for line.
 */
final class McapLines implements McapVisitor {
    final List<String> schemas = new ArrayList<>();
    final List<String> channels = new ArrayList<>();
    final List<String> messages = new ArrayList<>();
    final List<String> metadata = new ArrayList<>();
    final List<String> attachments = new ArrayList<>();

    static String b64(String s) {
        return b64(s.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /** JSON.stringify([...map.entries()]) for keys and values without quotes, backslashes or control characters. */
    static String map(Map<String, String> m) {
        StringBuilder sb = new StringBuilder("[");
        for (Map.Entry<String, String> e : m.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append("[\"").append(e.getKey()).append("\",\"").append(e.getValue()).append("\"]");
        }
        return b64(sb.append(']').toString());
    }

    static String schemaLine(McapSchema s) {
        return String.join("\t", "schema", Integer.toString(s.id()), b64(s.name()), b64(s.encoding()), b64(s.data()));
    }

    static String channelLine(McapChannel c) {
        return String.join("\t", "channel", Integer.toString(c.id()), Integer.toString(c.schemaId()), b64(c.topic()),
                b64(c.messageEncoding()), map(c.metadata()));
    }

    static String messageLine(McapMessage m) {
        return String.join("\t", "message", Integer.toString(m.channelId()), Long.toString(m.sequence()),
                Long.toUnsignedString(m.logTime()), Long.toUnsignedString(m.publishTime()), b64(m.data()));
    }

    static String metadataLine(McapMetadata m) {
        return String.join("\t", "metadata", b64(m.name()), map(m.metadata()));
    }

    static String attachmentLine(McapAttachment a) {
        return String.join("\t", "attachment", b64(a.name()), b64(a.contentType()), Long.toUnsignedString(a.logTime()),
                Long.toUnsignedString(a.createTime()), b64(a.data()));
    }

    @Override
    public void schema(McapSchema s) {
        schemas.add(schemaLine(s));
    }

    @Override
    public void channel(McapChannel c) {
        channels.add(channelLine(c));
    }

    @Override
    public void message(McapChannel c, McapMessage m) {
        messages.add(messageLine(m));
    }

    @Override
    public void metadata(McapMetadata m) {
        metadata.add(metadataLine(m));
    }

    @Override
    public void attachment(McapAttachment a) {
        attachments.add(attachmentLine(a));
    }

    /** Every line, records of a kind in file order. */
    List<String> all() {
        List<String> l = new ArrayList<>(schemas);
        l.addAll(channels);
        l.addAll(messages);
        l.addAll(metadata);
        l.addAll(attachments);
        return l;
    }

    /** The peer's lines of one kind. */
    static List<String> kind(List<String> lines, String kind) {
        return lines.stream().filter(l -> l.startsWith(kind + "\t")).toList();
    }
}
