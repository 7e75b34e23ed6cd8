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
}
