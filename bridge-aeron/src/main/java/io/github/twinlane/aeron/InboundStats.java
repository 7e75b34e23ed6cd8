package io.github.twinlane.aeron;

/**
 * What one side of a link received, fragment by fragment. Every fragment that did not become part
 * of a delivered message is counted under exactly one of the reasons.
 *
 * @param fragments fragments taken off the wire
 * @param messages complete messages reassembled
 * @param partialDropped messages dropped incomplete because the publisher started a newer one
 *     (newest-message semantics) or went away
 * @param orphanFragments continuation fragments without their start: joined mid-message, or the
 *     rest of a message already counted as a mismatch
 * @param repeats messages already delivered, resent for a late joiner
 * @param schemaMismatches messages under another schema id or version: not decoded
 * @param malformed fragments or messages that failed validation (header or codec)
 * @param tooLarge messages larger than the configured limit
 * @param gaps messages the publisher sequenced that never arrived whole here: conflated or dropped at
 *     the export (its stats say which), abandoned mid-way, or sent while this side was away
 */
public record InboundStats(long fragments, long messages, long partialDropped, long orphanFragments, long repeats,
                           long schemaMismatches, long malformed, long tooLarge, long gaps) {

    static InboundStats of(Inbox in, long decodeFailures) {
        return new InboundStats(in.fragments, in.messages, in.partialDropped, in.orphanFragments, in.repeats,
                in.schemaMismatches, in.malformed + decodeFailures, in.tooLarge, in.gaps);
    }

    @Override
    public String toString() {
        return "in: fragments " + fragments + " messages " + messages + " partial-dropped " + partialDropped
                + " orphans " + orphanFragments + " repeats " + repeats + " schema-mismatches " + schemaMismatches
                + " malformed " + malformed + " too-large " + tooLarge + " gaps " + gaps;
    }
}
