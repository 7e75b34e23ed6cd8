package io.github.twinlane.serial;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a serial port before (and when) opening it, and says what to do: a missing port, missing
 * permission (the {@code dialout} group), a port held by another process, on Linux a USB-serial
 * adapter whose {@code latency_timer} delays every reply by up to 16 ms, and
 * ({@link #checkResolved}) a path the serial library resolved to another device than the one asked for.
 *
 * <p>Reads {@code /dev}, {@code /proc} and {@code /sys}; runs no command. Thread-safe.
 */
public final class SerialPreflight {

    /** How bad a finding is. */
    public enum Severity {
        /** The port cannot be used. */
        ERROR,
        /** The port works, but worse than it could. */
        WARN
    }

    /**
     * One finding.
     *
     * @param severity how bad
     * @param message what is wrong and what to do
     */
    public record Finding(Severity severity, String message) {
    }

    /** Whether the current user may read and write a path: replaceable in tests, where root may do anything. */
    @FunctionalInterface
    interface Access {
        boolean readWrite(Path device);
    }

    private final Path proc;
    private final Path sys;
    private final Access access;

    SerialPreflight(Path proc, Path sys, Access access) {
        this.proc = proc;
        this.sys = sys;
        this.access = access;
    }

    /**
     * Preflight on this machine's real /proc and /sys.
     *
     * @return the checker
     */
    public static SerialPreflight system() {
        return new SerialPreflight(Path.of("/proc"), Path.of("/sys"), d -> Files.isReadable(d) && Files.isWritable(d));
    }

    /**
     * Runs every check.
     *
     * @param config the port
     * @return the findings, empty when all is well
     */
    public List<Finding> check(SerialConfig config) {
        List<Finding> out = new ArrayList<>();
        if (config.path() == null) {
            return out; // found by USB identity at open
        }
        Path dev = Path.of(config.path());
        if (!Files.exists(dev)) {
            out.add(new Finding(Severity.ERROR, missing(dev) + ": " + FIND_IT));
            return out;
        }
        Path real;
        try {
            real = dev.toRealPath();
        } catch (IOException e) {
            real = dev;
        }
        if (!access.readWrite(real)) {
            String group = "dialout";
            try {
                group = Files.readAttributes(real, PosixFileAttributes.class).group().getName();
            } catch (IOException | UnsupportedOperationException e) {
                // keep the usual group
            }
            out.add(new Finding(Severity.ERROR, "permission denied on " + real + " (group " + group + "): add your "
                    + "user to that group (sudo usermod -aG " + group + " $USER), then log out and in again"));
        }
        // a pty's creator (socat, a terminal) always holds it: only real ttys can be "busy"
        String holders = real.startsWith("/dev/pts/") ? "" : holders(real);
        if (!holders.isEmpty()) {
            out.add(new Finding(Severity.ERROR, "port " + real + " is busy: it is open in " + holders
                    + ". Close that program (ModemManager probes new ttyACM ports: disable it or add a udev rule)"));
        }
        Path timer = sys.resolve("bus/usb-serial/devices").resolve(real.getFileName().toString()).resolve("latency_timer");
        if (Files.isRegularFile(timer)) {
            try {
                int ms = Integer.parseInt(Files.readString(timer, StandardCharsets.US_ASCII).trim());
                if (ms > 1) {
                    out.add(new Finding(Severity.WARN, "USB-serial adapter " + real.getFileName() + " has latency_timer "
                            + ms + " ms: replies arrive in bursts up to " + ms + " ms late. Set it to 1: echo 1 | sudo tee "
                            + timer + " (or a udev rule: ATTR{latency_timer}=\"1\")"));
                }
            } catch (IOException | NumberFormatException e) {
                // unreadable timer: nothing to say
            }
        }
        return out;
    }

    /**
     * Compares the device a serial library resolved a configured path to with the path itself: they
     * must be the same file. jSerialComm maps a path it cannot find to {@code /dev/<last element>} (a
     * missing {@code ports/tty3} becomes {@code /dev/tty3}, a console), so a port is opened only when
     * this finds nothing; called before the port is opened and again after. Reads the file system
     * only.
     *
     * @param config the port
     * @param resolved the device the library would open or opened (jSerialComm's system port path)
     * @return an ERROR naming the path asked for, the device resolved instead and what to do; empty when
     *     both are the same file, or when the port is configured by USB identity
     */
    public Optional<Finding> checkResolved(SerialConfig config, String resolved) {
        if (config.path() == null) {
            return Optional.empty();
        }
        Path asked = Path.of(config.path());
        Path askedReal = real(asked);
        Path got = null;
        try {
            got = real(Path.of(resolved));
        } catch (InvalidPathException e) {
            // not a path: not the same file
        }
        if (askedReal != null && askedReal.equals(got)) {
            return Optional.empty();
        }
        String instead = resolved + (got != null && !got.toString().equals(resolved) ? " (" + got + ")" : "");
        if (askedReal == null) {
            return Optional.of(new Finding(Severity.ERROR, missing(asked) + ", and jSerialComm would open " + instead
                    + " in its place: not opened. " + Character.toUpperCase(FIND_IT.charAt(0)) + FIND_IT.substring(1)));
        }
        return Optional.of(new Finding(Severity.ERROR, "port " + config.path() + " is " + askedReal + ", but jSerialComm "
                + "resolved it to " + instead + ", another device: not opened. If the link changed meanwhile, open it "
                + "again; otherwise configure the device's own path, " + askedReal));
    }

    private static final String FIND_IT = "check the cable and `dmesg | tail` for the name the kernel gave the "
            + "adapter, or configure it by UsbIdentity so that reconnects find it after renumbering";

    /** "port X does not exist", and where a dangling link pointed. */
    private static String missing(Path dev) {
        String s = "port " + dev + " does not exist";
        if (Files.isSymbolicLink(dev)) {
            try {
                s += " (a link to " + Files.readSymbolicLink(dev) + ", which is gone)";
            } catch (IOException e) {
                // removed meanwhile
            }
        }
        return s;
    }

    /** The real file a path names, or null if it does not exist (or cannot be resolved). */
    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The findings as one sentence, for an exception message.
     *
     * @param config the port
     * @return the text
     */
    public String explain(SerialConfig config) {
        List<Finding> f = check(config);
        if (f.isEmpty()) {
            return "no known cause (the port exists, is accessible and free): check the baud rate and the adapter";
        }
        StringBuilder sb = new StringBuilder();
        for (Finding x : f) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(x.message());
        }
        return sb.toString();
    }

    /** Other processes with the device open, from /proc/PID/fd, like fuser. */
    private String holders(Path real) {
        StringBuilder sb = new StringBuilder();
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path pid : pids) {
                if (Long.parseLong(pid.getFileName().toString()) == self) {
                    continue;
                }
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(pid.resolve("fd"))) {
                    for (Path fd : fds) {
                        try {
                            if (Files.readSymbolicLink(fd).equals(real)) {
                                String comm = Files.readString(pid.resolve("comm")).trim();
                                sb.append(sb.length() > 0 ? ", " : "").append("process ").append(pid.getFileName())
                                        .append(" (").append(comm).append(')');
                                break;
                            }
                        } catch (IOException e) {
                            // fd closed meanwhile
                        }
                    }
                } catch (IOException e) {
                    // no permission for that process, or it ended
                }
            }
        } catch (IOException e) {
            return "";
        }
        return sb.toString();
    }
}
