package io.github.twinlane.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One metric over repeated trials: min, median, max. */
final class Trials {
    private final List<Double> values = new ArrayList<>();

    void add(double v) {
        values.add(v);
    }

    double median() {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int n = s.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    double min() {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /**
     * The median over trials of {@code a[i] / b[i]}: contenders run interleaved, trial i of each under
     * the same conditions, so their ratio is taken pair by pair before the median.
     *
     * @param a numerators, one per trial
     * @param b denominators, one per trial, in the same order
     * @return the median ratio, NaN when there are no pairs
     */
    static double medianRatio(Trials a, Trials b) {
        Trials r = new Trials();
        for (int i = 0; i < Math.min(a.values.size(), b.values.size()); i++) {
            double d = b.values.get(i);
            if (d != 0 && !Double.isNaN(d) && !Double.isNaN(a.values.get(i))) {
                r.add(a.values.get(i) / d);
            }
        }
        return r.median();
    }
}
