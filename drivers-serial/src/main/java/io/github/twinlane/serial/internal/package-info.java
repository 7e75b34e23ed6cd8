/** jSerialComm plumbing shared by the serial drivers. Not an API. */
package io.github.twinlane.serial.internal;
