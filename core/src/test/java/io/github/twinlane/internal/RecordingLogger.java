package io.github.twinlane.internal;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;

/**
 * An SLF4J {@link Logger} for classes that are given theirs (the channel lifecycle): it records each
 * line's level, format and arguments, so a test can check what an operator is told.
 */
public final class RecordingLogger {
    /** One line: its level (info, warn, error...), its format and its arguments. */
    public record Line(String level, String format, List<Object> args) {
        /** @return the format with its arguments filled in, as slf4j would print it */
        public String text() {
            StringBuilder b = new StringBuilder();
            int arg = 0;
            int i = 0;
            while (i < format.length()) {
                if (format.startsWith("{}", i) && arg < args.size()) {
                    b.append(args.get(arg++));
                    i += 2;
                } else {
                    b.append(format.charAt(i++));
                }
            }
            return b.toString();
        }
    }

    /** Every line logged, in order. */
    public final List<Line> lines = new CopyOnWriteArrayList<>();
    /** The logger. */
    public final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
            new Class<?>[] {Logger.class}, (proxy, method, args) -> {
                String name = method.getName();
                if (method.getReturnType() == boolean.class) {
                    return true; // every level is enabled
                }
                if (name.equals("getName")) {
                    return "recording";
                }
                if (args != null && args.length > 0 && args[0] instanceof String format) {
                    List<Object> rest = new ArrayList<>();
                    for (int i = 1; i < args.length; i++) {
                        if (args[i] instanceof Object[] varargs) {
                            rest.addAll(Arrays.asList(varargs));
                        } else {
                            rest.add(args[i]);
                        }
                    }
                    lines.add(new Line(name, format, rest));
                    return null;
                }
                if (name.equals("toString")) {
                    return "RecordingLogger";
                }
                if (name.equals("hashCode")) {
                    return System.identityHashCode(proxy);
                }
                if (name.equals("equals")) {
                    return proxy == args[0];
                }
                return null;
            });

    /**
     * @param level info, warn, error
     * @return the lines of that level, as printed
     */
    public List<String> at(String level) {
        return lines.stream().filter(l -> l.level().equals(level)).map(Line::text).toList();
    }
}
