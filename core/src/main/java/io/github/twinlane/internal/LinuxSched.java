package io.github.twinlane.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * The few Linux scheduling calls the CPU plan needs, through JNA (no shell commands, no native code
 * of ours). Every method reports failure as an exception whose message carries errno's meaning.
 */
final class LinuxSched {
    private static final int SCHED_OTHER = 0;
    private static final int SCHED_FIFO = 1;
    private static final int PRIO_PROCESS = 0;
    private static final int PR_SET_TIMERSLACK = 29;
    private static final int PR_GET_TIMERSLACK = 30;
    private static final int MCL_CURRENT = 1;
    private static final int MCL_FUTURE = 2;
    private static final int RLIMIT_MEMLOCK = 8;
    private static final NativeLong ZERO = new NativeLong(0);
    private static final NativeLong SET_SIZE = new NativeLong(CpuSets.WORDS * 8L);

    /** The C library calls; thread ids are Linux tids (0 = the calling thread). */
    interface CLib extends Library {
        int sched_getaffinity(int tid, NativeLong size, long[] mask) throws LastErrorException;

        int sched_setaffinity(int tid, NativeLong size, long[] mask) throws LastErrorException;

        int sched_setscheduler(int tid, int policy, int[] param) throws LastErrorException;

        int setpriority(int which, int who, int prio) throws LastErrorException;

        int prctl(int option, NativeLong arg2, NativeLong arg3, NativeLong arg4, NativeLong arg5)
                throws LastErrorException;

        int mlockall(int flags) throws LastErrorException;

        int getrlimit(int resource, long[] limit) throws LastErrorException;
    }

    private final CLib c;

    private LinuxSched(CLib c) {
        this.c = c;
    }

    /**
     * Loads libc through JNA.
     *
     * @return the bindings
     * @throws UnsatisfiedLinkError or another error if JNA cannot load
     */
    static LinuxSched load() {
        return new LinuxSched(Native.load("c", CLib.class));
    }

    BitSet getAffinity(int tid) {
        long[] mask = new long[CpuSets.WORDS];
        c.sched_getaffinity(tid, SET_SIZE, mask);
        return CpuSets.fromWords(mask);
    }

    void setAffinity(int tid, BitSet cpus) {
        c.sched_setaffinity(tid, SET_SIZE, CpuSets.toWords(cpus));
    }

    void setFifo(int tid, int priority) {
        c.sched_setscheduler(tid, priority > 0 ? SCHED_FIFO : SCHED_OTHER, new int[] {priority});
    }

    void setNice(int tid, int nice) {
        c.setpriority(PRIO_PROCESS, tid, nice);
    }

    /** Sets the calling thread's timer slack: how late the kernel may end its sleeps to batch wake-ups. */
    void setTimerSlack(long nanos) {
        c.prctl(PR_SET_TIMERSLACK, new NativeLong(nanos), ZERO, ZERO, ZERO);
    }

    /** The calling thread's timer slack, in nanoseconds. */
    long timerSlack() {
        return c.prctl(PR_GET_TIMERSLACK, ZERO, ZERO, ZERO, ZERO);
    }

    /** Locks every page of the process, now and later, in RAM. */
    void lockAllMemory() {
        c.mlockall(MCL_CURRENT | MCL_FUTURE);
    }

    /**
     * The process's soft memlock limit.
     *
     * @return bytes, or -1 for unlimited
     */
    long memlockLimit() {
        long[] lim = new long[2];
        c.getrlimit(RLIMIT_MEMLOCK, lim);
        return lim[0] == -1L ? -1 : lim[0];
    }

    /**
     * The calling thread's Linux thread id, from {@code /proc/thread-self}.
     *
     * @return the tid
     * @throws IOException if /proc is not mounted
     */
    static int currentTid() throws IOException {
        String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString(); // "<pid>/task/<tid>"
        return Integer.parseInt(link.substring(link.lastIndexOf('/') + 1));
    }

    /**
     * Explains an errno from these calls in words, with the fix.
     *
     * @param e the error
     * @return the explanation
     */
    static String explain(Throwable e) {
        if (e instanceof LastErrorException le) {
            return switch (le.getErrorCode()) {
                case 1 -> "EPERM (not permitted)";
                case 11 -> "EAGAIN (the locked memory would pass the memlock limit)";
                case 12 -> "ENOMEM (the memlock limit is below the process's size)";
                case 3 -> "ESRCH (the thread ended)";
                case 22 -> "EINVAL (no allowed CPU in the set: check the cores exist and are in this container's cpuset)";
                default -> "errno " + le.getErrorCode();
            };
        }
        return e.toString();
    }
}
