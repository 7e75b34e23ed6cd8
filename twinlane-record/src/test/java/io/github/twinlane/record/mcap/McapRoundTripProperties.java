package io.github.twinlane.record.mcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Whatever is written comes back the same: any messages, any number of channels, any chunk size, any compression. */
class McapRoundTripProperties {

    record Msg(int channel, long sequence, long logTime, long publishTime, byte[] data) {
    }

    @Provide
    Arbitrary<List<Msg>> messages() {
        Arbitrary<Msg> one = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.longs().between(0, 0xffff_ffffL), Arbitraries.longs(), Arbitraries.longs(),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(3000)).as(Msg::new);
        return one.list().ofMaxSize(200);
    }

    @Property(tries = 60)
    void shouldReadBackExactlyWhatWasWritten(@ForAll("messages") List<Msg> messages,
            @ForAll McapCompression compression, @ForAll @IntRange(min = 1024, max = 20_000) int chunkSize,
            @ForAll @IntRange(min = 1, max = 6) int channelCount) throws IOException {
        Path file = Files.createTempFile("roundtrip", ".mcap");
        try {
            List<String> expected = new ArrayList<>();
            try (McapWriter w = McapWriter.create(file, McapWriter.Options.defaults().withCompression(compression)
                    .withChunkSize(chunkSize))) {
                int schema = w.schema("s", "jsonschema", "{}".getBytes());
                for (int c = 0; c < channelCount; c++) {
                    w.channel(c % 2 == 0 ? schema : 0, "/t" + c, "json", Map.of("c", Integer.toString(c)));
                }
                for (Msg m : messages) {
                    int c = m.channel() % channelCount;
                    w.message(c, m.sequence(), m.logTime(), m.publishTime(), m.data(), 0, m.data().length);
                    expected.add(McapLines.messageLine(new McapMessage(c, m.sequence(), m.logTime(), m.publishTime(), m.data())));
                }
            }
            McapLines read = new McapLines();
            try (McapReader r = McapReader.open(file)) {
                McapScan scan = r.read(read);
                assertTrue(scan.complete());
                McapStatistics st = r.summary().orElseThrow().statistics();
                assertEquals(messages.size(), st.messageCount());
                assertEquals(channelCount, st.channelCount());
                assertEquals(messages.size(), st.channelMessageCounts().values().stream().mapToLong(Long::longValue).sum());
            }
            assertEquals(expected, read.messages);
            assertEquals(channelCount, read.channels.size());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
