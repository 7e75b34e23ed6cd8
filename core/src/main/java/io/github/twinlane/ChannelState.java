package io.github.twinlane;

/**
 * The lifecycle of a {@link DeviceChannel}.
 *
 * <pre>
 *  OPENING ──► OPEN ◄──► RECONNECTING ──► FAILED
 *     │          │            │
 *     └──────────┴────────────┴──────────► CLOSED
 * </pre>
 */
public enum ChannelState {
    /** The driver is being opened for the first time. Commands are dropped and counted. */
    OPENING,
    /** The device is open: data flows in, commands flow out. */
    OPEN,
    /**
     * The device failed (unplugged, read error, stalled) and is being reopened with backoff.
     * Commands sent now are dropped and counted; they are never replayed late.
     */
    RECONNECTING,
    /** The channel was closed by the application or the runtime. Final. */
    CLOSED,
    /** Reopening gave up after the configured number of attempts. Final until closed. */
    FAILED;

    /**
     * Whether no further transition can happen except to {@link #CLOSED}.
     *
     * @return true for {@link #CLOSED} and {@link #FAILED}
     */
    public boolean isTerminal() {
        return this == CLOSED || this == FAILED;
    }
}
