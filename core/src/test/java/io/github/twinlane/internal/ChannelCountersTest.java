package io.github.twinlane.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.ChannelState;
import io.github.twinlane.ChannelStats;
import io.github.twinlane.Lane;
import io.github.twinlane.LongBox;
import io.github.twinlane.WaitMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the counters and the pipes' own counts add up to a channel's statistics, open and closed. */
class ChannelCountersTest {

    private static Pipe<LongBox> pipe(int offers, int rejects, int polls) {
        Pipe<LongBox> p = new Pipe<>(LongBox.TYPE, BackpressurePolicy.DROP_NEWEST, 8, 1, WaitMode.BLOCKING, false)
                .enablePolling();
        p.sink((v, s, t) -> { });
        for (int i = 0; i < offers; i++) {
            p.offer(new LongBox(i), 0);
        }
        for (int i = 0; i < rejects; i++) {
            p.reject();
        }
        p.poll(polls);
        return p;
    }

    @Test
    void shouldAddTheCountersAndThePipesUpToTheStatistics() {
        ChannelCounters c = new ChannelCounters();
        c.corruptReads.set(2);
        c.handlerErrors.set(3);
        c.driverErrors.set(4);
        c.reconnects.set(5);
        c.handlerStalls.set(6);
        c.commandsFailed.set(1);
        c.commandsDiscarded.set(2);
        c.dataLatency.record(1_000);
        c.dataLatency.record(2_000);
        c.commandLatency.record(3_000);
        Pipe<LongBox> inbound = pipe(4, 1, 3); // offered 5, delivered 3, dropped 1, pending 1
        Pipe<LongBox> outbound = pipe(6, 2, 5); // offered 8, delivered 5, dropped 2, pending 1

        ChannelStats open = c.stats("drive", Lane.FAST, ChannelState.OPEN, false, inbound, outbound, 7, 8, 9, 10);
        assertEquals("drive", open.name());
        assertEquals(Lane.FAST, open.lane());
        assertEquals(ChannelState.OPEN, open.state());
        assertEquals(List.of(8L, 2L, 1L, 4L), List.of(open.commandsSent(), open.commandsWritten(), open.commandsFailed(),
                open.commandsDropped()), "sent, written (delivered less failed and discarded), failed, dropped");
        assertEquals(List.of(5L, 3L, 1L), List.of(open.dataReceived(), open.dataDelivered(), open.dataDropped()));
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L), List.of(open.corruptReads(), open.handlerErrors(), open.driverErrors(),
                open.reconnects(), open.handlerStalls()));
        assertEquals(2, open.dataLatency().count());
        assertEquals(1, open.commandLatency().count());
        assertEquals(7, open.emergencyStops());
        assertEquals(8, open.safeStops());
        assertEquals(List.of(9L, 10L), List.of(open.reservedHeapBytes(), open.reservedDirectBytes()));

        ChannelStats closed = c.stats("drive", Lane.FAST, ChannelState.CLOSED, true, inbound, outbound, 7, 8, 9, 10);
        assertEquals(5, closed.commandsDropped(), "what was still queued at close counts as dropped");
        assertEquals(2, closed.dataDropped());
        assertEquals(closed.commandsSent(), closed.commandsWritten() + closed.commandsFailed() + closed.commandsDropped());
        assertEquals(closed.dataReceived(), closed.dataDelivered() + closed.dataDropped());
    }
}
