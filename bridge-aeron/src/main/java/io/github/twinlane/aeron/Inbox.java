package io.github.twinlane.aeron;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * Reassembles bridge messages from fragments, one assembly per publisher (Aeron session), with
 * newest-message semantics: a message still incomplete when the same publisher starts a newer one
 * is dropped and counted. Every fragment that does not become part of a delivered message is
 * counted under exactly one reason.
 *
 * <p>A single-fragment message is handed over in place (no copy); larger ones are copied into a
 * per-session buffer that grows to the largest message seen.
 *
 * <p>Not thread-safe: one polling thread. Allocates only for a new session or a larger message.
 */
final class Inbox {
    /** {@link #onFragment} result: nothing complete yet (or the fragment was discarded). */
    static final int NONE = 0;
    /** {@link #onFragment} result: the fragment was a message's first under a foreign schema. */
    static final int MISMATCH = -1;
    /** Publishers tracked at once; one more, and all are forgotten (counted if incomplete). */
    static final int MAX_SESSIONS = 16;

    private final int schemaId;
    private final int schemaVersion;
    private final int acceptedKinds;
    private final int maxMessage;
    private final Int2ObjectHashMap<Assembly> sessions = new Int2ObjectHashMap<>();

    private DirectBuffer doneBuffer;
    private int doneOffset;
    private int doneLength;
    private long doneSeq;
    private long doneSent;
    private int doneFlags;

    volatile long fragments;
    volatile long messages;
    volatile long partialDropped;
    volatile long orphanFragments;
    volatile long repeats;
    volatile long schemaMismatches;
    volatile long malformed;
    volatile long tooLarge;
    volatile long gaps;
    volatile int lastForeignId;
    volatile int lastForeignVersion;

    /**
     * @param schema the schema this side speaks
     * @param acceptedKinds bit {@code 1 << kind} for each kind this side takes
     * @param maxMessage the largest message accepted; a header claiming more is malformed
     */
    Inbox(Schema<?, ?> schema, int acceptedKinds, int maxMessage) {
        this.schemaId = schema.id();
        this.schemaVersion = schema.version();
        this.acceptedKinds = acceptedKinds;
        this.maxMessage = maxMessage;
    }

    /**
     * Takes one fragment.
     *
     * @param buf the bytes
     * @param offset where the fragment starts
     * @param length its length
     * @param session the publisher's session id
     * @return the kind of a message now complete (see the {@code done*} accessors, valid until the
     *     next call), {@link #NONE}, or {@link #MISMATCH}
     */
    int onFragment(DirectBuffer buf, int offset, int length, int session) {
        fragments++;
        if (length < Wire.HEADER || buf.getShort(offset + Wire.MAGIC_OFFSET, Wire.ORDER) != Wire.MAGIC
                || buf.getByte(offset + Wire.FORMAT_OFFSET) != Wire.FORMAT) {
            malformed++;
            return NONE;
        }
        int index = buf.getInt(offset + Wire.INDEX_OFFSET, Wire.ORDER);
        int id = buf.getInt(offset + Wire.SCHEMA_ID_OFFSET, Wire.ORDER);
        int version = buf.getShort(offset + Wire.SCHEMA_VERSION_OFFSET, Wire.ORDER) & 0xFFFF;
        if (id != schemaId || version != schemaVersion) {
            if (index == 0) {
                schemaMismatches++;
                lastForeignId = id;
                lastForeignVersion = version;
                return MISMATCH;
            }
            orphanFragments++; // the rest of a message already counted as a mismatch
            return NONE;
        }
        int kind = buf.getByte(offset + Wire.KIND_OFFSET);
        int count = buf.getInt(offset + Wire.COUNT_OFFSET, Wire.ORDER);
        int total = buf.getInt(offset + Wire.LENGTH_OFFSET, Wire.ORDER);
        int part = length - Wire.HEADER;
        if (kind <= 0 || kind > 30 || (acceptedKinds & (1 << kind)) == 0 || count < 1 || index < 0
                || index >= count || total < 0 || part > total || (count == 1 && part != total)) {
            malformed++;
            return NONE;
        }
        if (total > maxMessage) {
            tooLarge++;
            return NONE;
        }
        long seq = buf.getLong(offset + Wire.SEQ_OFFSET, Wire.ORDER);
        Assembly a = sessions.get(session);
        if (a == null) {
            if (sessions.size() >= MAX_SESSIONS) {
                forgetSessions(); // publishers come and go (restarts): never hold buffers for all of them
            }
            a = new Assembly();
            sessions.put(session, a);
        }
        if (kind == Wire.KIND_HELLO) {
            if (count != 1) {
                malformed++;
                return NONE;
            }
            return done(kind, buf, offset, seq); // out of band: touches no assembly, no repeat check
        }
        if (index == 0) {
            if (a.inProgress()) {
                partialDropped++;
            }
            a.reset();
            if (seq <= a.lastComplete) {
                repeats++;
                a.skipping = seq;
                return NONE;
            }
            if (count == 1) {
                a.complete(seq, this);
                return done(kind, buf, offset, seq);
            }
            a.start(seq, count, total);
        } else {
            if (a.skipping == seq) {
                return NONE; // the rest of a repeat, already counted
            }
            if (!a.inProgress() || a.seq != seq || a.expected != index) {
                orphanFragments++; // joined mid-message, or the start was dropped
                a.reset();
                return NONE;
            }
        }
        if (a.filled + part > a.total) {
            malformed++;
            a.reset();
            return NONE;
        }
        a.buffer.putBytes(a.filled, buf, offset + Wire.HEADER, part);
        a.filled += part;
        a.expected++;
        if (a.expected < a.count) {
            return NONE;
        }
        if (a.filled != a.total) {
            malformed++;
            a.reset();
            return NONE;
        }
        a.complete(seq, this);
        a.seq = Long.MIN_VALUE;
        messages++;
        doneBuffer = a.buffer;
        doneOffset = 0;
        doneLength = a.total;
        doneSeq = seq;
        doneSent = buf.getLong(offset + Wire.SENT_OFFSET, Wire.ORDER);
        doneFlags = buf.getShort(offset + Wire.FLAGS_OFFSET, Wire.ORDER) & 0xFFFF;
        a.count = 0;
        return kind;
    }

    private int done(int kind, DirectBuffer buf, int offset, long seq) {
        messages++;
        doneBuffer = buf;
        doneOffset = offset + Wire.HEADER;
        doneLength = buf.getInt(offset + Wire.LENGTH_OFFSET, Wire.ORDER);
        doneSeq = seq;
        doneSent = buf.getLong(offset + Wire.SENT_OFFSET, Wire.ORDER);
        doneFlags = buf.getShort(offset + Wire.FLAGS_OFFSET, Wire.ORDER) & 0xFFFF;
        return kind;
    }

    /**
     * Forgets every publisher (on reconnect): assemblies left incomplete are counted as dropped, and
     * their buffers, up to a frame each, are released.
     */
    void forgetSessions() {
        for (Assembly a : sessions.values()) {
            if (a.inProgress()) {
                partialDropped++;
            }
        }
        sessions.clear();
    }

    /** Forgets a publisher that went away; an assembly it left incomplete is counted as dropped. */
    void sessionGone(int session) {
        Assembly a = sessions.remove(session);
        if (a != null && a.inProgress()) {
            partialDropped++;
        }
    }

    DirectBuffer doneBuffer() {
        return doneBuffer;
    }

    int doneOffset() {
        return doneOffset;
    }

    int doneLength() {
        return doneLength;
    }

    long doneSeq() {
        return doneSeq;
    }

    long doneSentEpochNanos() {
        return doneSent;
    }

    int doneFlags() {
        return doneFlags;
    }

    /** One publisher's message under reassembly. */
    private static final class Assembly {
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(0);
        long lastComplete = Long.MIN_VALUE;
        long skipping = Long.MIN_VALUE;
        long seq = Long.MIN_VALUE;
        int count;
        int total;
        int filled;
        int expected;

        /** Records a delivered sequence; a jump counts the publisher's messages this side never got. */
        void complete(long s, Inbox counts) {
            if (lastComplete != Long.MIN_VALUE && s > lastComplete + 1) {
                counts.gaps += s - lastComplete - 1;
            }
            lastComplete = s;
        }

        boolean inProgress() {
            return count > 0 && expected > 0 && expected < count;
        }

        void start(long s, int c, int t) {
            seq = s;
            count = c;
            total = t;
            filled = 0;
            expected = 0;
            skipping = Long.MIN_VALUE;
            buffer.checkLimit(t);
        }

        void reset() {
            count = 0;
            expected = 0;
            filled = 0;
            seq = Long.MIN_VALUE;
            skipping = Long.MIN_VALUE;
        }
    }
}
