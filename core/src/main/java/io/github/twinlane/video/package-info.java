/**
 * Twinlane's own video frame type, shared by the simulated camera and the camera drivers.
 */
package io.github.twinlane.video;
