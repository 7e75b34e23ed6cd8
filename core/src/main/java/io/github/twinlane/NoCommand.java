package io.github.twinlane;

/** The command type of a device that takes no commands, such as a camera. */
public final class NoCommand {
    /** The message type: instances carry nothing. */
    public static final MessageType<NoCommand> TYPE = MessageType.of(NoCommand::new, (a, b) -> { });
}
