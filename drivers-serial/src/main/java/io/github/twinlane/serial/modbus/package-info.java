/**
 * Modbus RTU, the protocol most industrial motor drives speak: a blocking client and a fixed-rate
 * poller for the fast lane. No jSerialComm type in the public API.
 */
package io.github.twinlane.serial.modbus;
