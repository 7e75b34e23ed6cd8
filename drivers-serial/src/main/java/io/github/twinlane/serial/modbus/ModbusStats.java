package io.github.twinlane.serial.modbus;

/**
 * A Modbus line's counters.
 *
 * @param requests requests sent
 * @param timeouts requests that got no complete response in time
 * @param corruptResponses responses that failed the CRC or did not match their request
 * @param errorResponses exception responses
 * @param staleBytes late bytes dropped before a request
 */
public record ModbusStats(long requests, long timeouts, long corruptResponses, long errorResponses, long staleBytes) {
}
