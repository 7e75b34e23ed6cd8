package io.github.twinlane.serial.codec;

/** CRC-16 variants used on serial lines, table-driven, allocation-free. */
public enum Crc16 {
    /** CRC-16/MODBUS: reflected polynomial 0xA001, initial 0xFFFF, sent low byte first. */
    MODBUS(0xA001, 0xFFFF),
    /** CRC-16/CCITT-FALSE: polynomial 0x1021, not reflected, initial 0xFFFF, sent high byte first. */
    CCITT_FALSE(0x1021, 0xFFFF);

    private final int[] table = new int[256];
    private final int init;
    private final boolean reflected;

    Crc16(int poly, int init) {
        this.init = init;
        this.reflected = poly == 0xA001;
        for (int i = 0; i < 256; i++) {
            int crc;
            if (reflected) {
                crc = i;
                for (int k = 0; k < 8; k++) {
                    crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
                }
            } else {
                crc = i << 8;
                for (int k = 0; k < 8; k++) {
                    crc = (crc & 0x8000) != 0 ? (crc << 1) ^ poly : crc << 1;
                }
            }
            table[i] = crc & 0xFFFF;
        }
    }

    /**
     * Computes the CRC of a range.
     *
     * @param buf the bytes
     * @param off start
     * @param len length
     * @return the CRC, 0 to 0xFFFF
     */
    public int of(byte[] buf, int off, int len) {
        int crc = init;
        for (int i = off; i < off + len; i++) {
            if (reflected) {
                crc = (crc >>> 8) ^ table[(crc ^ buf[i]) & 0xFF];
            } else {
                crc = ((crc << 8) ^ table[((crc >>> 8) ^ buf[i]) & 0xFF]) & 0xFFFF;
            }
        }
        return crc;
    }
}
