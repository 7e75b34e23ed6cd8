package io.github.twinlane.video;

import io.github.twinlane.Subscription;

/**
 * A device that can hand out its compressed packets as delivered, so recorders and viewers store or
 * show a camera's own JPEG or H.264 without decoding it (and without re-encoding decoded pixels).
 * Implemented by camera drivers; observed through
 * {@link io.github.twinlane.ConcurrentScheduler#tapPackets}.
 */
public interface PacketSource {

    /** @return the source's name, for thread names and logs */
    String describe();

    /**
     * Adds a listener for every packet read from now on. With no listener, a source copies nothing.
     *
     * @param listener called on the source's reader thread; see {@link PacketListener}
     * @return closing it removes the listener (a call in progress completes)
     */
    Subscription onPacket(PacketListener listener);
}
