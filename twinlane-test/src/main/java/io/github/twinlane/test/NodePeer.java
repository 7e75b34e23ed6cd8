package io.github.twinlane.test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An independent peer written against a format's or protocol's official library from npm: the test
 * tree keeps a {@code package.json} with pinned versions, its {@code package-lock.json} and the
 * scripts; {@link #prepare} copies them under {@code target/}, runs {@code npm ci} there once, and
 * {@link #run} runs a script with Node.js. {@code node_modules} is never in the source tree.
 *
 * <p>Node.js and npm are a system package: off CI a machine without them skips the test, naming
 * the package; under {@code CI=true} the test fails ({@link Rig}).
 *
 * <pre>{@code
 * NodePeer mcap = NodePeer.prepare(Path.of("src/test/node"));
 * List<String> lines = mcap.run(Duration.ofSeconds(60), "mcap-read.mjs", file.toString(), "indexed");
 * }</pre>
 */
public final class NodePeer {
    private final Path dir;

    private NodePeer(Path dir) {
        this.dir = dir;
    }

    /**
     * Copies the peer's sources under {@code target/node-peer/} and installs its locked dependencies.
     *
     * @param sources a directory with package.json, package-lock.json and the scripts
     * @return the peer
     * @throws IOException if npm fails (its output is in the message)
     */
    public static NodePeer prepare(Path sources) throws IOException {
        Rig.require(commandWorks("node", "--version") && commandWorks("npm", "--version"),
                "Node.js 20 and npm for the independent peer in " + sources, "apt-get install -y nodejs npm");
        if (!Files.exists(sources.resolve("package-lock.json"))) {
            throw new IllegalStateException(sources + " has no package-lock.json: pin the peer's versions with "
                    + "`npm install` there and commit the lock file");
        }
        Path dir = Path.of("target", "node-peer", sources.getFileName().toString()).toAbsolutePath();
        Files.createDirectories(dir);
        boolean changed = false;
        try (Stream<Path> files = Files.list(sources)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Path to = dir.resolve(f.getFileName());
                if (!Files.exists(to) || Files.mismatch(f, to) != -1) {
                    Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
                    changed |= f.getFileName().toString().startsWith("package");
                }
            }
        }
        synchronized (NodePeer.class) {
            if (changed || !Files.isDirectory(dir.resolve("node_modules"))) {
                Result r = exec(dir, Duration.ofMinutes(5), "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
                if (r.code != 0) {
                    throw new IOException("npm ci in " + dir + " failed (exit " + r.code + "): " + r.output);
                }
            }
        }
        return new NodePeer(dir);
    }

    /**
     * Runs one of the peer's scripts with Node.js and returns its standard output, line by line.
     *
     * @param timeout the longest it may run (a bound that only catches a hang)
     * @param script the script's file name
     * @param args its arguments
     * @return its output lines
     * @throws IOException if it exits with an error or outlives the timeout (its output is in the message)
     */
    public List<String> run(Duration timeout, String script, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("node", script));
        cmd.addAll(List.of(args));
        Result r = exec(dir, timeout, cmd.toArray(new String[0]));
        if (r.code != 0) {
            throw new IOException("node " + script + " exited with " + r.code + ": " + r.output);
        }
        return r.output.lines().toList();
    }

    /**
     * Starts one of the peer's scripts and leaves it running (a client or server peer).
     *
     * @param script the script's file name
     * @param args its arguments
     * @return the process; its standard output carries the script's lines; destroy it when done
     * @throws IOException if it cannot start
     */
    public Process start(String script, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("node", script));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** @return where the peer is installed */
    public Path directory() {
        return dir;
    }

    private record Result(int code, String output) {
    }

    private static Result exec(Path dir, Duration timeout, String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(false).start();
        StringBuffer out = new StringBuffer();
        StringBuffer err = new StringBuffer();
        // both drained on their own threads, so a peer that hangs with its pipes open still meets the timeout
        Thread outDrain = new Thread(() -> out.append(readAll(p.getInputStream())), "node-peer-stdout");
        Thread errDrain = new Thread(() -> err.append(readAll(p.getErrorStream())), "node-peer-stderr");
        outDrain.start();
        errDrain.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish within " + timeout.toSeconds() + " s: "
                        + err);
            }
            outDrain.join(5000);
            errDrain.join(5000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", cmd), e);
        }
        return new Result(p.exitValue(), p.exitValue() == 0 ? out.toString() : out + "" + err);
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static boolean commandWorks(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
