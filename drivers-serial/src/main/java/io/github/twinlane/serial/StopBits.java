package io.github.twinlane.serial;

/** Serial stop bits. */
public enum StopBits {
    /** One stop bit. */
    ONE,
    /** One and a half stop bits. */
    ONE_POINT_FIVE,
    /** Two stop bits. */
    TWO
}
