package io.github.twinlane.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aeron.ChannelUri;
import io.github.twinlane.CpuPlan;
import io.github.twinlane.TwinlaneRuntime;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Links, bridge and option validation: every bad value is refused by name with the fix. */
class ConfigTest {

    @Test
    void theDefaultLinkIsLoopback() {
        Link l = Link.udp(9);
        assertTrue(l.localOnly(), l::toString);
        assertEquals("127.0.0.1:40456", ChannelUri.parse(l.dataChannel()).get("endpoint"));
        assertEquals("127.0.0.1:40457", ChannelUri.parse(l.commandChannel()).get("endpoint"));
        assertEquals(Integer.toString(Link.LOOPBACK_MTU), ChannelUri.parse(l.dataChannel()).get("mtu"));
        assertEquals(9, l.dataStreamId());
        assertEquals(10, l.commandStreamId());
        assertTrue(Link.ipc(3).localOnly());
    }

    @Test
    void aNetworkLinkIsNotLocalAndKeepsAerons() {
        Link l = Link.udp("192.168.1.20:40456", "192.168.1.10:40457", 5);
        assertFalse(l.localOnly());
        assertEquals(null, ChannelUri.parse(l.dataChannel()).get("mtu"), "an Ethernet link keeps Aeron's safe MTU");
    }

    @Test
    void multicastNamesItsInterface() {
        Link l = Link.multicast("239.1.1.1:40456", "239.1.1.1:40457", "192.168.1.10", 5);
        ChannelUri uri = ChannelUri.parse(l.dataChannel());
        assertEquals("239.1.1.1:40456", uri.get("endpoint"));
        assertEquals("192.168.1.10", uri.get("interface"));
        assertFalse(l.localOnly());
    }

    @Test
    void badLinksAreRefusedWithTheFix() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Link.udp("127.0.0.1", "127.0.0.1:1", 1))
                .getMessage().contains("host:port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Link.udp("h:70000", "h:1", 1))
                .getMessage().contains("1 to 65535"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Link.ipc(0)).getMessage().contains("streamId"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Link.ipc(Integer.MAX_VALUE))
                .getMessage().contains("streamId + 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Link("udp://x", "aeron:ipc", 1))
                .getMessage().contains("aeron:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new Link("aeron:udp?endpoint=h:1", "aeron:udp?endpoint=h:1", 1)).getMessage().contains("two endpoints"));
    }

    @Test
    void badBridgeAndOptionValuesAreRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BridgeConfig.embedded().withTermLength(100_000))
                .getMessage().contains("termLength"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> BridgeConfig.embedded().withLivenessTimeout(Duration.ofMillis(5))).getMessage().contains("livenessTimeout"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExportOptions.defaults().capacity(3))
                .getMessage().contains("capacity"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExportOptions.defaults().capacity(1))
                .getMessage().contains("from 2"), "what the export's channel would refuse is refused here, by name");
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ExportOptions.defaults().offerTimeout(Duration.ofSeconds(-1))).getMessage().contains("offerTimeout"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RemoteOptions.defaults().connectTimeout(Duration.ofMillis(1))).getMessage().contains("connectTimeout"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Schema.of(0, 1, null, null))
                .getMessage().contains("schema id"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Schemas.motor().withVersion(70_000))
                .getMessage().contains("schema version"));
    }

    @Test
    void anExternalDriverThatIsNotThereIsAClearError() {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> AeronBridge.launch(rt, BridgeConfig.externalDriver(Path.of("/nonexistent/aeron-dir"))));
            assertTrue(e.getMessage().contains("io.aeron.driver.MediaDriver") && e.getMessage().contains("embedded()"),
                    e.getMessage());
        }
    }

    @Test
    void aDirectoryWithoutARunningDriverIsAClearError(@org.junit.jupiter.api.io.TempDir Path empty) {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> AeronBridge.launch(rt, BridgeConfig.externalDriver(empty)));
            assertTrue(e.getMessage().contains("No running Aeron media driver answers in " + empty), e.getMessage());
        }
    }
}
