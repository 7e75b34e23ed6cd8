package io.github.twinlane.test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs a program's {@code main} in this JVM and returns what it printed on {@code System.out}. */
public final class Capture {
    private Capture() {
    }

    /** A {@code main} method, as a method reference: {@code MyApp::main}. */
    @FunctionalInterface
    public interface Main {
        /** Runs the program. */
        void main(String[] args) throws Exception;
    }

    /**
     * Runs {@code main} with {@code args}, capturing {@code System.out}; what was printed is also
     * echoed to the real {@code System.out} afterwards, so a failing test's report shows it.
     * Serialised: one capture at a time per JVM, since {@code System.out} is global.
     */
    public static synchronized String stdout(Main main, String... args) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            main.main(args);
        } finally {
            System.setOut(old);
            old.println(buf.toString(StandardCharsets.UTF_8));
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
