package io.github.twinlane.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Command-line options for the examples: --name value pairs, repeatable, with errors that say what is allowed. */
final class Args {
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final String usage;

    Args(String[] args, String usage, String... flags) {
        this.usage = usage;
        List<String> allowedFlags = List.of(flags);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a + "; usage: " + usage);
            }
            if (allowedFlags.contains(a)) {
                values.computeIfAbsent(a, k -> new ArrayList<>()).add("true");
            } else if (usage.contains(a + " ")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value; usage: " + usage);
                }
                values.computeIfAbsent(a, k -> new ArrayList<>()).add(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option " + a + "; usage: " + usage);
            }
        }
    }

    String text(String name, String fallback) {
        List<String> v = values.get(name);
        return v == null ? fallback : v.get(v.size() - 1);
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    int number(String name, int fallback, int min, int max) {
        String v = text(name, null);
        if (v == null) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", was " + v, e);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", was " + n);
        }
        return n;
    }

    String usage() {
        return usage;
    }
}
