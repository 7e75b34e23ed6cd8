package io.github.twinlane.internal;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * Says once per process, on standard error, when no SLF4J binding is on the classpath: twinlane
 * reports lost devices, reconnects and corrupt data through SLF4J, and without a binding all of it
 * would go nowhere without a word.
 */
public final class LoggingHint {
    private static final AtomicBoolean SAID = new AtomicBoolean();

    /** The hint, naming the fix. */
    public static final String TEXT = "[twinlane] INFO no SLF4J binding found: twinlane's warnings (lost devices, "
            + "reconnects, corrupt data) are discarded. Add one, for example org.slf4j:slf4j-simple:2.0.20 "
            + "(or Logback, Log4j 2) to your dependencies.";

    private LoggingHint() {
    }

    /** Prints the hint on {@code System.err} if no binding is bound and it was not printed before. */
    public static void once() {
        once(LoggerFactory.getILoggerFactory(), System.err, SAID);
    }

    /**
     * Prints the hint to {@code err} if {@code factory} is SLF4J's no-operation fallback and
     * {@code said} was not yet set.
     *
     * @return true when it printed
     */
    static boolean once(ILoggerFactory factory, PrintStream err, AtomicBoolean said) {
        if (factory instanceof NOPLoggerFactory && said.compareAndSet(false, true)) {
            err.println(TEXT);
            return true;
        }
        return false;
    }
}
