package io.github.twinlane.camera;

import java.io.IOException;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.javacpp.Pointer;

/**
 * FFmpeg's interrupt callback for one driver (a JavaCPP function pointer: its own {@code close()}
 * would free the native callback, so aborting is {@link #abort()}): aborts a blocking FFmpeg call when the driver closes
 * or the call passes its deadline, and turns the failed call's code into a message that says which
 * of the three happened.
 *
 * <p>Threading: {@link #arm} on the reader thread before each blocking call; {@link #abort()} from
 * any thread; {@link #call} on whatever thread FFmpeg polls it from.
 */
final class FfmpegInterrupt extends AVIOInterruptCB.Callback_Pointer {
    private volatile boolean closed;
    private volatile long deadline;
    private volatile boolean timedOut;

    /** Arms the deadline for the next blocking call. */
    void arm(long timeoutNanos) {
        timedOut = false;
        deadline = System.nanoTime() + timeoutNanos;
    }

    /** Aborts the current and every later call until {@link #allow()}. */
    void abort() {
        closed = true;
    }

    /** Calls may block again (the driver reopens). */
    void allow() {
        closed = false;
    }

    boolean aborted() {
        return closed;
    }

    @Override
    public int call(Pointer opaque) {
        if (closed) {
            return 1;
        }
        if (System.nanoTime() - deadline > 0) {
            timedOut = true;
            return 1;
        }
        return 0;
    }

    /**
     * The error for a failed FFmpeg call: closed, stalled past the timeout, or FFmpeg's own reason.
     *
     * @param what the operation ("open", "read")
     * @param url the source
     * @param ret FFmpeg's return code
     * @param timeoutMillis the I/O timeout, for the stall message
     * @return the exception to throw
     */
    IOException failure(String what, String url, int ret, long timeoutMillis) {
        if (closed) {
            return new IOException("closed while trying to " + what + " " + url);
        }
        if (timedOut) {
            return new IOException("could not " + what + " " + url + " within " + timeoutMillis
                    + " ms: the stream stalled (camera unplugged or network gone)");
        }
        return new IOException("could not " + what + " " + url + ": " + FfmpegErrors.describe(ret));
    }
}
