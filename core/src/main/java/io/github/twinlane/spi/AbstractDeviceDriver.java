package io.github.twinlane.spi;

import io.github.twinlane.MessageType;
import java.util.Objects;

/**
 * A base for drivers that holds the four constant facts every driver states (its description,
 * message types and read mode), so a driver only writes open, read, write and close.
 *
 * @param <C> the command type
 * @param <T> the data type
 */
public abstract class AbstractDeviceDriver<C, T> implements DeviceDriver<C, T> {
    private final String description;
    private final MessageType<C> commandType;
    private final MessageType<T> dataType;
    private final ReadMode readMode;

    /**
     * Creates the base.
     *
     * @param description for logs and thread names
     * @param commandType the commands the device accepts
     * @param dataType the data it produces
     * @param readMode whether its reads block in native code
     */
    protected AbstractDeviceDriver(String description, MessageType<C> commandType, MessageType<T> dataType,
                                   ReadMode readMode) {
        this.description = Objects.requireNonNull(description, "description");
        this.commandType = Objects.requireNonNull(commandType, "commandType");
        this.dataType = Objects.requireNonNull(dataType, "dataType");
        this.readMode = Objects.requireNonNull(readMode, "readMode");
    }

    @Override
    public final String describe() {
        return description;
    }

    @Override
    public final MessageType<C> commandType() {
        return commandType;
    }

    @Override
    public final MessageType<T> dataType() {
        return dataType;
    }

    @Override
    public final ReadMode readMode() {
        return readMode;
    }
}
