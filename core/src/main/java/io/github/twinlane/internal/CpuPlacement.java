package io.github.twinlane.internal;

import io.github.twinlane.CpuPlan;
import io.github.twinlane.CpuPlanReport;
import io.github.twinlane.Lane;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a {@link CpuPlan} on Linux. When the runtime is built, every thread of the process is
 * moved off the fast lane's CPUs; each fast-lane thread moves itself onto them when it starts
 * (before it runs anything), and each slow-lane thread confirms the other CPUs. Threads created later
 * inherit their creator's mask, so a driver opened on a slow-lane thread starts its native threads
 * there; after a fast-lane device opens, the process is swept again so that helper threads its
 * library started (jSerialComm's event thread) leave the reserved CPUs. On close every thread gets
 * the original mask back.
 */
public final class CpuPlacement implements LaneThreads.Placement {
    private static final Logger LOG = LoggerFactory.getLogger("io.github.twinlane.cpu");

    private final CpuPlan plan;
    private final LinuxSched sched;
    private final BitSet visible;
    private final BitSet fast;
    private final BitSet other;
    private final Set<Integer> fastTids = ConcurrentHashMap.newKeySet();
    // a fast-lane thread registers and pins itself under this lock, and a sweep holds it throughout: a
    // thread that registered during a sweep, after the sweep had passed over it, would otherwise be moved
    // off the reserved core by the sweep's next step, for good
    private final Object sweepLock = new Object();
    private final List<String> notes = new CopyOnWriteArrayList<>();
    private final AtomicBoolean fifoRefused = new AtomicBoolean();
    private final AtomicBoolean niceRefused = new AtomicBoolean();
    private volatile int fifoApplied;
    private final AtomicBoolean slackRefused = new AtomicBoolean();
    private volatile long timerSlack = -1;
    private volatile boolean memoryLocked;

    private CpuPlacement(CpuPlan plan, LinuxSched sched, BitSet visible, BitSet fast, BitSet other, String why) {
        this.plan = plan;
        this.sched = sched;
        this.visible = visible;
        this.fast = fast;
        this.other = other;
        if (why != null) {
            notes.add(why);
        }
    }

    /**
     * Decides and applies the plan for this process.
     *
     * @param plan the plan
     * @return the placement, applied or (where it cannot apply) inert
     * @throws IllegalArgumentException if the plan names CPUs the process cannot use
     */
    public static CpuPlacement apply(CpuPlan plan) {
        String os = System.getProperty("os.name", "?");
        if (!plan.enabled()) {
            return inert(plan, new BitSet(), "switched off (CpuPlan.OFF)");
        }
        if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
            return inert(plan, new BitSet(), "not Linux (" + os + "): no thread pinning on this OS");
        }
        LinuxSched sched;
        BitSet visible;
        try {
            sched = LinuxSched.load();
            visible = sched.getAffinity(0);
        } catch (Throwable t) {
            return inert(plan, new BitSet(), "native access (JNA) unavailable: " + t);
        }
        if (visible.cardinality() < 2) {
            return inert(plan, visible, "one visible CPU (" + CpuSets.format(visible)
                    + "): nothing to separate the lanes with");
        }
        BitSet fast = plan.fastCores();
        if (fast.isEmpty()) {
            fast.set(visible.length() - 1);
        }
        BitSet outside = (BitSet) fast.clone();
        outside.andNot(visible);
        if (!outside.isEmpty()) {
            throw new IllegalArgumentException("fastCores " + CpuSets.format(outside) + " are not among the CPUs this "
                    + "process may use (" + CpuSets.format(visible) + "; a container cpuset or taskset limits them): "
                    + "choose fastCores from " + CpuSets.format(visible));
        }
        BitSet other = (BitSet) visible.clone();
        other.andNot(fast);
        if (other.isEmpty()) {
            throw new IllegalArgumentException("fastCores " + CpuSets.format(fast) + " take every visible CPU: leave "
                    + "at least one of " + CpuSets.format(visible) + " for the slow lane and the JVM");
        }
        CpuPlacement p = new CpuPlacement(plan, sched, visible, fast, other, null);
        int moved = p.sweep(other);
        LOG.info("CPU plan: fast lane on CPU {}, everything else ({} threads now) on CPU {}", CpuSets.format(fast),
                moved, CpuSets.format(other));
        if (plan.lockMemory()) {
            p.lockMemory();
        }
        return p;
    }

    private void lockMemory() {
        try {
            sched.lockAllMemory();
            memoryLocked = true;
            LOG.info("CPU plan: memory locked in RAM (mlockall MCL_CURRENT|MCL_FUTURE)");
            boolean preTouch = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                    .contains("-XX:+AlwaysPreTouch");
            if (!preTouch) {
                note("memory is locked, but the heap was not pre-touched: pages the heap has not used yet fault in "
                        + "when first used; start the JVM with -XX:+AlwaysPreTouch (and -Xms equal to -Xmx)");
            }
        } catch (Throwable t) {
            String limit;
            try {
                long l = sched.memlockLimit();
                limit = l < 0 ? "unlimited" : (l / 1024) + " KiB";
            } catch (Throwable e) {
                limit = "unknown";
            }
            note("memory not locked: mlockall refused with " + LinuxSched.explain(t) + "; the memlock limit is " + limit
                    + " (ulimit -l). Raise it above the process's size (/etc/security/limits.conf: <user> - memlock "
                    + "unlimited; systemd: LimitMEMLOCK=infinity) or grant CAP_IPC_LOCK. Fast-lane stacks are still "
                    + "pre-touched; the heap and the rest can be paged");
        }
    }

    @Override
    public boolean reservesFastCore() {
        return sched != null && !fast.isEmpty();
    }

    private static CpuPlacement inert(CpuPlan plan, BitSet visible, String why) {
        LOG.info("CPU plan not applied: {}. Lanes run on threads of their own but share every CPU.", why);
        return new CpuPlacement(plan, null, visible, new BitSet(), new BitSet(), why);
    }

    @Override
    public void enter(Lane lane) {
        enter(lane, 0);
    }

    @Override
    public void enterSafety(Lane lane) {
        enter(lane, 1);
    }

    private void enter(Lane lane, int priorityAbove) {
        if (sched == null) {
            return;
        }
        try {
            if (lane == Lane.FAST) {
                synchronized (sweepLock) {
                    fastTids.add(LinuxSched.currentTid());
                    sched.setAffinity(0, fast);
                }
                setTimerSlack();
                if (plan.lockMemory()) {
                    StackTouch.touch();
                }
                if (plan.fastPriority() > 0) {
                    setFifo(Math.min(99, plan.fastPriority() + priorityAbove));
                }
            } else {
                sched.setAffinity(0, other);
                if (plan.slowNice() != CpuPlan.KEEP_NICE) {
                    setNice();
                }
            }
        } catch (Throwable t) {
            note("could not place a " + lane + " lane thread (" + Thread.currentThread().getName() + "): "
                    + LinuxSched.explain(t));
        }
    }

    private void setTimerSlack() {
        try {
            sched.setTimerSlack(1);
            timerSlack = sched.timerSlack();
        } catch (Throwable t) {
            if (slackRefused.compareAndSet(false, true)) {
                note("timer slack not set for the fast lane: " + LinuxSched.explain(t)
                        + "; its parks may end up to 50 µs late (the kernel's default slack)");
            }
        }
    }

    private void setFifo(int priority) throws IOException {
        try {
            sched.setFifo(0, priority);
            if (priority == plan.fastPriority()) {
                fifoApplied = priority;
            }
        } catch (Throwable t) {
            if (fifoRefused.compareAndSet(false, true)) {
                String why = "SCHED_FIFO " + plan.fastPriority() + " refused for the fast lane: " + LinuxSched.explain(t)
                        + "; it runs at normal priority. To allow it, raise the rtprio limit (ulimit -r; "
                        + "/etc/security/limits.conf: <user> - rtprio " + plan.fastPriority()
                        + ") or grant CAP_SYS_NICE to the java binary";
                notes.add(why);
                LOG.warn(why);
            }
        }
    }

    private void setNice() throws IOException {
        try {
            sched.setNice(LinuxSched.currentTid(), plan.slowNice());
        } catch (Throwable t) {
            if (niceRefused.compareAndSet(false, true)) {
                note("nice " + plan.slowNice() + " refused for the slow lane: " + LinuxSched.explain(t)
                        + " (a negative nice needs CAP_SYS_NICE or a nice limit: ulimit -e)");
            }
        }
    }

    @Override
    public void exit(Lane lane) {
        if (sched != null && lane == Lane.FAST) {
            try {
                fastTids.remove(LinuxSched.currentTid());
            } catch (IOException e) {
                // /proc vanished: nothing to forget
            }
        }
    }

    @Override
    public void deviceOpened(Lane lane) {
        if (sched != null && lane == Lane.FAST) {
            sweep(other);
        }
    }

    /** Gives every thread of the process the mask it had before the plan. Called on close. */
    public void restore() {
        if (sched != null) {
            fastTids.clear();
            sweep(visible);
        }
    }

    private int sweep(BitSet mask) {
        synchronized (sweepLock) {
            return sweepLocked(mask);
        }
    }

    private int sweepLocked(BitSet mask) {
        int moved = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                int tid = Integer.parseInt(task.getFileName().toString());
                if (fastTids.contains(tid)) {
                    continue;
                }
                try {
                    sched.setAffinity(tid, mask);
                    moved++;
                } catch (Throwable t) {
                    // the thread ended meanwhile (ESRCH), or the kernel refused one of its own
                }
            }
        } catch (IOException | RuntimeException e) {
            note("could not list this process's threads in /proc/self/task: " + e);
        }
        return moved;
    }

    private void note(String text) {
        if (!notes.contains(text)) {
            notes.add(text);
            LOG.warn("CPU plan: {}", text);
        }
    }

    /**
     * What was done.
     *
     * @return the report
     */
    public CpuPlanReport report() {
        return new CpuPlanReport(sched != null, CpuSets.format(visible), CpuSets.format(fast), CpuSets.format(other),
                fifoApplied, plan.slowNice(), timerSlack, memoryLocked, new ArrayList<>(notes));
    }
}
