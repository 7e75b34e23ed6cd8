/**
 * Framing codecs for byte streams, pure Java with no serial library type: delimiter lines, COBS,
 * SLIP, length-prefixed with CRC-16, and fixed length. Decoders accept any chunking, resynchronise,
 * count what they drop, never throw, and allocate nothing per frame.
 */
package io.github.twinlane.serial.codec;
