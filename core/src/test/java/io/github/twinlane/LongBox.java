package io.github.twinlane;

/** A one-field message for tests. */
public final class LongBox {
    public static final MessageType<LongBox> TYPE = MessageType.of(LongBox::new, (a, b) -> b.value = a.value);
    public long value;

    public LongBox() {
    }

    public LongBox(long value) {
        this.value = value;
    }
}
