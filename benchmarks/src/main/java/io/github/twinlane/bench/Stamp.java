package io.github.twinlane.bench;

import io.github.twinlane.MessageType;

/** A message that carries only when it was sent. */
final class Stamp {
    static final MessageType<Stamp> TYPE = MessageType.of(Stamp::new, (a, b) -> b.sentNanos = a.sentNanos);
    long sentNanos;
}
