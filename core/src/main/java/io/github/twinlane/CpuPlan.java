package io.github.twinlane;

import java.util.BitSet;

/**
 * Where each lane's threads run on the CPU. By default (on Linux, with two or more visible CPUs)
 * the fast lane gets the last visible core to itself, and every other thread of the process (the
 * slow lane, native threads drivers start, the JVM's GC and JIT threads, the app's threads) is
 * moved to the remaining cores. Dedicated threads alone are not isolation on a small machine: a
 * camera decoding on the same core still delays the control loop by milliseconds.
 *
 * <p>Nothing fails where the plan cannot apply (macOS, Windows, one visible CPU, no native access):
 * the runtime logs one INFO line and runs unpinned; {@link CpuPlanReport} says what happened.
 *
 * @param enabled whether to pin at all
 * @param fastCores the CPUs reserved for the fast lane; empty for the default (the last visible CPU)
 * @param fastPriority SCHED_FIFO priority for fast-lane threads, 1 to 99, or 0 to leave them at normal
 *     priority (the default). Needs root, CAP_SYS_NICE or an rtprio limit; refused with one WARN otherwise.
 * @param slowNice a nice value (-20 to 19) for slow-lane threads, or {@link #KEEP_NICE}
 * @param lockMemory whether to lock the process's memory in RAM ({@code mlockall(MCL_CURRENT|MCL_FUTURE)}),
 *     so that no page of the heap, the stacks or the code is paged out or faulted in under the control
 *     loop, and to pre-touch each fast-lane thread's stack. Off by default. Needs a memlock limit
 *     ({@code ulimit -l}) above the process's size or CAP_IPC_LOCK; refused with one WARN otherwise.
 *     With it, start the JVM with {@code -XX:+AlwaysPreTouch} so the heap is faulted in at start too.
 *
 * <p>Whatever the plan, fast-lane threads it places get the smallest timer slack the kernel allows
 * (1 ns instead of Linux's 50 µs default, {@code prctl(PR_SET_TIMERSLACK)}), so their parks end on time.
 */
public record CpuPlan(boolean enabled, BitSet fastCores, int fastPriority, int slowNice, boolean lockMemory) {

    /** {@link #slowNice()} value that leaves the slow lane's nice value alone. */
    public static final int KEEP_NICE = Integer.MIN_VALUE;

    /** The default: the last core for the fast lane, no real-time priority, nice unchanged. */
    public static final CpuPlan DEFAULT = new CpuPlan(true, new BitSet(), 0, KEEP_NICE, false);

    /** No pinning: every thread runs where the OS puts it. */
    public static final CpuPlan OFF = new CpuPlan(false, new BitSet(), 0, KEEP_NICE, false);

    /**
     * Validates.
     *
     * @throws IllegalArgumentException naming the field and its allowed range
     */
    public CpuPlan {
        fastCores = fastCores == null ? new BitSet() : (BitSet) fastCores.clone();
        if (fastCores.length() > 1024) {
            throw new IllegalArgumentException("fastCores must name CPUs from 0 to 1023, was " + fastCores);
        }
        if (fastPriority < 0 || fastPriority > 99) {
            throw new IllegalArgumentException("fastPriority must be 0 (off) or a SCHED_FIFO priority from 1 to 99, was "
                    + fastPriority);
        }
        if (slowNice != KEEP_NICE && (slowNice < -20 || slowNice > 19)) {
            throw new IllegalArgumentException("slowNice must be from -20 to 19 (or KEEP_NICE), was " + slowNice);
        }
    }

    @Override
    public BitSet fastCores() {
        return (BitSet) fastCores.clone();
    }

    /**
     * This plan with the given CPUs reserved for the fast lane.
     *
     * @param cpus CPU numbers, 0 to 1023
     * @return a new plan
     */
    public CpuPlan withFastCores(int... cpus) {
        BitSet set = new BitSet();
        for (int c : cpus) {
            if (c < 0 || c > 1023) {
                throw new IllegalArgumentException("fastCores must name CPUs from 0 to 1023, was " + c);
            }
            set.set(c);
        }
        return new CpuPlan(true, set, fastPriority, slowNice, lockMemory);
    }

    /**
     * This plan with SCHED_FIFO for the fast lane.
     *
     * @param priority 1 to 99, or 0 for normal priority
     * @return a new plan
     */
    public CpuPlan withFastPriority(int priority) {
        return new CpuPlan(enabled, fastCores, priority, slowNice, lockMemory);
    }

    /**
     * This plan with a nice value for the slow lane.
     *
     * @param nice -20 to 19
     * @return a new plan
     */
    public CpuPlan withSlowNice(int nice) {
        return new CpuPlan(enabled, fastCores, fastPriority, nice, lockMemory);
    }

    /**
     * This plan with memory locking on or off (see {@link #lockMemory()}).
     *
     * @param lock whether to lock memory and pre-touch fast-lane stacks
     * @return the plan
     */
    public CpuPlan withLockedMemory(boolean lock) {
        return new CpuPlan(enabled, fastCores, fastPriority, slowNice, lock);
    }
}
