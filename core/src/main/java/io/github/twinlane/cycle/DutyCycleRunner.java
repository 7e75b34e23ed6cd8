package io.github.twinlane.cycle;

import io.github.twinlane.spi.LogLimiter;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link DutyCycle} on one thread: starts the thread, calls the cycle, idles through its
 * {@link IdleStrategy}, logs and counts the cycle's exceptions without ever letting one end the
 * thread, and stops within a deadline. Every thread twinlane starts is run by one of these.
 *
 * <pre>{@code
 * onStart();
 * while (running) {
 *     int work = doWork();        // an exception: logged (at most once per 10 s), counted, work = 0
 *     idle.idle(work);
 * }
 * onClose();
 * }</pre>
 *
 * <p>Threading: {@link #start}, {@link #wake}, {@link #stop}, {@link #join} and the getters may be
 * called from any thread. Stopping is cooperative: {@link #stop()} ends the loop after the current
 * duty cycle and wakes a parked thread; {@link #interrupt()} also makes a cycle blocked in a sleep or
 * an interruptible wait return; {@link #join} waits for the thread up to a deadline. A stray interrupt
 * while running is cleared after each cycle, so it cannot leak into the next one.
 */
public final class DutyCycleRunner {
    private static final Logger LOG = LoggerFactory.getLogger(DutyCycleRunner.class);

    private final String name;
    private final DutyCycle cycle;
    private final IdleStrategy idle;
    private final AtomicLong errors = new AtomicLong();
    private final LogLimiter errorLog = new LogLimiter();
    private volatile boolean running = true;
    private volatile Thread thread;

    private DutyCycleRunner(String name, DutyCycle cycle, IdleStrategy idle) {
        this.name = Objects.requireNonNull(name, "name");
        this.cycle = Objects.requireNonNull(cycle, "cycle");
        this.idle = Objects.requireNonNull(idle, "idle");
    }

    /**
     * Starts {@code cycle} on a thread that {@code starter} creates and starts.
     *
     * @param name for log lines, for example the thread's role ("drive reader")
     * @param cycle the work
     * @param idle how to wait when there is none; owned by this runner from now on
     * @param starter creates and starts a thread running the given body (twinlane's lane threads
     *     come from the runtime's, named and placed by the CPU plan)
     * @return the running runner
     */
    public static DutyCycleRunner start(String name, DutyCycle cycle, IdleStrategy idle,
                                        Function<Runnable, Thread> starter) {
        DutyCycleRunner r = new DutyCycleRunner(name, cycle, idle);
        r.thread = starter.apply(r::run);
        return r;
    }

    private void run() {
        try {
            cycle.onStart();
            while (running) {
                int work;
                try {
                    work = cycle.doWork();
                } catch (Throwable t) {
                    work = 0;
                    if (!running) {
                        break; // stopping: an interrupted wait is expected
                    }
                    failed("doWork", t);
                }
                if (!running) {
                    break;
                }
                idle.idle(work);
                Thread.interrupted(); // an interrupt meant for one cycle must not leak into the next
            }
        } catch (Throwable t) {
            failed("onStart", t);
        } finally {
            try {
                cycle.onClose();
            } catch (Throwable t) {
                failed("onClose", t);
            }
        }
    }

    private void failed(String where, Throwable t) {
        errors.incrementAndGet();
        long n = errorLog.due();
        if (n > 0) {
            LOG.error("Duty cycle '{}' threw from {} ({} time(s) since the last such line); its thread keeps running",
                    name, where, n, t);
        }
    }

    /** Ends a park early: call after giving the cycle work. Any thread; never blocks. */
    public void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Asks the loop to end after the current cycle, and wakes the thread if it is parked. Any thread. */
    public void stop() {
        running = false;
        wake();
    }

    /**
     * Interrupts the thread, so that a cycle blocked in a sleep, an interruptible wait or interruptible
     * I/O returns. Used after {@link #stop()} for cycles that run user code (handlers, loop tasks).
     */
    public void interrupt() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /**
     * Waits for the thread to end, until a deadline.
     *
     * @param deadlineNanos a {@link System#nanoTime()} deadline
     * @return true if it ended
     */
    public boolean join(long deadlineNanos) {
        Thread t = thread;
        if (t == null) {
            return true;
        }
        long left;
        while (t.isAlive() && (left = deadlineNanos - System.nanoTime()) > 0) {
            try {
                t.join(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return !t.isAlive();
    }

    /** The thread, for diagnostics and placement. */
    public Thread thread() {
        return thread;
    }

    /** True until {@link #stop()}. */
    public boolean isRunning() {
        return running;
    }

    /** Exceptions the cycle threw, all counted, since start. */
    public long errors() {
        return errors.get();
    }

    @Override
    public String toString() {
        Thread t = thread;
        return "DutyCycleRunner[" + name + ", " + (t == null ? "not started" : t.getName()) + ", "
                + (running ? "running" : "stopping") + ", errors " + errors.get() + "]";
    }
}
