package io.github.twinlane.serial;

/** Serial flow control. */
public enum FlowControl {
    /** None. */
    NONE,
    /** Hardware: RTS/CTS. */
    RTS_CTS,
    /** Software: XON/XOFF. */
    XON_XOFF
}
