package io.github.twinlane;

/** What happened to one value handed to a channel. Every outcome other than accepted is counted. */
public enum SendResult {
    /** Queued for the consumer (under {@link BackpressurePolicy#LATEST} it may still be conflated). */
    ACCEPTED,
    /** Refused because the queue was full ({@link BackpressurePolicy#DROP_NEWEST}). */
    DROPPED_FULL,
    /** Refused after waiting the block timeout for space ({@link BackpressurePolicy#BLOCK}). */
    TIMED_OUT,
    /** Refused because the device is not open (opening or reconnecting): stale commands are never replayed. */
    DROPPED_NOT_OPEN,
    /** Refused because the channel is closed or failed. */
    REJECTED_CLOSED,
    /** Refused because an emergency stop is latched; release it first. */
    REJECTED_EMERGENCY_STOP,
    /**
     * Refused because the value itself is invalid: null, or its type's copy threw (a frame over the codec's
     * limit). Logged with the reason; fix the caller.
     */
    REJECTED_INVALID;

    /**
     * Whether the value was queued.
     *
     * @return true only for {@link #ACCEPTED}
     */
    public boolean accepted() {
        return this == ACCEPTED;
    }
}
