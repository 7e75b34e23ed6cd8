package io.github.twinlane;

/** The two lanes a channel can run on. */
public enum Lane {
    /**
     * The parallel lane: dedicated platform threads per channel, Disruptor rings in both
     * directions. For motor drives, encoders and IMUs: small messages at 1 kHz or more.
     */
    FAST,
    /**
     * The concurrent lane: many channels taking turns on a few loop threads, and a reader thread
     * per device whose reads block in native code. For cameras and other heavy, slow devices.
     */
    SLOW
}
