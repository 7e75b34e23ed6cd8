package io.github.twinlane.bench;

import io.github.twinlane.MessageType;

/** A message that carries only when it was sent. */
public final class Stamp {
    /** The message type. */
    public static final MessageType<Stamp> TYPE = MessageType.of(Stamp::new, (a, b) -> b.sentNanos = a.sentNanos);
    /** When it was sent. */
    public long sentNanos;
}
