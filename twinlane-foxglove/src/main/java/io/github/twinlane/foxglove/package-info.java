/**
 * A live view of a running twinlane application in Foxglove or Lichtblick, over the Foxglove WebSocket
 * protocol: {@link io.github.twinlane.foxglove.FoxgloveServer}.
 */
package io.github.twinlane.foxglove;
