/**
 * Simulated devices for apps and tests without hardware, in the role of HikariCP's stub driver:
 * a motor drive with a first-order model and a camera with a CPU cost per frame, each with
 * {@link io.github.twinlane.sim.SimFaults} for fault injection.
 */
package io.github.twinlane.sim;
