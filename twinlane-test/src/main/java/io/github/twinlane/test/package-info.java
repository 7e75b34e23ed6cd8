/**
 * Test support for twinlane and for the drivers and apps built on it: add
 * {@code io.github.twinlane:twinlane-test} with {@code <scope>test</scope>}.
 *
 * <ul>
 *   <li>{@link io.github.twinlane.test.TwinlaneExtension}: a runtime per test, closed after it, and a
 *       check that no twinlane thread survives;</li>
 *   <li>{@link io.github.twinlane.test.Pty} and {@link io.github.twinlane.test.NullModem}: real kernel
 *       ttys made in the test JVM, unpluggable and re-pluggable, for serial drivers;</li>
 *   <li>{@link io.github.twinlane.test.LibmodbusServer}: an independent Modbus RTU peer;</li>
 *   <li>{@link io.github.twinlane.test.NodePeer}: an independent peer written against a format's or
 *       protocol's own library from npm, pinned by a lock file and installed under {@code target/};</li>
 *   <li>{@link io.github.twinlane.test.Await}: wait for a condition, never a guessed time;</li>
 *   <li>{@link io.github.twinlane.test.Rig}: skip off CI, fail under {@code CI=true}, when the machine
 *       lacks what a test needs, naming the package to install;</li>
 *   <li>{@link io.github.twinlane.test.Capture} and {@link io.github.twinlane.test.Threads}: a program's
 *       output, the library's threads and their allocation.</li>
 * </ul>
 *
 * <p>Simulated devices with fault injection live in core, {@code io.github.twinlane.sim}.
 */
package io.github.twinlane.test;
