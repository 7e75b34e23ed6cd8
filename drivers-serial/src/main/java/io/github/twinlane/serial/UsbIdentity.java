package io.github.twinlane.serial;

import java.util.Locale;

/**
 * A USB-serial adapter's stable identity, so that a reconnect finds the same adapter after the
 * kernel renumbers it ({@code /dev/ttyUSB0} becoming {@code /dev/ttyUSB1}).
 *
 * @param vendorId USB vendor id, 0 to 0xFFFF
 * @param productId USB product id, 0 to 0xFFFF
 * @param serialNumber the adapter's serial number, or null to match any
 */
public record UsbIdentity(int vendorId, int productId, String serialNumber) {
    /**
     * Validates.
     *
     * @throws IllegalArgumentException naming the field
     */
    public UsbIdentity {
        if (vendorId < 0 || vendorId > 0xFFFF) {
            throw new IllegalArgumentException("vendorId must be from 0 to 0xFFFF, was " + vendorId);
        }
        if (productId < 0 || productId > 0xFFFF) {
            throw new IllegalArgumentException("productId must be from 0 to 0xFFFF, was " + productId);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "usb %04x:%04x%s", vendorId, productId,
                serialNumber == null ? "" : " serial " + serialNumber);
    }
}
