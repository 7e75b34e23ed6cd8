package io.github.twinlane.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The Markdown report: sections, tables of min/median/max, ratios and targets. */
final class Report {
    private final StringBuilder md = new StringBuilder();
    private final List<String> targets = new ArrayList<>();

    void title(String text) {
        md.append("# ").append(text).append("\n\n");
    }

    void section(String text) {
        md.append("\n## ").append(text).append("\n\n");
    }

    void para(String text) {
        md.append(text).append("\n\n");
    }

    void table(List<String> header, List<List<String>> rows) {
        md.append('|');
        for (String h : header) {
            md.append(' ').append(h).append(" |");
        }
        md.append("\n|");
        for (int i = 0; i < header.size(); i++) {
            md.append(i == 0 ? "---|" : "---:|");
        }
        md.append('\n');
        for (List<String> r : rows) {
            md.append('|');
            for (String c : r) {
                md.append(' ').append(c).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    void image(String file, String alt) {
        md.append("![").append(alt).append("](").append(file).append(")\n\n");
    }

    /** Records a target and whether it was met; listed again at the top of the report. */
    boolean target(String scenario, String what, double measured, double limit, boolean lowerIsBetter) {
        boolean met = lowerIsBetter ? measured <= limit : measured >= limit;
        String line = String.format(Locale.ROOT, "%s %s: %s: measured %.2f, target %s %.2f", met ? "MET" : "MISSED",
                scenario, what, measured, lowerIsBetter ? "<=" : ">=", limit);
        targets.add(line);
        md.append("- ").append(line).append('\n');
        return met;
    }

    List<String> targets() {
        return targets;
    }

    void write(Path file, String header) throws IOException {
        StringBuilder all = new StringBuilder(header);
        all.append("\n## Targets\n\n");
        for (String t : targets) {
            all.append("- ").append(t).append('\n');
        }
        all.append('\n').append(md);
        Files.createDirectories(file.getParent());
        Files.writeString(file, all.toString());
    }

    static String us(double nanos) {
        return Double.isNaN(nanos) ? "n/a" : nanos >= 1e6
                ? String.format(Locale.ROOT, "%.2f ms", nanos / 1e6)
                : String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
    }

    static String num(double v) {
        return Double.isNaN(v) ? "n/a" : Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    /** "median (min–max)" of a latency in nanoseconds. */
    static String us(Trials t) {
        return us(t.median()) + " (" + us(t.min()) + "–" + us(t.max()) + ")";
    }

    static String num(Trials t) {
        return num(t.median()) + " (" + num(t.min()) + "–" + num(t.max()) + ")";
    }

    static String ratio(double a, double b) {
        return b == 0 || Double.isNaN(a) || Double.isNaN(b) ? "n/a" : String.format(Locale.ROOT, "%.2f×", a / b);
    }
}
