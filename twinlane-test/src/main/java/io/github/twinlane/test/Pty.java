package io.github.twinlane.test;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A kernel pseudo-terminal pair made in this JVM: a real tty for the driver under test, and its
 * master side for the test's peer. No socat, no other process.
 *
 * <p>The device path the driver opens, {@link #link()}, is a symlink to the pty's slave
 * ({@code /dev/pts/N}), so it stays the same across re-plugs. {@link #unplug()} closes the master:
 * the driver's next read on the slave fails, as with a USB adapter pulled out. {@link #replug()}
 * makes a new pair and points the same link at it.
 *
 * <pre>{@code
 * try (Pty pty = Pty.open(dir.resolve("ttyDrive"))) {
 *     DeviceChannel<...> drive = rt.open(config, SerialPortDriver.blocking(
 *             SerialConfig.path(pty.link().toString()).build(), codec));
 *     byte[] buf = new byte[256];
 *     int n = pty.read(buf, 0, buf.length, Duration.ofMillis(100));   // what the driver wrote
 *     pty.write(reply, 0, reply.length);                                // what the driver reads
 * }
 * }</pre>
 *
 * <p>The slave is put in raw mode (no echo, no line editing) before the link appears, and this
 * object keeps it open, so bytes written before the driver opens the port wait for it.
 *
 * <p>Threading: one thread may {@link #read} while another {@link #write}s; {@link #unplug},
 * {@link #replug} and {@link #close} may come from any thread and wait at most one read poll (20 ms).
 * Reads and writes never block longer than their timeout: the master is non-blocking, and a write
 * the tty has no room for returns a short count.
 */
public final class Pty implements AutoCloseable {
    private static final int O_RDWR = 2;
    private static final int O_NOCTTY = 0400;
    private static final int O_NONBLOCK = 04000;
    private static final int F_SETFL = 4;
    private static final short POLLIN = 1;
    private static final int TCSANOW = 0;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int POLL_SLICE_MS = 20;

    /** The few libc calls a pty needs; loaded once, on first use. */
    interface LibC extends Library {
        int posix_openpt(int flags);

        int grantpt(int fd);

        int unlockpt(int fd);

        int ptsname_r(int fd, byte[] buf, NativeLong len);

        int open(String path, int flags);

        int close(int fd);

        int fcntl(int fd, int cmd, int arg);

        NativeLong read(int fd, byte[] buf, NativeLong count);

        NativeLong write(int fd, byte[] buf, NativeLong count);

        int poll(Memory fds, NativeLong nfds, int timeout);

        int tcgetattr(int fd, byte[] termios);

        int tcsetattr(int fd, int when, byte[] termios);

        void cfmakeraw(byte[] termios);
    }

    private static final class Holder {
        static final LibC C = Native.load("c", LibC.class);
    }

    private final Path link;
    private final ReentrantReadWriteLock fdLock = new ReentrantReadWriteLock();
    private int master = -1;
    private int slave = -1;
    private Path slavePath;

    private Pty(Path link) {
        this.link = link.toAbsolutePath();
    }

    /**
     * Makes a pty pair and a symlink to its slave at {@code link} (replacing one that is there).
     *
     * @throws IOException when the kernel refuses a pty (the message names the call and errno)
     */
    public static Pty open(Path link) throws IOException {
        if (!Rig.isLinux()) {
            throw new IOException("kernel pty pairs are made through Linux's libc; this is " + System.getProperty("os.name"));
        }
        Pty pty = new Pty(link);
        pty.replug();
        return pty;
    }

    /** The stable device path to give the driver under test: a symlink to the current slave. */
    public Path link() {
        return link;
    }

    /** The slave device the link points to now, for example {@code /dev/pts/7}. */
    public synchronized Path slave() {
        return slavePath;
    }

    /** True between a (re)plug and the next {@link #unplug()} or {@link #close()}. */
    public boolean plugged() {
        fdLock.readLock().lock();
        try {
            return master >= 0;
        } finally {
            fdLock.readLock().unlock();
        }
    }

    /**
     * Reads what the driver wrote, waiting up to {@code timeout} for the first byte.
     *
     * @return bytes read, 0 when none came in time, -1 when unplugged or closed
     */
    public int read(byte[] buf, int off, int len, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] tmp = off == 0 ? buf : new byte[len];
        try (Memory pfd = new Memory(8)) {
            while (true) {
                fdLock.readLock().lock();
                try {
                    if (master < 0) {
                        return -1;
                    }
                    long left = deadline - System.nanoTime();
                    int wait = (int) Math.max(0, Math.min(POLL_SLICE_MS, left / 1_000_000));
                    pfd.setInt(0, master);
                    pfd.setShort(4, POLLIN);
                    pfd.setShort(6, (short) 0);
                    int ready = Holder.C.poll(pfd, new NativeLong(1), wait);
                    if (ready > 0 && (pfd.getShort(6) & POLLIN) != 0) {
                        long n = Holder.C.read(master, tmp, new NativeLong(len)).longValue();
                        if (n > 0) {
                            if (tmp != buf) {
                                System.arraycopy(tmp, 0, buf, off, (int) n);
                            }
                            return (int) n;
                        }
                        int errno = Native.getLastError();
                        if (n < 0 && errno != EAGAIN && errno != EINTR) {
                            return -1;
                        }
                    }
                    if (left <= 0) {
                        return 0;
                    }
                } finally {
                    fdLock.readLock().unlock();
                }
            }
        }
    }

    /**
     * Writes bytes for the driver to read. Never blocks: when the tty's input queue is full
     * (the driver stopped reading) the count is short, as bytes lost on a wire would be.
     *
     * @return bytes written (possibly fewer than {@code len}), -1 when unplugged or closed
     */
    public int write(byte[] buf, int off, int len) {
        byte[] src = off == 0 ? buf : java.util.Arrays.copyOfRange(buf, off, off + len);
        fdLock.readLock().lock();
        try {
            if (master < 0) {
                return -1;
            }
            long n = Holder.C.write(master, src, new NativeLong(len)).longValue();
            if (n < 0) {
                int errno = Native.getLastError();
                return errno == EAGAIN || errno == EINTR ? 0 : -1;
            }
            return (int) n;
        } finally {
            fdLock.readLock().unlock();
        }
    }

    /** Writes all of {@code buf}, retrying while the tty is full, for at most {@code timeout}; false when unplugged or out of time. */
    public boolean writeAll(byte[] buf, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int done = 0;
        while (done < buf.length) {
            int n = write(buf, done, buf.length - done);
            if (n < 0) {
                return false;
            }
            done += n;
            if (done < buf.length) {
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
            }
        }
        return true;
    }

    /** Writes a string as US-ASCII, waiting up to 5 s for room; false when unplugged. */
    public boolean writeAscii(String s) {
        return writeAll(s.getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(5));
    }

    /** Unplugs: closes the master (the driver's reads fail) and leaves the link dangling. */
    public void unplug() {
        fdLock.writeLock().lock();
        try {
            if (master >= 0) {
                Holder.C.close(master);
                master = -1;
            }
            if (slave >= 0) {
                Holder.C.close(slave);
                slave = -1;
            }
        } finally {
            fdLock.writeLock().unlock();
        }
    }

    /**
     * Plugs in a new pair behind the same link (unplugging the current one first).
     *
     * @throws IOException when the kernel refuses a pty or the link cannot be written
     */
    public synchronized void replug() throws IOException {
        unplug();
        LibC c = Holder.C;
        int m = c.posix_openpt(O_RDWR | O_NOCTTY);
        if (m < 0) {
            throw new IOException("posix_openpt failed, errno " + Native.getLastError()
                    + ": is /dev/ptmx available (a container without devpts)?");
        }
        byte[] name = new byte[128];
        if (c.grantpt(m) != 0 || c.unlockpt(m) != 0 || c.ptsname_r(m, name, new NativeLong(name.length)) != 0) {
            int errno = Native.getLastError();
            c.close(m);
            throw new IOException("grantpt/unlockpt/ptsname_r failed, errno " + errno);
        }
        int end = 0;
        while (end < name.length && name[end] != 0) {
            end++;
        }
        Path path = Path.of(new String(name, 0, end, StandardCharsets.US_ASCII));
        int s = c.open(path.toString(), O_RDWR | O_NOCTTY);
        if (s < 0) {
            int errno = Native.getLastError();
            c.close(m);
            throw new IOException("could not open " + path + ", errno " + errno);
        }
        byte[] termios = new byte[256]; // struct termios is 60 bytes on Linux; room to spare
        if (c.tcgetattr(s, termios) == 0) {
            c.cfmakeraw(termios);
            c.tcsetattr(s, TCSANOW, termios);
        }
        c.fcntl(m, F_SETFL, O_RDWR | O_NONBLOCK);
        Files.createDirectories(link.getParent());
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, path);
        fdLock.writeLock().lock();
        try {
            master = m;
            slave = s;
            slavePath = path;
        } finally {
            fdLock.writeLock().unlock();
        }
    }

    /** Unplugs and removes the link. */
    @Override
    public void close() {
        unplug();
        try {
            Files.deleteIfExists(link);
        } catch (IOException e) {
            // a temporary directory's cleanup removes it
        }
    }

    @Override
    public String toString() {
        return "Pty[" + link + " -> " + slave() + (plugged() ? "" : ", unplugged") + "]";
    }
}
