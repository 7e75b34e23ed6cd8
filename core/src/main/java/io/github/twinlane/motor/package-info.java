/**
 * The motor messages twinlane's templates, simulated drive and Aeron schema share: a velocity
 * {@link io.github.twinlane.motor.MotorCommand} and {@link io.github.twinlane.motor.MotorTelemetry}.
 * Real types for real drives, not simulation helpers: adapt a drive's protocol to them in a driver
 * (see the examples' {@code LineProtocolDrive}), or use your own types with your own driver.
 */
package io.github.twinlane.motor;
