package io.github.twinlane.examples;

/**
 * Allocation-free ASCII number formatting and parsing for line protocols, so a fast-lane drive
 * adapter creates no garbage per message (String.format would).
 */
final class Ascii {
    private Ascii() {
    }

    /** Writes {@code v} in decimal at {@code at}; returns the position after it. */
    static int putLong(byte[] buf, int at, long v) {
        if (v < 0) {
            buf[at++] = '-';
            v = -v;
        }
        int start = at;
        do {
            buf[at++] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v > 0);
        for (int i = start, j = at - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
        return at;
    }

    /** Writes {@code v} with three decimals ("-12.345"); returns the position after it. */
    static int putFixed3(byte[] buf, int at, double v) {
        long milli = Math.round(v * 1000);
        if (milli < 0) {
            buf[at++] = '-';
            milli = -milli;
        }
        at = putLong(buf, at, milli / 1000);
        buf[at++] = '.';
        long frac = milli % 1000;
        buf[at++] = (byte) ('0' + frac / 100);
        buf[at++] = (byte) ('0' + frac / 10 % 10);
        buf[at++] = (byte) ('0' + frac % 10);
        return at;
    }

    /** A cursor over the space-separated fields of one line. */
    static final class Fields {
        private byte[] buf;
        private int pos;
        private int end;

        Fields of(byte[] line, int length) {
            buf = line;
            pos = 0;
            end = length;
            return this;
        }

        /** The next field as a word character, or -1 at the end. */
        int nextChar() {
            skip();
            return pos < end ? buf[pos++] : -1;
        }

        long nextLong() {
            skip();
            boolean neg = pos < end && buf[pos] == '-';
            if (neg) {
                pos++;
            }
            int start = pos;
            long v = 0;
            while (pos < end && buf[pos] >= '0' && buf[pos] <= '9') {
                v = v * 10 + (buf[pos++] - '0');
            }
            if (pos == start) {
                throw new NumberFormatException("expected a number at column " + start);
            }
            return neg ? -v : v;
        }

        /** A decimal with up to 6 fraction digits. */
        double nextDouble() {
            skip();
            boolean neg = pos < end && buf[pos] == '-';
            if (neg) {
                pos++;
            }
            int start = pos;
            long whole = 0;
            while (pos < end && buf[pos] >= '0' && buf[pos] <= '9') {
                whole = whole * 10 + (buf[pos++] - '0');
            }
            double v = whole;
            if (pos < end && buf[pos] == '.') {
                pos++;
                double scale = 0.1;
                while (pos < end && buf[pos] >= '0' && buf[pos] <= '9') {
                    v += (buf[pos++] - '0') * scale;
                    scale /= 10;
                }
            }
            if (pos == start) {
                throw new NumberFormatException("expected a number at column " + start);
            }
            return neg ? -v : v;
        }

        private void skip() {
            while (pos < end && buf[pos] == ' ') {
                pos++;
            }
        }
    }
}
