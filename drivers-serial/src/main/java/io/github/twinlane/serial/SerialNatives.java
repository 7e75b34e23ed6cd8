package io.github.twinlane.serial;

import com.fazecast.jSerialComm.SerialPort;

/**
 * Whether jSerialComm's native library can load on this machine, in Netty's style: ask
 * {@link #isAvailable()}, or call {@link #ensureAvailability()} to fail with the reason. The check
 * runs once, on first use, never in a static initialiser of ours.
 */
public final class SerialNatives {
    private SerialNatives() {
    }

    private static final class Holder {
        static final Throwable CAUSE = probe();

        private static Throwable probe() {
            try {
                SerialPort.getCommPorts(); // loads and exercises the native library
                return null;
            } catch (Throwable t) {
                return t;
            }
        }
    }

    /**
     * Whether serial ports can be used.
     *
     * @return true if jSerialComm's native library loaded
     */
    public static boolean isAvailable() {
        return Holder.CAUSE == null;
    }

    /**
     * Why serial ports cannot be used.
     *
     * @return the load failure, or null when available
     */
    public static Throwable unavailabilityCause() {
        return Holder.CAUSE;
    }

    /**
     * Fails unless serial ports can be used.
     *
     * @throws IllegalStateException naming the cause and what to check
     */
    public static void ensureAvailability() {
        if (Holder.CAUSE != null) {
            throw new IllegalStateException("jSerialComm's native library did not load (" + Holder.CAUSE
                    + "). It unpacks into java.io.tmpdir (or ~/.jSerialComm): check that the directory is writable "
                    + "and not mounted noexec.", Holder.CAUSE);
        }
    }

    /**
     * The jSerialComm version in use, for diagnostics.
     *
     * @return the version text
     */
    public static String version() {
        return SerialPort.getVersion();
    }
}
