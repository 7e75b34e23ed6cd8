package io.github.twinlane.internal;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * What a runtime's channels and taps hold in preallocated messages, on the heap and in direct memory, and
 * the check made before each of them allocates: a reservation that would pass the JVM's direct-memory
 * limit, half its maximum heap (the rest is the application's, and a full heap is a GC pause of the motor
 * loop), or the runtime's optional budget is refused with an error that names the owner, what it would
 * take, the limit and the settings to change, instead of an {@link OutOfMemoryError} later.
 *
 * <p>Threading: any thread. {@link #reserve} and {@link Reservation#close} are called when a channel opens
 * or closes and a tap is made or closed, never per message; they hold the budget's monitor only to check and
 * count. A reservation that waits for the collector (see {@link #reserve}) waits without it, so a
 * reservation's getters, {@link #heapBytes()}, {@link #directBytes()} and closes never wait behind it.
 */
public final class MemoryBudget {
    private final long budgetBytes;
    private final long maxHeapBytes;
    private final LongSupplier directLimit;
    private final LongSupplier directUsed;
    private final int collectAttempts; // 9 for the JVM's own counts (as the JDK's allocation), 0 in tests
    private long heap; // guarded by this
    private long direct; // guarded by this

    /**
     * A budget with the JVM's limits.
     *
     * @param budgetBytes the runtime's own limit on heap plus direct reservations, 0 for none
     */
    public MemoryBudget(long budgetBytes) {
        this(budgetBytes, Runtime.getRuntime().maxMemory(), MemoryBudget::jvmDirectLimit, MemoryBudget::jvmDirectUsed, 9);
    }

    /**
     * A budget with given limits (tests).
     *
     * @param budgetBytes the runtime's own limit, 0 for none
     * @param maxHeapBytes the maximum heap; reservations may take half of it
     * @param directLimit the direct-memory limit
     * @param directUsed the direct memory in use now, by anyone in the process
     */
    MemoryBudget(long budgetBytes, long maxHeapBytes, LongSupplier directLimit, LongSupplier directUsed) {
        this(budgetBytes, maxHeapBytes, directLimit, directUsed, 0);
    }

    /**
     * A budget with given limits that, like the JVM's, lets the collector run before it refuses (tests).
     *
     * @param collectAttempts how many times it waits for freed buffers (9 for the JVM's, about 0.5 s)
     */
    MemoryBudget(long budgetBytes, long maxHeapBytes, LongSupplier directLimit, LongSupplier directUsed,
                 int collectAttempts) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("memoryBudget must be 0 (none) or more bytes, was " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
        this.maxHeapBytes = maxHeapBytes;
        this.directLimit = directLimit;
        this.directUsed = directUsed;
        this.collectAttempts = collectAttempts;
    }

    /** One owner's reservation, given back once with {@link #close()}. */
    public final class Reservation implements AutoCloseable {
        private final long heapBytes;
        private final long directBytes;
        private volatile boolean released; // written under the budget's monitor, read without it

        private Reservation(long heapBytes, long directBytes) {
            this.heapBytes = heapBytes;
            this.directBytes = directBytes;
        }

        /** @return heap bytes reserved, 0 once given back */
        public long heapBytes() {
            return released ? 0 : heapBytes;
        }

        /** @return direct bytes reserved, 0 once given back */
        public long directBytes() {
            return released ? 0 : directBytes;
        }

        /** Gives the reservation back; later calls do nothing. */
        @Override
        public void close() {
            synchronized (MemoryBudget.this) {
                if (!released) {
                    released = true;
                    heap -= heapBytes;
                    direct -= directBytes;
                }
            }
        }
    }

    /**
     * Reserves memory about to be allocated, or refuses it.
     *
     * @param owner who reserves, as the error should name it, e.g. {@code "channel 'cam0'"}
     * @param what what the bytes are, e.g. {@code "2 rings of 4 slots (14 messages of 2.6 MiB)"}
     * @param heapBytes heap bytes it will allocate
     * @param directBytes direct bytes it will allocate
     * @param fix what to change to need less, e.g. {@code "lower ChannelConfig capacity"}
     * @return the reservation, to close when the memory is no longer held
     * @throws IllegalStateException if a limit would be passed; nothing is reserved then
     */
    public Reservation reserve(String owner, String what, long heapBytes, long directBytes, String fix) {
        if (heapBytes < 0 || directBytes < 0) {
            throw new IllegalArgumentException(owner + ": a message type reported negative bytes (heap " + heapBytes
                    + ", direct " + directBytes + "): MessageType.heapBytes and directBytes must be 0 or more");
        }
        if (directBytes > 0) {
            long limit = directLimit.getAsLong();
            // without the monitor: stats, summaries and closing reservations never wait behind the collector;
            // and only when freeing garbage could help (what twinlane's own reservations hold is live)
            if (directUsed.getAsLong() + directBytes > limit && directBytes() + directBytes <= limit) {
                awaitCollectedBuffers(limit, directBytes);
            }
        }
        synchronized (this) {
            return reserveChecked(owner, what, heapBytes, directBytes, fix);
        }
    }

    private Reservation reserveChecked(String owner, String what, long heapBytes, long directBytes, String fix) {
        if (directBytes > 0) {
            long limit = directLimit.getAsLong();
            long used = directUsed.getAsLong();
            if (used + directBytes > limit) {
                throw new IllegalStateException(owner + " would reserve " + bytes(directBytes) + " of direct memory for "
                        + what + ", but only " + bytes(Math.max(0, limit - used)) + " of the JVM's direct-memory limit of "
                        + bytes(limit) + " are free: " + fix + ", or raise -XX:MaxDirectMemorySize");
            }
        }
        long heapCap = maxHeapBytes / 2;
        if (heapBytes > 0 && heap + heapBytes > heapCap) {
            throw new IllegalStateException(owner + " would reserve " + bytes(heapBytes) + " of heap for " + what
                    + ", bringing what twinlane's channels and taps hold to " + bytes(heap + heapBytes)
                    + ", more than half the maximum heap (" + bytes(heapCap) + " of " + bytes(maxHeapBytes)
                    + "): " + fix + ", or raise -Xmx");
        }
        long total = heapBytes + directBytes;
        if (budgetBytes > 0 && heap + direct + total > budgetBytes) {
            throw new IllegalStateException(owner + " would reserve " + bytes(total) + " for " + what
                    + ", bringing what twinlane's channels and taps hold to " + bytes(heap + direct + total)
                    + ", more than the runtime's memory budget of " + bytes(budgetBytes) + ": " + fix
                    + ", or raise TwinlaneRuntime.Builder.memoryBudget");
        }
        heap += heapBytes;
        direct += directBytes;
        return new Reservation(heapBytes, directBytes);
    }

    /**
     * Gives buffers no longer referenced their chance to be freed before a check: the JDK counts a buffer
     * as used until the collector finds it unreachable, so a channel closed a moment ago (a camera
     * reopened, a second runtime in the same JVM) still counts. While {@code bytes} would not fit, this does
     * what the JDK's own allocation does before it throws: asks for a collection once and waits for the
     * buffers' cleaners, {@code collectAttempts} times, about half a second in all. A channel's open pays
     * it, never a message; the caller holds no monitor.
     */
    private void awaitCollectedBuffers(long limit, long bytes) {
        long used = directUsed.getAsLong();
        long sleepMillis = 1;
        for (int attempt = 0; used + bytes > limit && attempt < collectAttempts; attempt++) {
            if (attempt == 0) {
                System.gc(); // the JDK's Bits.reserveMemory does the same before its OutOfMemoryError
            }
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break; // the check goes on with what is free now
            }
            sleepMillis *= 2;
            used = directUsed.getAsLong();
        }
    }

    /** @return heap bytes reserved now, by every channel and tap */
    public synchronized long heapBytes() {
        return heap;
    }

    /** @return direct bytes reserved now, by every channel and tap */
    public synchronized long directBytes() {
        return direct;
    }

    /** @return the runtime's own limit, 0 for none */
    public long budgetBytes() {
        return budgetBytes;
    }

    /**
     * Bytes for people: {@code 512 B}, {@code 2.6 MiB}.
     *
     * @param n bytes
     * @return the text
     */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    /** The JVM's direct-memory limit: {@code -XX:MaxDirectMemorySize}, or the maximum heap when it is not set. */
    static long jvmDirectLimit() {
        try {
            com.sun.management.HotSpotDiagnosticMXBean hs =
                    ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            long set = Long.parseLong(hs.getVMOption("MaxDirectMemorySize").getValue());
            if (set > 0) {
                return set;
            }
        } catch (RuntimeException | LinkageError e) {
            // not HotSpot, or no such option: the JDK's own default follows
        }
        return Runtime.getRuntime().maxMemory();
    }

    /** Direct memory the process's buffers take now (the JDK's own count, which its limit is checked against). */
    static long jvmDirectUsed() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if ("direct".equals(pool.getName())) {
                return pool.getMemoryUsed();
            }
        }
        return 0;
    }
}
