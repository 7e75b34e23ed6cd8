package io.github.twinlane.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Which JVM flags keep the loop on time: the isolation rig ({@link GcProbe}) in a child JVM per
 * collector, on Java 17 and on the second JDK (Java 25, from {@code TWINLANE_JAVA25} or the Temurin
 * path), with and without {@code -XX:+AlwaysPreTouch}, trials interleaved. A collector this JDK does
 * not have is reported as such.
 */
final class GcScenario {
    private GcScenario() {
    }

    record Jvm(String label, String java, List<String> flags) {
    }

    static Path java25() {
        String env = System.getenv("TWINLANE_JAVA25");
        Path p = env != null ? Path.of(env, "bin", "java") : Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
        return Files.isExecutable(p) ? p : null;
    }

    static void run(Settings s, Report r) throws Exception {
        r.section("8. JVM flags: the loop under each collector");
        Path tmp = Files.createTempDirectory("twinlane-gc");
        Path clip = TestVideo.mjpeg1080(tmp);
        String java17 = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Jvm> jvms = new ArrayList<>();
        String heap = "-Xmx512m";
        for (boolean pre : new boolean[] {false, true}) {
            List<String> pt = pre ? List.of("-Xms512m", "-XX:+AlwaysPreTouch") : List.of();
            String suffix = pre ? " + AlwaysPreTouch" : "";
            jvms.add(new Jvm("Java " + Runtime.version().feature() + ", G1 (default)" + suffix, java17, concat(heap, pt)));
            jvms.add(new Jvm("Java " + Runtime.version().feature() + ", ZGC" + suffix, java17, concat(heap, pt, "-XX:+UseZGC")));
            jvms.add(new Jvm("Java " + Runtime.version().feature() + ", Shenandoah" + suffix, java17,
                    concat(heap, pt, "-XX:+UseShenandoahGC")));
            Path j25 = java25();
            if (j25 != null) {
                jvms.add(new Jvm("Java 25, G1 (default)" + suffix, j25.toString(), concat(heap, pt)));
                jvms.add(new Jvm("Java 25, generational ZGC" + suffix, j25.toString(), concat(heap, pt, "-XX:+UseZGC")));
            }
        }
        if (java25() == null) {
            r.para("No Java 25 found (set TWINLANE_JAVA25 to its home): only this JDK's collectors were measured.");
        }
        r.para("The isolation rig in a JVM of its own per configuration: the default 1 kHz loop (CPU plan on, adaptive "
                + "spin, the drive read and written in the loop), four cameras decoding the 1080p MJPEG clip, and an "
                + "application thread allocating about 64 MB/s so that the collector has work; heap 512 MB. "
                + s.trials() + " trials of " + s.trial().toMillis() + " ms after " + s.warmup().toMillis()
                + " ms warm-up, configurations interleaved; cells are median (min–max).");
        Map<Jvm, Trials[]> by = new LinkedHashMap<>();
        Map<Jvm, String> refused = new LinkedHashMap<>();
        for (int i = 0; i < s.trials(); i++) {
            for (Jvm j : jvms) {
                if (refused.containsKey(j)) {
                    continue;
                }
                BenchmarkSuite.progress("gc", "trial " + (i + 1) + "/" + s.trials() + ": " + j.label());
                String out = probe(j, clip, s);
                String line = out.lines().filter(l -> l.startsWith("GCPROBE ")).findFirst().orElse(null);
                if (line == null) {
                    refused.put(j, out.lines().filter(l -> l.contains("Error") || l.contains("Unrecognized"))
                            .findFirst().orElse("no result").trim());
                    continue;
                }
                String[] f = line.split(" ");
                Trials[] t = by.computeIfAbsent(j, k -> new Trials[] {new Trials(), new Trials(), new Trials(),
                        new Trials(), new Trials()});
                for (int k = 0; k < 4; k++) {
                    t[k].add(Double.parseDouble(f[k + 1]));
                }
                t[4].add(100.0 * Long.parseLong(f[6]) / Math.max(1, Long.parseLong(f[5])));
            }
        }
        List<List<String>> rows = new ArrayList<>();
        Jvm best = null;
        for (Jvm j : jvms) {
            Trials[] t = by.get(j);
            if (t == null) {
                rows.add(List.of(j.label(), String.join(" ", j.flags()), "not available: " + refused.get(j), "", "", "", ""));
                continue;
            }
            rows.add(List.of(j.label(), String.join(" ", j.flags()), Report.us(t[0]), Report.us(t[1]), Report.us(t[2]),
                    Report.us(t[3]), Report.num(t[4]) + " %"));
            if (best == null || t[2].median() < by.get(best)[2].median()) {
                best = j;
            }
        }
        r.table(List.of("JVM and collector", "flags", "lateness p50", "p99", "p99.9", "max", "missed deadlines"), rows);
        if (best != null) {
            r.para("Lowest p99.9 in this run: **" + best.label() + "** (`" + String.join(" ", best.flags()) + "`).");
            // the README recommends a ZGC with a fixed heap: its best row against the table's best
            double zgc = Double.NaN;
            for (Map.Entry<Jvm, Trials[]> e : by.entrySet()) {
                if (e.getKey().flags().contains("-XX:+UseZGC")) {
                    double v = e.getValue()[2].median();
                    zgc = Double.isNaN(zgc) ? v : Math.min(zgc, v);
                }
            }
            r.target("gc", "the README's recommendation (a ZGC): its best p99.9 / the table's lowest p99.9",
                    zgc / by.get(best)[2].median(), 1.0, true);
        }
    }

    private static List<String> concat(String heap, List<String> pre, String... more) {
        List<String> l = new ArrayList<>();
        l.add(heap);
        l.addAll(pre);
        l.addAll(List.of(more));
        return l;
    }

    private static String probe(Jvm j, Path clip, Settings s) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(j.java());
        cmd.addAll(j.flags());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(GcProbe.class.getName());
        cmd.add(clip.toString());
        cmd.add(Long.toString(s.warmup().toMillis()));
        cmd.add(Long.toString(s.trial().toMillis()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
