package io.github.twinlane.bench;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/**
 * Pins the calling thread to one CPU, for the benchmark's hand-written floors (so that they run where
 * twinlane's fast lane runs). Linux only; JNA.
 */
final class Affinity {
    private Affinity() {
    }

    interface CLib extends Library {
        int sched_setaffinity(int tid, NativeLong size, long[] mask) throws LastErrorException;

        int prctl(int option, NativeLong a2, NativeLong a3, NativeLong a4, NativeLong a5) throws LastErrorException;
    }

    private static final class Holder {
        static final CLib C = Native.load("c", CLib.class);
    }

    /**
     * Pins the calling thread to {@code cpu} and gives it 1 ns timer slack, as twinlane's fast lane.
     *
     * @param cpu the CPU
     */
    static void pinHere(int cpu) {
        long[] mask = new long[16];
        mask[cpu / 64] = 1L << (cpu % 64);
        Holder.C.sched_setaffinity(0, new NativeLong(mask.length * 8L), mask);
        NativeLong zero = new NativeLong(0);
        Holder.C.prctl(29, new NativeLong(1), zero, zero, zero); // PR_SET_TIMERSLACK
    }

    /**
     * The first CPU of a list such as {@code "1"} or {@code "2-3"}.
     *
     * @param list the CPU list
     * @return the first CPU
     */
    static int first(String list) {
        String head = list.split("[,-]")[0].trim();
        return Integer.parseInt(head);
    }
}
