package io.github.twinlane.record.mcap;

import java.util.Arrays;

/** One channel's message index in the open chunk: (log time, offset) pairs, grown by doubling, reused. */
final class IndexList {
    private long[] times = new long[64];
    private long[] offsets = new long[64];
    private int size;
    private boolean ordered = true;

    void add(long time, long offset) {
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            offsets = Arrays.copyOf(offsets, size * 2);
        }
        if (size > 0 && Long.compareUnsigned(time, times[size - 1]) < 0) {
            ordered = false;
        }
        times[size] = time;
        offsets[size] = offset;
        size++;
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
        ordered = true;
    }

    /** Writes the entries as a Message Index's array, sorted by log time (readers binary-search it). */
    void writeTo(LeBuffer b) {
        b.u32((long) size * 16);
        if (ordered) {
            for (int i = 0; i < size; i++) {
                b.u64(times[i]).u64(offsets[i]);
            }
            return;
        }
        Integer[] order = new Integer[size]; // rare: messages logged out of order within a chunk
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Long.compareUnsigned(times[x], times[y]));
        for (int i : order) {
            b.u64(times[i]).u64(offsets[i]);
        }
    }
}
