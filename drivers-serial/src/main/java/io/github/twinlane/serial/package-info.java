/**
 * Serial devices (USB-serial adapters, RS-485) as twinlane channels, through jSerialComm. No
 * jSerialComm type appears in this package's public API.
 */
package io.github.twinlane.serial;
