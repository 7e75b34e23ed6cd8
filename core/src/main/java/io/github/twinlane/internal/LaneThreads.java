package io.github.twinlane.internal;

import io.github.twinlane.Lane;
import io.github.twinlane.cycle.DutyCycle;
import io.github.twinlane.cycle.DutyCycleRunner;
import io.github.twinlane.cycle.IdleStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;

/**
 * Starts every thread twinlane runs, from the user's {@link ThreadFactory}, names it after its lane,
 * device and role ({@code twinlane-fast-drive-reader}), lets the CPU plan place it before it runs
 * anything, and keeps track of it so that close can prove none survives.
 */
public final class LaneThreads {

    /** Where lane threads run: the hook through which the CPU plan applies. */
    @FunctionalInterface
    public interface Placement {
        /**
         * Places the calling thread; called first on every new lane thread, before it runs anything.
         *
         * @param lane the lane it belongs to
         */
        void enter(Lane lane);

        /**
         * Places a safety thread (the supervisor, a channel's stop thread): as {@link #enter}, but where the
         * lane runs at a real-time priority, one above it, so that a lane thread spinning at that priority on
         * the same core (a stalled control loop) cannot starve the watchdog that is meant to catch it.
         *
         * @param lane its lane
         */
        default void enterSafety(Lane lane) {
            enter(lane);
        }

        /**
         * The calling lane thread is about to end.
         *
         * @param lane its lane
         */
        default void exit(Lane lane) {
        }

        /**
         * A device was (re)opened on a thread of this lane; threads its library started may need moving.
         *
         * @param lane the lane
         */
        default void deviceOpened(Lane lane) {
        }

        /**
         * Whether the fast lane has CPUs no other thread of the process runs on, so that a fast-lane
         * thread may spin there without taking time from anything else.
         *
         * @return true when the CPU plan applied
         */
        default boolean reservesFastCore() {
            return false;
        }
    }

    /** The roles of the threads that watch and stop devices: placed with {@link Placement#enterSafety}. */
    static final Set<String> SAFETY_ROLES = Set.of("supervisor", "stops", "unblock");
    private final ThreadFactory factory;
    private final boolean ownFactory;
    private final Placement placement;
    private final Set<Thread> started = ConcurrentHashMap.newKeySet();

    /**
     * Creates the thread source.
     *
     * @param factory the user's factory, or null for platform daemon threads
     * @param placement the CPU placement hook
     */
    public LaneThreads(ThreadFactory factory, Placement placement) {
        this.ownFactory = factory == null;
        this.factory = factory == null ? Thread::new : factory;
        this.placement = Objects.requireNonNull(placement, "placement");
    }

    /**
     * The placement hook.
     *
     * @return the placement
     */
    public Placement placement() {
        return placement;
    }

    /**
     * Starts one thread; only {@link #run} calls this, so every thread twinlane starts loops in a runner.
     *
     * @param lane its lane
     * @param device the device or loop name
     * @param role what it does (reader, dispatch, writer, loop)
     * @param body what it runs
     * @return the started thread
     */
    private Thread start(Lane lane, String device, String role, Runnable body) {
        Thread t = newThread(lane, "twinlane-" + lane.name().toLowerCase(Locale.ROOT) + "-" + device + "-" + role, body,
                SAFETY_ROLES.contains(role));
        t.start();
        return t;
    }

    /** Makes (does not start) a lane thread: the runtime's factory, placed on the lane's CPUs, named, tracked. */
    private Thread newThread(Lane lane, String name, Runnable body, boolean safety) {
        Runnable placed = () -> {
            if (safety) {
                placement.enterSafety(lane);
            } else {
                placement.enter(lane);
            }
            try {
                body.run();
            } finally {
                placement.exit(lane);
                // a finished thread is not kept: on newer JDKs it holds its task, and so a closed channel's rings
                started.remove(Thread.currentThread());
            }
        };
        Thread t = factory.newThread(placed);
        if (t == null) {
            throw new IllegalStateException("the ThreadFactory given to TwinlaneRuntime returned null");
        }
        t.setName(name);
        if (ownFactory) {
            t.setDaemon(true);
        }
        started.add(t);
        return t;
    }

    /**
     * Threads for a library's own event loop (one that is not a duty cycle, such as Netty's): made here
     * like every lane thread (the runtime's factory, the lane's CPUs, a twinlane name, tracked in
     * {@link #alive}), started and stopped by the library.
     *
     * @param lane their lane
     * @param device the owner's name
     * @param role what they do; threads are named {@code twinlane-<lane>-<device>-<role>-<n>}
     * @return the factory
     */
    public ThreadFactory factory(Lane lane, String device, String role) {
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        String prefix = "twinlane-" + lane.name().toLowerCase(Locale.ROOT) + "-" + device + "-" + role + "-";
        boolean safety = SAFETY_ROLES.contains(role);
        return body -> newThread(lane, prefix + count.incrementAndGet(), body, safety);
    }

    /**
     * Runs a duty cycle on a new lane thread: the one way twinlane starts a thread that loops.
     *
     * @param lane its lane
     * @param device the device or loop name
     * @param role what it does
     * @param cycle the work
     * @param idle how it waits when there is none
     * @return the running runner
     */
    public DutyCycleRunner run(Lane lane, String device, String role, DutyCycle cycle, IdleStrategy idle) {
        return DutyCycleRunner.start(device + " " + role, cycle, idle, body -> start(lane, device, role, body));
    }

    /**
     * Stops runners and waits for their threads until a deadline.
     *
     * @param runners the runners, null entries skipped
     * @param interrupt whether to interrupt them too (cycles that run user code that may sleep or block)
     * @param deadlineNanos a {@link System#nanoTime()} deadline
     * @return threads still alive at the deadline
     */
    public List<Thread> stop(List<DutyCycleRunner> runners, boolean interrupt, long deadlineNanos) {
        List<Thread> ts = new ArrayList<>();
        for (DutyCycleRunner r : runners) {
            if (r != null) {
                r.stop();
                if (interrupt) {
                    r.interrupt();
                }
                ts.add(r.thread());
            }
        }
        return join(ts, deadlineNanos);
    }

    /**
     * Waits for threads to end, until a deadline.
     *
     * @param threads the threads
     * @param deadlineNanos a {@link System#nanoTime()} deadline
     * @return those still alive at the deadline
     */
    public List<Thread> join(List<Thread> threads, long deadlineNanos) {
        List<Thread> alive = new ArrayList<>();
        // a closing thread whose interrupt flag is set still waits its bound: the flag is kept, not obeyed
        boolean interrupted = Thread.interrupted();
        try {
            for (Thread t : threads) {
                while (t.isAlive()) {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        t.join(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (t.isAlive()) {
                    alive.add(t);
                } else {
                    started.remove(t);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return alive;
    }

    /**
     * Every thread of one lane started and not yet seen to end.
     *
     * @param lane the lane
     * @return its live threads; allocates
     */
    public List<Thread> alive(Lane lane) {
        String prefix = "twinlane-" + lane.name().toLowerCase(Locale.ROOT) + "-";
        return alive().stream().filter(t -> t.getName().startsWith(prefix)).toList();
    }

    /**
     * Every thread started and not yet seen to end.
     *
     * @return live threads
     */
    public List<Thread> alive() {
        List<Thread> alive = new ArrayList<>();
        for (Thread t : started) {
            if (t.isAlive()) {
                alive.add(t);
            } else {
                started.remove(t);
            }
        }
        return alive;
    }
}
