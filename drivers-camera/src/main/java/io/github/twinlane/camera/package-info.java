/**
 * Cameras, video files and network streams as twinlane channels, through JavaCV and FFmpeg. No
 * JavaCV or FFmpeg type appears in this package's public API.
 */
package io.github.twinlane.camera;
