package io.github.twinlane.test;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition instead of sleeping a guessed time.
 *
 * <p>The bound only catches a hang: a test waits for the outcome it needs and then asserts it, so a
 * slow, shared machine makes the test slower, never red. {@link #HANG} is the default bound; pass a
 * shorter one only where a hang would otherwise stall the whole suite for long.
 *
 * <pre>{@code
 * Await.until("the drive is open", () -> drive.state() == ChannelState.OPEN, drive::toString);
 * }</pre>
 *
 * <p>Threading: called from the test's thread; polls every 2 ms, allocating nothing but what the
 * condition does. Throws {@link AssertionError} naming what was awaited and the state the supplier
 * describes when the bound passes, or when the waiting thread is interrupted.
 */
public final class Await {
    /** The default bound: long enough that only a hang reaches it on a loaded 2-core machine. */
    public static final Duration HANG = Duration.ofSeconds(60);

    private Await() {
    }

    /** Waits up to {@link #HANG} until {@code condition} holds. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, HANG, condition, () -> "");
    }

    /** Waits up to {@link #HANG}; on failure the message carries {@code state.get()}. */
    public static void until(String what, BooleanSupplier condition, Supplier<String> state) {
        until(what, HANG, condition, state);
    }

    /** Waits up to {@code timeout} until {@code condition} holds. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition, () -> "");
    }

    /** Waits up to {@code timeout}; on failure the message carries {@code state.get()}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up after " + timeout.toSeconds() + " s waiting until " + what
                        + (state == null ? "" : ": " + state.get()));
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what, e);
            }
        }
    }
}
