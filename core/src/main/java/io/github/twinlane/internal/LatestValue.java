package io.github.twinlane.internal;

import io.github.twinlane.MessageType;
import java.util.concurrent.locks.StampedLock;

/**
 * The newest value of a stream, readable by any thread at any time without blocking its writer
 * for long: one writer copies in under a write lock; readers copy out under an optimistic read
 * (a seqlock) and fall back to a read lock only if a write raced them.
 *
 * <p>Allocates nothing after construction (an uncontended {@link StampedLock} does not allocate).
 *
 * @param <E> the message type
 */
public final class LatestValue<E> {
    private final MessageType<E> type;
    private final E value;
    private final StampedLock lock = new StampedLock();
    private long stampNanos;
    private long version;

    /**
     * Creates an empty slot.
     *
     * @param type the message type
     */
    public LatestValue(MessageType<E> type) {
        this.type = type;
        this.value = type.newInstance();
    }

    /**
     * Replaces the value. One writer thread.
     *
     * @param src the new value, copied
     * @param nanos its timestamp
     */
    public void set(E src, long nanos) {
        long stamp = lock.writeLock();
        try {
            type.copy(src, value);
            stampNanos = nanos;
            version++;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /**
     * Copies the newest value out. Any thread.
     *
     * @param into caller-owned storage
     * @return the value's timestamp, or -1 (and {@code into} untouched) if nothing was set yet
     */
    public long get(E into) {
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            try {
                long v = version;
                long t = stampNanos;
                if (v != 0) {
                    type.copy(value, into);
                }
                if (lock.validate(stamp)) {
                    return v == 0 ? -1 : t;
                }
            } catch (RuntimeException tornRead) {
                // a concurrent write tore the copy; redo it under the read lock
            }
        }
        stamp = lock.readLock();
        try {
            if (version == 0) {
                return -1;
            }
            type.copy(value, into);
            return stampNanos;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * The newest value's timestamp.
     *
     * @return the timestamp, or -1 if nothing was set yet
     */
    public long stampNanos() {
        long stamp = lock.tryOptimisticRead();
        long v = version;
        long t = stampNanos;
        if (!lock.validate(stamp)) {
            stamp = lock.readLock();
            try {
                v = version;
                t = stampNanos;
            } finally {
                lock.unlockRead(stamp);
            }
        }
        return v == 0 ? -1 : t;
    }

    /**
     * How many values were set.
     *
     * @return the count
     */
    public long version() {
        long stamp = lock.tryOptimisticRead();
        long v = version;
        if (lock.validate(stamp)) {
            return v;
        }
        stamp = lock.readLock();
        try {
            return version;
        } finally {
            lock.unlockRead(stamp);
        }
    }
}
