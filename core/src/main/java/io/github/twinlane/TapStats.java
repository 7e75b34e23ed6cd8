package io.github.twinlane;

/**
 * A tap's counters: {@code offered == delivered + dropped + pending} at every moment.
 *
 * @param name the tap's name
 * @param offered values the lane copied into the tap's ring (or found it full)
 * @param delivered values the tap's consumer was handed
 * @param dropped values lost because the consumer fell behind (by the tap's policy), or still queued at close
 * @param pending values in the ring now
 * @param consumerErrors exceptions the consumer threw (logged, counted; the tap keeps going)
 * @param capacity the ring's slots, as {@link TapConfig} and its {@code maxBytes} allowed
 * @param reservedBytes what the ring's preallocated messages take, heap and direct
 */
public record TapStats(String name, long offered, long delivered, long dropped, long pending, long consumerErrors,
                       int capacity, long reservedBytes) {
    @Override
    public String toString() {
        return "tap " + name + ": offered " + offered + " delivered " + delivered + " dropped " + dropped
                + " pending " + pending + (consumerErrors > 0 ? " consumer errors " + consumerErrors : "")
                + " | " + capacity + " slots, " + io.github.twinlane.internal.MemoryBudget.bytes(reservedBytes);
    }
}
