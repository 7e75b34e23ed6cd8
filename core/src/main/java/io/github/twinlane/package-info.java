/**
 * twinlane: fast devices and slow devices in one process, each on its own lane.
 *
 * <pre>
 *                      ┌──────────────────── TwinlaneRuntime ─────────────────────┐
 *   FAST lane          │  ParallelScheduler: dedicated platform threads            │
 *   (drives, IMUs)     │                                                            │
 *     device ─read──►  │  reader ──► [inbound Disruptor ring] ──► dispatcher ──► handlers
 *     device ◄─write─  │  writer ◄── [outbound Disruptor ring] ◄── send() (any thread)
 *                      │  every(1 ms): deadline loop thread ── latest() / send()   │
 *                      │  or, placed IN_LOOP, one loop thread per cycle:            │
 *     device ◄─read/write─ every(1 ms, task, drive): read ► handlers ► task ► write  │
 *                      ├────────────────────────────────────────────────────────────┤
 *   SLOW lane          │  ConcurrentScheduler: N loop threads (default 1)           │
 *   (cameras)          │                                                            │
 *     camera ─grab──►  │  I/O thread per blocking device ──► [ring, LATEST] ─┐      │
 *     sensor ─poll──►  │  loop thread polls non-blocking devices ────────────┴► loop thread ──► handlers
 *                      └────────────────────────────────────────────────────────────┘
 * </pre>
 *
 * <p>Applications use {@link io.github.twinlane.TwinlaneRuntime},
 * {@link io.github.twinlane.DeviceChannel} and the configuration records; drivers implement
 * {@link io.github.twinlane.spi.DeviceDriver}. Nothing on the slow lane shares a thread with the
 * fast lane: a camera grab blocking for a frame interval cannot delay a motor command.
 */
package io.github.twinlane;
