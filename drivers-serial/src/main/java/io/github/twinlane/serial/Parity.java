package io.github.twinlane.serial;

/** Serial parity. */
public enum Parity {
    /** No parity bit. */
    NONE,
    /** Odd parity. */
    ODD,
    /** Even parity. */
    EVEN,
    /** Parity bit always 1. */
    MARK,
    /** Parity bit always 0. */
    SPACE
}
