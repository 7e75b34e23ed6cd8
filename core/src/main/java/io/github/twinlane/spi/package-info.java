/**
 * The driver SPI: what a driver module implements to plug a device into twinlane. No vendor type
 * (jSerialComm, JavaCV) crosses it; each native stack stays in its own driver module.
 */
package io.github.twinlane.spi;
