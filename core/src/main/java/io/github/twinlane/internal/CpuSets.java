package io.github.twinlane.internal;

import java.util.BitSet;

/** CPU sets as Linux writes them ({@code 0-3,6}) and as {@code cpu_set_t} words. */
public final class CpuSets {
    /** Words in a {@code cpu_set_t} of 1024 CPUs. */
    public static final int WORDS = 16;

    private CpuSets() {
    }

    /**
     * Parses a list such as {@code 0-3,6}.
     *
     * @param list the text; blank means empty
     * @return the set
     * @throws IllegalArgumentException if the text is not a CPU list
     */
    public static BitSet parse(String list) {
        BitSet set = new BitSet();
        String text = list == null ? "" : list.trim();
        if (text.isEmpty()) {
            return set;
        }
        for (String part : text.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            try {
                if (dash < 0) {
                    set.set(Integer.parseInt(p));
                } else {
                    set.set(Integer.parseInt(p.substring(0, dash)), Integer.parseInt(p.substring(dash + 1)) + 1);
                }
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                throw new IllegalArgumentException("not a CPU list: \"" + list + "\" (expected e.g. 0-3,6)", e);
            }
        }
        return set;
    }

    /**
     * Formats a set as Linux does.
     *
     * @param set the CPUs
     * @return e.g. {@code 0-3,6}; empty for an empty set
     */
    public static String format(BitSet set) {
        StringBuilder sb = new StringBuilder();
        int i = set.nextSetBit(0);
        while (i >= 0) {
            int end = set.nextClearBit(i) - 1;
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(i);
            if (end > i) {
                sb.append('-').append(end);
            }
            i = set.nextSetBit(end + 1);
        }
        return sb.toString();
    }

    static long[] toWords(BitSet set) {
        long[] words = new long[WORDS];
        long[] raw = set.toLongArray();
        System.arraycopy(raw, 0, words, 0, Math.min(raw.length, WORDS));
        return words;
    }

    static BitSet fromWords(long[] words) {
        return BitSet.valueOf(words);
    }
}
