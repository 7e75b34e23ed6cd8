package io.github.twinlane.record;

import io.github.twinlane.MessageType;

/**
 * Something that happened to a channel, as a recording stores it on {@code /twinlane/events}: a state
 * change ({@code kind} "state", with {@code from} and {@code to}) or a safety event ({@code kind}
 * "EMERGENCY_STOP", "EMERGENCY_STOP_RELEASED" or "WATCHDOG_TRIPPED"). Mutable and reusable.
 */
public final class ChannelEvent {
    /** The message type. */
    public static final MessageType<ChannelEvent> TYPE = MessageType.of(ChannelEvent::new, ChannelEvent::copyTo);

    /** The channel's name. */
    public String channel = "";
    /** "state", or the safety event's name. */
    public String kind = "";
    /** The state before a state change; "" otherwise. */
    public String from = "";
    /** The state after a state change; "" otherwise. */
    public String to = "";
    /** Why, in words; "" when nothing was said. */
    public String detail = "";

    /**
     * Copies into another event.
     *
     * @param into the destination
     */
    public void copyTo(ChannelEvent into) {
        into.channel = channel;
        into.kind = kind;
        into.from = from;
        into.to = to;
        into.detail = detail;
    }

    @Override
    public String toString() {
        return channel + " " + kind + (from.isEmpty() ? "" : " " + from + " -> " + to) + (detail.isEmpty() ? "" : ": " + detail);
    }
}
