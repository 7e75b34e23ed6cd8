package io.github.twinlane.record;

import io.github.twinlane.SendResult;

/**
 * One output of a recorded or replayed control cycle: what the cycle sends to a channel. Live it is
 * the channel's {@code send}, recorded; in replay the command is captured and compared with the
 * recorded one.
 *
 * @param <C> the command type
 */
@FunctionalInterface
public interface LoopOutput<C> {
    /**
     * Sends a command, as the channel's {@link io.github.twinlane.DeviceChannel#send}.
     *
     * @param command read during the call only
     * @return the channel's outcome live; {@link SendResult#ACCEPTED} in replay
     */
    SendResult send(C command);
}
