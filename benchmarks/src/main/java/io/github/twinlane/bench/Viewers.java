package io.github.twinlane.bench;

import io.github.twinlane.foxglove.FoxgloveServer;
import io.github.twinlane.foxglove.FoxgloveStats;
import io.github.twinlane.test.NodePeer;
import io.github.twinlane.test.Rig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Live-view load for the isolation scenario: viewers written against Foxglove's own client library
 * (the live view's test peer, {@code twinlane-foxglove/src/test/node/viewer.mjs}) in Node.js processes of
 * their own, as a browser would be, subscribed to every topic.
 */
final class Viewers {
    private static final Path SCRIPTS = Path.of("twinlane-foxglove", "src", "test", "node");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Viewers() {
    }

    static boolean available() {
        return Rig.hasProgram("node") && Rig.hasProgram("npm") && Files.isDirectory(SCRIPTS);
    }

    /**
     * Starts {@code count} viewers, each subscribed to everything the server advertises; closing the part
     * ends them. They run on {@code cpus} (the runtime's non-reserved CPUs): a process the CPU plan does not
     * place would otherwise share the fast lane's reserved core, which measures the machine's setup, not
     * the server. On a robot the viewer runs on another machine.
     */
    static AutoCloseable start(FoxgloveServer view, int count, String cpus) throws Exception {
        NodePeer peer = NodePeer.prepare(SCRIPTS);
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> cmd = new ArrayList<>();
            if (!cpus.isEmpty() && Rig.hasProgram("taskset")) {
                cmd.addAll(List.of("taskset", "-c", cpus));
            }
            cmd.addAll(List.of("node", "viewer.mjs", view.url()));
            Process p = new ProcessBuilder(cmd).directory(peer.directory().toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            ps.add(p);
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
            long deadline = System.nanoTime() + 60_000_000_000L;
            boolean advertised = false;
            for (String l; !advertised && (l = out.readLine()) != null; ) {
                advertised = l.startsWith("advertise\t/twinlane/log"); // the server advertises every topic at once
                if (System.nanoTime() > deadline) {
                    break;
                }
            }
            if (!advertised) {
                throw new IllegalStateException("a Foxglove viewer did not get the advertisement from " + view.url());
            }
            in.write("subscribe-all\n");
            in.flush();
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // the viewer's own lines are not needed here
                    }
                } catch (java.io.IOException e) {
                    // the viewer ended
                }
            }, "viewer-drain-" + i);
            drain.setDaemon(true);
            drain.start();
        }
        return () -> {
            for (Process p : ps) {
                p.destroy();
            }
            for (Process p : ps) {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        };
    }

    /**
     * Starts a hostile viewer ({@code flood.mjs}, the live view's test peer): it subscribes to every topic,
     * stops reading its socket and sends batches of subscribe requests for channels that do not exist, each
     * asking for a status reply, until the server drops it; it is then started again, for as long as the
     * part is open. Runs on {@code cpus}, like the well-behaved ones.
     *
     * @return the part; closing it ends the viewer
     */
    static Flooder flooder(FoxgloveServer view, String cpus) throws Exception {
        return new Flooder(NodePeer.prepare(SCRIPTS).directory(), view.url(), cpus);
    }

    /** The hostile viewer's process, restarted each time the server drops it. */
    static final class Flooder implements AutoCloseable {
        private final Thread thread;
        private volatile boolean closed;
        private volatile Process process;

        private Flooder(Path dir, String url, String cpus) {
            thread = new Thread(() -> {
                while (!closed) {
                    try {
                        List<String> cmd = new ArrayList<>();
                        if (!cpus.isEmpty() && Rig.hasProgram("taskset")) {
                            cmd.addAll(List.of("taskset", "-c", cpus));
                        }
                        cmd.addAll(List.of("node", "flood.mjs", url));
                        Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                        process = p;
                        flood(p);
                        p.destroy();
                        p.waitFor(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        if (!closed) {
                            System.err.println("flooding viewer: " + e);
                        }
                        return;
                    }
                }
            }, "viewer-flooder");
            thread.setDaemon(true);
            thread.start();
        }

        /** Floods until the server closes the connection (or the part is closed). */
        private void flood(Process p) throws java.io.IOException, InterruptedException {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
            java.util.concurrent.atomic.AtomicBoolean stalled = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
            Thread lines = new Thread(() -> {
                try {
                    for (String l; (l = out.readLine()) != null; ) {
                        if (l.startsWith("stalled")) {
                            stalled.set(true);
                        } else if (l.startsWith("closed")) {
                            break;
                        }
                    }
                } catch (java.io.IOException e) {
                    // the process ended
                }
                ended.set(true);
            }, "viewer-flooder-lines");
            lines.setDaemon(true);
            lines.start();
            while (!closed && !ended.get()) {
                if (stalled.get()) {
                    try {
                        in.write("flood\t20\t1000\n"); // 20 requests of 1,000 unknown ids each
                        in.flush();
                    } catch (java.io.IOException e) {
                        return; // the process ended: started again
                    }
                }
                Thread.sleep(100);
            }
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            Process p = process;
            if (p != null) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            thread.join(TimeUnit.SECONDS.toMillis(15));
        }
    }

    /** Camera frames delivered to viewers so far, and values dropped for them; zeros without a server. */
    static long[] delivered(FoxgloveServer view) {
        long[] sd = new long[2];
        if (view != null) {
            for (FoxgloveStats.Client c : view.stats().clients()) {
                for (FoxgloveStats.TopicCount t : c.topics()) {
                    if (t.topic().startsWith("/cam")) {
                        sd[0] += t.sent();
                    }
                    sd[1] += t.dropped();
                }
            }
        }
        return sd;
    }

    /** CPU time of the live view's threads so far: its event loop, its service and the taps that feed it. */
    static long serverCpuNanos() {
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            if (n.contains("foxglove") || n.contains("-tap-fox")) {
                long cpu = THREADS.getThreadCpuTime(t.getId());
                sum += Math.max(0, cpu);
            }
        }
        return sum;
    }
}
