package io.github.twinlane.internal;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * A copy-on-write array for things a lane thread iterates on every pass (handlers, channels,
 * watched channels): {@link #get()} is one volatile read and iterating it allocates nothing, unlike a
 * {@code CopyOnWriteArrayList}'s iterator; adds and removes copy under a lock and are rare.
 *
 * <p>Threading: {@link #add} and {@link #remove} from any thread; {@link #get} from any thread,
 * returning a snapshot that never changes (never write into it).
 *
 * @param <E> the element type
 */
public final class SnapshotArray<E> {
    private final IntFunction<E[]> newArray;
    private volatile E[] items;

    /**
     * An empty array.
     *
     * @param newArray makes an array of the element type, for example {@code Handler[]::new}
     */
    public SnapshotArray(IntFunction<E[]> newArray) {
        this.newArray = newArray;
        this.items = newArray.apply(0);
    }

    /** The current elements; one volatile read, no allocation. */
    public E[] get() {
        return items;
    }

    /**
     * Appends {@code e}.
     *
     * @param e the element
     * @param unique when true, an element already present (by identity) is not added again
     * @return true if it was added
     */
    public synchronized boolean add(E e, boolean unique) {
        E[] now = items;
        if (unique) {
            for (E x : now) {
                if (x == e) {
                    return false;
                }
            }
        }
        E[] next = Arrays.copyOf(now, now.length + 1);
        next[now.length] = e;
        items = next;
        return true;
    }

    /**
     * Removes the first element identical to {@code e}.
     *
     * @param e the element
     * @return true if it was there
     */
    public synchronized boolean remove(E e) {
        E[] now = items;
        for (int i = 0; i < now.length; i++) {
            if (now[i] == e) {
                E[] next = newArray.apply(now.length - 1);
                System.arraycopy(now, 0, next, 0, i);
                System.arraycopy(now, i + 1, next, i, now.length - i - 1);
                items = next;
                return true;
            }
        }
        return false;
    }

    /** The number of elements now. */
    public int size() {
        return items.length;
    }
}
