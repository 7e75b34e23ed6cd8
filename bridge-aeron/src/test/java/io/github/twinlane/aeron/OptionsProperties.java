package io.github.twinlane.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.ChannelConfig;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Every value the bridge's options accept works downstream; every one they refuse is refused by name. */
class OptionsProperties {

    private static String refusal(Runnable r) {
        try {
            r.run();
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Property
    void anExportCapacityIsAcceptedExactlyWhenItsChannelWouldAcceptIt(@ForAll int capacity) {
        String export = refusal(() -> ExportOptions.defaults().capacity(capacity));
        String channel = refusal(() -> ChannelConfig.slow("x").capacity(capacity).build());
        assertEquals(channel == null, export == null, "export: " + export + " / channel: " + channel);
        if (export != null) {
            assertTrue(export.contains("capacity") && export.contains(Integer.toString(capacity)), export);
        }
    }

    @Property
    void termLengthsArePowersOfTwoFrom64KiBTo1GiB(@ForAll int bytes) {
        String r = refusal(() -> BridgeConfig.embedded().withTermLength(bytes));
        boolean valid = bytes >= 64 * 1024 && bytes <= 1 << 30 && Integer.bitCount(bytes) == 1;
        assertEquals(valid, r == null, String.valueOf(r));
        if (r != null) {
            assertTrue(r.contains("termLength") && r.contains(Integer.toString(bytes)), r);
        }
    }

    @Property
    void endpointsNeedAPortFrom1To65535(@ForAll int port) {
        String r = refusal(() -> Link.udp("10.0.0.1:" + port, "10.0.0.2:40457", 1));
        assertEquals(port >= 1 && port <= 65535, r == null, String.valueOf(r));
        if (r != null) {
            assertTrue(r.contains("host:port") && r.contains(Integer.toString(port)), r);
        }
    }

    @Property
    void offerTimeoutsFrom0To10Seconds(@ForAll long millis) {
        String r = refusal(() -> ExportOptions.defaults().offerTimeout(Duration.ofMillis(millis)));
        assertEquals(millis >= 0 && millis <= 10_000, r == null, String.valueOf(r));
        if (r != null) {
            assertTrue(r.contains("offerTimeout"), r);
        }
    }
}
