package io.github.twinlane.aeron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aeron.Publication;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

/** Fragmenting and reassembly over every message size, fragment size and cut-off point. */
class WireProperties {
    private static final Schema<?, ?> SCHEMA = Schemas.motor();

    /** One message and how many of its fragments get out before the sender gives up (-1: all). */
    record Msg(byte[] payload, int cutAfter) {
    }

    @Provide
    Arbitrary<List<Msg>> messages() {
        Arbitrary<byte[]> payloads = Arbitraries.bytes().array(byte[].class).ofMaxSize(5_000);
        Arbitrary<Integer> cuts = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(-1)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 20)));
        return Combinators.combine(payloads, cuts).as(Msg::new).list().ofMaxSize(25);
    }

    /** Feeds fragments straight into an inbox, refusing after a set number (back-pressure). */
    static final class Loop implements Outbox.Sink {
        final Inbox inbox;
        final List<byte[]> delivered = new ArrayList<>();
        final List<Long> seqs = new ArrayList<>();
        int budget = Integer.MAX_VALUE;
        long position;

        Loop(Inbox inbox) {
            this.inbox = inbox;
        }

        @Override
        public long offer(org.agrona.DirectBuffer one, int oneOffset, int oneLength, org.agrona.DirectBuffer two,
                          int twoOffset, int twoLength) {
            if (budget == 0) {
                return Publication.BACK_PRESSURED;
            }
            budget--;
            UnsafeBuffer frame = new UnsafeBuffer(new byte[oneLength + twoLength]);
            frame.putBytes(0, one, oneOffset, oneLength);
            frame.putBytes(oneLength, two, twoOffset, twoLength);
            int kind = inbox.onFragment(frame, 0, frame.capacity(), 7);
            if (kind == Wire.KIND_DATA) {
                byte[] got = new byte[inbox.doneLength()];
                inbox.doneBuffer().getBytes(inbox.doneOffset(), got);
                delivered.add(got);
                seqs.add(inbox.doneSeq());
            }
            position += frame.capacity();
            return position;
        }
    }

    @Property(tries = 300)
    void everyWholeMessageArrivesExactlyAndEveryCutOneIsCounted(@ForAll("messages") List<Msg> msgs,
                                                                @ForAll @IntRange(min = 41, max = 1500) int maxPayload) {
        Outbox out = new Outbox(maxPayload, SCHEMA);
        Inbox in = new Inbox(SCHEMA, 1 << Wire.KIND_DATA, 1 << 20);
        Loop loop = new Loop(in);
        List<byte[]> whole = new ArrayList<>();
        List<Long> wholeSeqs = new ArrayList<>();
        int expectPartial = 0;
        boolean partialOpen = false;
        long seq = 0;
        for (Msg m : msgs) {
            seq++;
            out.payload().putBytes(0, m.payload());
            out.stage(Wire.KIND_DATA, 0, seq, 0, m.payload().length);
            int count = out.fragmentCount();
            boolean cut = m.cutAfter() >= 0 && m.cutAfter() < count;
            loop.budget = cut ? m.cutAfter() : Integer.MAX_VALUE;
            int r = out.sendAll(loop, System.nanoTime()); // deadline passed: back-pressure gives up at once
            if (cut) {
                assertEquals(Outbox.TIMED_OUT, r);
                if (m.cutAfter() > 0) {
                    if (partialOpen) {
                        expectPartial++;
                    }
                    partialOpen = true;
                    continue;
                }
            } else {
                assertEquals(Outbox.SENT, r);
                whole.add(m.payload());
                wholeSeqs.add(seq);
            }
            if (partialOpen && (!cut || m.cutAfter() > 0)) {
                expectPartial++;
                partialOpen = false;
            }
        }
        assertEquals(whole.size(), loop.delivered.size(), "whole messages delivered");
        for (int i = 0; i < whole.size(); i++) {
            assertArrayEquals(whole.get(i), loop.delivered.get(i), "message " + i + " bytes");
        }
        assertEquals(wholeSeqs, loop.seqs, "in order");
        assertEquals(expectPartial, in.partialDropped, "partial messages dropped when a newer one started");
        assertEquals(0, in.malformed + in.orphanFragments + in.repeats + in.schemaMismatches);
        long firstWhole = wholeSeqs.isEmpty() ? 0 : wholeSeqs.get(0);
        long lastWhole = wholeSeqs.isEmpty() ? 0 : wholeSeqs.get(wholeSeqs.size() - 1);
        assertEquals(wholeSeqs.isEmpty() ? 0 : lastWhole - firstWhole + 1 - wholeSeqs.size(), in.gaps,
                "every sequence missing between the first and last delivered is counted as a gap");
    }

    @Property(tries = 200)
    void aResentMessageIsARepeatForThoseWhoHaveItAndNewForALateJoiner(@ForAll @Size(max = 3000) byte[] payload,
                                                                      @ForAll @IntRange(min = 41, max = 600) int maxPayload) {
        Outbox out = new Outbox(maxPayload, SCHEMA);
        Loop early = new Loop(new Inbox(SCHEMA, 1 << Wire.KIND_DATA, 1 << 20));
        out.payload().putBytes(0, payload);
        out.stage(Wire.KIND_DATA, 0, 5, 0, payload.length);
        assertEquals(Outbox.SENT, out.sendAll(early, System.nanoTime()));
        Loop late = new Loop(new Inbox(SCHEMA, 1 << Wire.KIND_DATA, 1 << 20));
        out.rewind();
        assertEquals(Outbox.SENT, out.sendAll(late, System.nanoTime()));
        out.rewind();
        assertEquals(Outbox.SENT, out.sendAll(early, System.nanoTime()));
        assertEquals(1, early.delivered.size());
        assertEquals(1, early.inbox.repeats);
        assertEquals(1, late.delivered.size());
        assertArrayEquals(payload, late.delivered.get(0));
    }

    @Property(tries = 500)
    void garbageNeverCompletesAMessageAndIsAlwaysCounted(@ForAll @Size(max = 200) List<@Size(max = 300) byte[]> frames) {
        Inbox in = new Inbox(SCHEMA, 1 << Wire.KIND_DATA, 1 << 20);
        for (byte[] f : frames) {
            int r = in.onFragment(new UnsafeBuffer(f), 0, f.length, 1);
            assertTrue(r == Inbox.NONE || r == Inbox.MISMATCH, "garbage completed a message");
        }
        assertEquals(frames.size(), in.malformed + in.schemaMismatches + in.orphanFragments + in.tooLarge,
                "every garbage fragment counted once");
    }

    @Property(tries = 300)
    void aCorruptedFragmentNeverThrowsAndEveryFragmentIsAccountedFor(@ForAll @Size(min = 1, max = 4000) byte[] payload,
                                                                    @ForAll @IntRange(min = 41, max = 400) int maxPayload,
                                                                    @ForAll @IntRange(min = 0, max = 10_000) int corruptAt,
                                                                    @ForAll byte xor) {
        Outbox out = new Outbox(maxPayload, SCHEMA);
        Inbox in = new Inbox(SCHEMA, 1 << Wire.KIND_DATA, 1 << 20);
        int[] seen = {0};
        Outbox.Sink corrupting = (one, oo, ol, two, to, tl) -> {
            byte[] f = new byte[ol + tl];
            one.getBytes(oo, f, 0, ol);
            two.getBytes(to, f, ol, tl);
            int at = corruptAt - seen[0];
            if (at >= 0 && at < f.length) {
                f[at] ^= xor == 0 ? 1 : xor;
            }
            seen[0] += f.length;
            in.onFragment(new UnsafeBuffer(f), 0, f.length, 3);
            return seen[0];
        };
        out.payload().putBytes(0, payload);
        out.stage(Wire.KIND_DATA, 0, 1, 0, payload.length);
        out.sendAll(corrupting, System.nanoTime());
        assertEquals(out.fragmentCount(), in.fragments);
        assertTrue(in.messages <= 1);
    }

    @Example
    void publishersThatComeAndGoNeverPinTheirBuffers() {
        Inbox in = new Inbox(SCHEMA, 1 << Wire.KIND_DATA, 1 << 20);
        Outbox out = new Outbox(100, SCHEMA);
        out.payload().putBytes(0, new byte[500]);
        out.stage(Wire.KIND_DATA, 0, 1, 0, 500);
        int[] session = {0};
        int[] budget = {0};
        Outbox.Sink firstFragmentOnly = (one, oo, ol, two, to, tl) -> {
            if (budget[0]-- <= 0) {
                return Publication.BACK_PRESSURED;
            }
            UnsafeBuffer f = new UnsafeBuffer(new byte[ol + tl]);
            f.putBytes(0, one, oo, ol);
            f.putBytes(ol, two, to, tl);
            in.onFragment(f, 0, f.capacity(), session[0]);
            return 1;
        };
        for (int s = 1; s <= Inbox.MAX_SESSIONS + 1; s++) {
            session[0] = s; // a publisher restarted: a new session, its frame cut after one fragment
            budget[0] = 1;
            out.rewind();
            assertEquals(Outbox.TIMED_OUT, out.sendAll(firstFragmentOnly, System.nanoTime()));
        }
        assertEquals(Inbox.MAX_SESSIONS, in.partialDropped, "the forgotten incomplete messages are counted");
        in.forgetSessions();
        assertEquals(Inbox.MAX_SESSIONS + 1, in.partialDropped);
    }
}
