package io.github.twinlane.internal;

import io.github.twinlane.test.Await;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what slf4j-simple (the tests' logger, which prints to whatever {@code System.err} is at each
 * line) logs while it is open, still passing it on. Tests only ask whether a line they expect was
 * logged, never that nothing else was: other tests' threads may log meanwhile.
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.start()) {
 *     ...
 *     log.await("EMERGENCY STOP written");
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {
    private final PrintStream original;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private LogCapture() {
        original = System.err;
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** @return a capture, open until closed */
    public static LogCapture start() {
        return new LogCapture();
    }

    /** @return everything logged so far */
    public String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * @param fragment text a line should contain
     * @return whether one does
     */
    public boolean has(String fragment) {
        return text().contains(fragment);
    }

    /** Waits (hang bound) until a line containing {@code fragment} was logged (another thread may log it). */
    public void await(String fragment) {
        Await.until("a log line containing \"" + fragment + "\"", () -> has(fragment), this::text);
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
