package io.github.twinlane.serial.modbus;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;

/**
 * Whose turn it is on a half-duplex Modbus line: one transaction (a request and its response) at a
 * time, a write that is waiting goes before the next poll, and closing the line sends every waiter
 * away at once.
 *
 * <p>Each close starts a new generation: a write that began waiting before a close throws even if
 * the line has been opened again by the time it wakes, so nothing from before a loss is written
 * after the reopen. {@link #open} waits until a transaction from before the close has ended (it fails
 * fast against the closed port), so it cannot run on the new port either.
 *
 * <p>Threading: any thread; a monitor, so an uncontended turn costs one lock and allocates nothing.
 */
final class LineTurns {
    private boolean open;
    private boolean busy;
    private int writesWaiting;
    private long generation;
    private volatile boolean closed = true;

    /**
     * Lets turns be taken again: after the port is open.
     */
    synchronized void open() {
        open = true;
        closed = false;
    }

    /**
     * Waits, before the port is opened again, until no transaction holds the line.
     *
     * @param boundNanos the longest wait
     * @param line the line, for the message
     * @throws IOException if a transaction still holds it after the bound, or the thread is interrupted
     */
    synchronized void awaitIdle(long boundNanos, String line) throws IOException {
        long deadline = System.nanoTime() + boundNanos;
        while (busy) {
            if (!waitUntil(deadline)) {
                throw new IOException(line + " is still held by a transaction from before it was closed: not reopened yet");
            }
        }
    }

    /** Sends every waiting turn away (they throw) and refuses new ones until {@link #open}. Idempotent. */
    synchronized void close() {
        open = false;
        closed = true;
        generation++;
        notifyAll();
    }

    /** @return whether the line is closed; a volatile read, for a reader waiting for its deadline */
    boolean closed() {
        return closed;
    }

    /**
     * The poll's turn: waits while a transaction holds the line or a write waits for it. A waiting
     * write can hold it for one write transaction, which is bounded by the response timeout.
     *
     * @return false if the line is closed
     * @throws InterruptedIOException if the thread is interrupted (it stays interrupted)
     */
    synchronized boolean takeForPoll() throws InterruptedIOException {
        while (open && (busy || writesWaiting > 0)) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for the line");
            }
        }
        if (!open) {
            return false;
        }
        busy = true;
        return true;
    }

    /**
     * A write's turn: waits for the transaction in progress, if any, for at most {@code boundNanos}.
     *
     * @param boundNanos the longest wait
     * @param line the line, for the message
     * @throws IOException if the line is closed (before or while waiting), still busy after the bound,
     *     or the thread is interrupted
     */
    synchronized void takeForWrite(long boundNanos, String line) throws IOException {
        if (!open) {
            throw new IOException(line + " is closed: the write was not sent");
        }
        long mine = generation;
        long deadline = System.nanoTime() + boundNanos;
        writesWaiting++;
        try {
            while (busy && generation == mine) {
                if (!waitUntil(deadline)) {
                    throw new IOException(line + " stayed busy longer than a transaction can take (an adapter stuck in a "
                            + "write?): the write was not sent");
                }
            }
            if (generation != mine || !open) {
                throw new IOException(line + " was closed while the write waited for its turn: the write was not sent");
            }
            busy = true;
        } finally {
            writesWaiting--;
            if (writesWaiting == 0 && !busy) {
                notifyAll(); // a poll that gave way may go
            }
        }
    }

    /** Ends a turn taken by {@link #takeForPoll} or {@link #takeForWrite}. */
    synchronized void release() {
        busy = false;
        notifyAll();
    }

    /** Waits on this monitor until notified or the deadline; false once the deadline has passed. */
    private boolean waitUntil(long deadline) throws InterruptedIOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        try {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the line");
        }
        return true;
    }
}
