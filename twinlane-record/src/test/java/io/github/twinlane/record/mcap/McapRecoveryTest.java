package io.github.twinlane.record.mcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recording cut short, by a truncation or by kill -9 of the process writing it, is recovered whole up to its last complete chunk. */
class McapRecoveryTest {
    @TempDir
    Path dir;

    @Test
    void shouldRecoverEveryCompleteChunkOfARecordingCutMidChunk() throws IOException {
        Path whole = dir.resolve("whole.mcap");
        McapLines wrote = McapFixtures.write(whole, McapWriter.Options.defaults().withChunkSize(2048), 300);
        byte[] b = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.mcap");
        Files.write(cut, Arrays.copyOf(b, b.length * 2 / 3)); // somewhere inside a chunk
        try (McapReader r = McapReader.open(cut)) {
            assertTrue(r.summary().isEmpty(), "a cut file has no footer");
            assertThrowsMcap(r);
        }
        Path fixed = dir.resolve("fixed.mcap");
        McapRecovery.Report report = McapRecovery.recover(cut, fixed, McapWriter.Options.defaults());
        assertNotNull(report.problem(), "the report says why the original ended early");
        assertTrue(report.lostBytes() > 0 && report.keptBytes() + report.lostBytes() == b.length * 2 / 3, report.toString());
        McapLines read = new McapLines();
        try (McapReader r = McapReader.open(fixed)) {
            McapScan scan = r.read(read);
            assertTrue(scan.complete());
            McapSummary summary = r.summary().orElseThrow();
            assertEquals(report.messages(), summary.statistics().messageCount());
            assertEquals(3, summary.channels().size());
        }
        assertTrue(read.messages.size() > 100, "most messages survive: " + read.messages.size());
        assertEquals(wrote.messages.subList(0, read.messages.size()), read.messages, "the recovered messages are the first ones");
        assertEquals(report.messages(), read.messages.size());
    }

    @Test
    void shouldRecoverARecordingWhoseProcessWasKilled() throws Exception {
        Path file = dir.resolve("killed.mcap");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), RecordingChild.class.getName(),
                file.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long flushed = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                flushed = Long.parseLong(line.substring("flushed ".length()));
                if (flushed >= 2000) {
                    break;
                }
            }
            p.destroyForcibly(); // SIGKILL: no close, no footer, a partial chunk at the end
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the recording process ends when killed");
        } finally {
            p.destroyForcibly();
        }
        assertTrue(flushed >= 2000, "the child recorded before it was killed (it printed " + flushed + ")");
        try (McapReader r = McapReader.open(file)) {
            assertTrue(r.summary().isEmpty(), "killed before close: no summary");
        }
        Path fixed = dir.resolve("recovered.mcap");
        McapRecovery.Report report = McapRecovery.recover(file, fixed, McapWriter.Options.defaults());
        assertTrue(report.messages() >= flushed, "every message flushed before the kill survives: " + report);
        try (McapReader r = McapReader.open(fixed)) {
            McapLines read = new McapLines();
            assertTrue(r.read(read).complete());
            assertEquals(report.messages(), r.summary().orElseThrow().statistics().messageCount());
            for (int i = 0; i < read.messages.size(); i++) {
                String data = new String(Base64.getDecoder().decode(read.messages.get(i).split("\t")[5]),
                        StandardCharsets.UTF_8);
                assertEquals("{\"i\":" + i + "}", data, "message " + i + " is the one written, in order");
            }
        }
    }

    @Test
    void shouldFinishTheFileWhenTheWritingThreadIsInterrupted() throws IOException {
        // a tap's thread is interrupted when its tap closes, possibly in the middle of a write; a FileChannel
        // would close itself then (ClosedByInterruptException) and take the whole recording with it
        Path file = dir.resolve("interrupted.mcap");
        McapLines wrote;
        Thread.currentThread().interrupt();
        try {
            wrote = McapFixtures.write(file, McapWriter.Options.defaults().withChunkSize(2048), 300);
        } finally {
            assertTrue(Thread.interrupted(), "the writer leaves the thread's interrupt as it found it");
        }
        McapLines read = new McapLines();
        try (McapReader r = McapReader.open(file)) {
            r.read(read);
        }
        assertEquals(wrote.messages, read.messages);
        assertEquals(wrote.metadata, read.metadata);
    }

    @Test
    void shouldRefuseToOverwriteTheFileItRecovers() throws IOException {
        Path f = dir.resolve("x.mcap");
        McapFixtures.write(f, McapWriter.Options.defaults(), 3);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> McapRecovery.recover(f, f, McapWriter.Options.defaults()));
        assertTrue(e.getMessage().contains("output other than"), e.getMessage());
        assertFalse(Files.size(f) == 0, "the original is untouched");
    }

    private static void assertThrowsMcap(McapReader r) {
        McapException e = org.junit.jupiter.api.Assertions.assertThrows(McapException.class, () -> r.read(new McapLines()));
        assertTrue(e.getMessage().contains("cut short"), e.getMessage());
    }
}
