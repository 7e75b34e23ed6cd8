package io.github.twinlane.spi;

/**
 * What a driver may ask about its channel's consumer side: whether a consumer is waiting for the
 * next value right now (everything read so far has been handled or dropped). A camera whose frames
 * can be decoded independently uses it to decode only the frames someone will take.
 *
 * <p>Threading: any thread; never blocks; allocates nothing.
 */
@FunctionalInterface
public interface Demand {
    /**
     * Whether a consumer waits now.
     *
     * @return true if nothing the driver produced is still queued or being handled
     */
    boolean consumerWaiting();
}
