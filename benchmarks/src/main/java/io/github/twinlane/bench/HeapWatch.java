package io.github.twinlane.bench;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * A trial's memory high-water marks, sampled (every 100 ms by the trial's loop): the heap in use (live and
 * garbage not yet collected: what the collector has to deal with) and direct buffers. Not thread-safe:
 * one trial's thread makes it and samples it.
 */
final class HeapWatch {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(b -> b.getName().equals("direct")).findFirst().orElse(null);
    private long heapPeak;
    private long directPeak;

    HeapWatch() {
        sample();
    }

    /** Samples the heap and direct buffers in use now. */
    void sample() {
        heapPeak = Math.max(heapPeak, memory.getHeapMemoryUsage().getUsed());
        if (direct != null) {
            directPeak = Math.max(directPeak, direct.getMemoryUsed());
        }
    }

    /** @return the most heap in use a sample saw, in bytes */
    long heapPeak() {
        sample();
        return heapPeak;
    }

    /** @return the most direct buffer memory a sample saw, in bytes */
    long directPeak() {
        sample();
        return directPeak;
    }
}
