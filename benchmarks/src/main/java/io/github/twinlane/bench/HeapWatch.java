package io.github.twinlane.bench;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * A trial's memory high-water marks: the heap (the sum of the heap pools' peaks since the watch was
 * made, which the collector tracks between samples) and direct buffers (sampled). Not thread-safe: one
 * trial's thread makes it and samples it.
 */
final class HeapWatch {
    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP && p.isValid()).toList();
    private final BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(b -> b.getName().equals("direct")).findFirst().orElse(null);
    private long directPeak;

    /** Starts the watch: the heap pools' peaks are reset to what they hold now. */
    HeapWatch() {
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        sample();
    }

    /** Samples what direct buffers hold now. */
    void sample() {
        if (direct != null) {
            directPeak = Math.max(directPeak, direct.getMemoryUsed());
        }
    }

    /** @return the heap's high-water mark since the watch started, in bytes */
    long heapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean p : heapPools) {
            sum += p.getPeakUsage().getUsed();
        }
        return sum;
    }

    /** @return the largest amount of direct buffer memory a sample saw, in bytes */
    long directPeak() {
        sample();
        return directPeak;
    }
}
