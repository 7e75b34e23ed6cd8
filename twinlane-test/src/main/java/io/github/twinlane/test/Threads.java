package io.github.twinlane.test;

import java.lang.management.ManagementFactory;
import java.util.List;

/** The threads twinlane started, and what they allocated: for leak and allocation tests. */
public final class Threads {
    private Threads() {
    }

    /** Live threads whose names start with {@code twinlane-}: every thread the runtime starts is named so. */
    public static List<Thread> twinlane() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("twinlane-") && t.isAlive()).toList();
    }

    /**
     * Bytes the given threads have allocated on the heap so far, from the JVM's per-thread counters
     * (HotSpot's {@code com.sun.management.ThreadMXBean}).
     *
     * @throws AssertionError when this JVM does not count allocation per thread
     */
    public static long allocatedBytes(List<Thread> threads) {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)
                || !mx.isThreadAllocatedMemorySupported() || !mx.isThreadAllocatedMemoryEnabled()) {
            throw new AssertionError("this JVM does not report per-thread allocation (HotSpot does)");
        }
        long sum = 0;
        for (Thread t : threads) {
            sum += mx.getThreadAllocatedBytes(t.getId());
        }
        return sum;
    }
}
