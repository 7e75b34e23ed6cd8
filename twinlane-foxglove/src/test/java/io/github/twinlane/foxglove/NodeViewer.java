package io.github.twinlane.foxglove;

import io.github.twinlane.test.Await;
import io.github.twinlane.test.NodePeer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** One of the Node.js peers (viewer.mjs, raw.mjs) as a running process: its lines as they come, commands in. */
final class NodeViewer implements AutoCloseable {
    private static NodePeer peer;
    private final Process process;
    private final Writer in;
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private NodeViewer(Process process) {
        this.process = process;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (IOException e) {
                lines.add("reader\t" + e);
            }
        }, "node-viewer-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static synchronized NodePeer peer() throws IOException {
        if (peer == null) {
            peer = NodePeer.prepare(Path.of("src", "test", "node"));
        }
        return peer;
    }

    static NodeViewer start(String script, String... args) throws IOException {
        return new NodeViewer(peer().start(script, args));
    }

    /** Waits (a bound that only catches a hang) for a line that matches, and returns it. */
    String await(String what, Predicate<String> match) {
        String[] found = new String[1];
        Await.until(what, () -> {
            for (String l : lines) {
                if (match.test(l)) {
                    found[0] = l;
                    return true;
                }
            }
            return false;
        }, () -> String.join("\n", lines));
        return found[0];
    }

    /** Waits for a line starting with {@code prefix} at index {@code from} or later, and returns it. */
    String awaitFrom(int from, String prefix) {
        String[] found = new String[1];
        Await.until("a line starting '" + prefix.replace("\t", "\\t") + "' after line " + from, () -> {
            for (int i = from; i < lines.size(); i++) {
                if (lines.get(i).startsWith(prefix)) {
                    found[0] = lines.get(i);
                    return true;
                }
            }
            return false;
        }, () -> String.join("\n", lines));
        return found[0];
    }

    String awaitPrefix(String prefix) {
        return await("a line starting '" + prefix.replace("\t", "\\t") + "'", l -> l.startsWith(prefix));
    }

    boolean has(String prefix) {
        return lines.stream().anyMatch(l -> l.startsWith(prefix));
    }

    void send(String... fields) throws IOException {
        in.write(String.join("\t", fields) + "\n");
        in.flush();
    }

    /** Waits for the peer to exit on its own. */
    void awaitExit() {
        Await.until("the peer exits", () -> !process.isAlive(), () -> String.join("\n", lines));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return String.join("\n", lines);
    }
}
