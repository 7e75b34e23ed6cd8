package io.github.twinlane;

/** A handler's registration with a channel; closing it stops deliveries to that handler. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
    /** Unsubscribes. Idempotent; callable from any thread; a delivery in progress completes. */
    @Override
    void close();
}
