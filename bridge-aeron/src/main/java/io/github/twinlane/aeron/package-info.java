/**
 * Any twinlane channel across processes and machines over Aeron: {@link io.github.twinlane.aeron.AeronBridge}
 * exports a channel's data (and, if allowed, takes commands for it) and makes
 * {@link io.github.twinlane.aeron.RemoteDevice} drivers for channels exported elsewhere. A
 * {@link io.github.twinlane.aeron.Link} says where (IPC, UDP unicast, multicast); a
 * {@link io.github.twinlane.aeron.Schema} says what (codecs under an id and version).
 *
 * <p>Codecs see Agrona buffers ({@code DirectBuffer}, {@code MutableDirectBuffer}), Aeron's own
 * buffer types; nothing else of Aeron appears in this package's public API. Aeron's UDP transport
 * has no authentication: keep links beyond loopback on a trusted network segment.
 */
package io.github.twinlane.aeron;
