package io.github.twinlane.video;

/**
 * Receives a camera's compressed packets as they are read, before (and whether or not) they are
 * decoded.
 *
 * <p>Threading: called on the camera's reader thread, one packet at a time. It must not block and
 * should not allocate: it runs between the camera's reads. Copy the packet into a ring and return;
 * {@link io.github.twinlane.ConcurrentScheduler#tapPackets} does exactly that for you.
 */
@FunctionalInterface
public interface PacketListener {

    /**
     * One packet.
     *
     * @param packet valid only during the call
     */
    void onPacket(EncodedPacket packet);
}
