package io.github.twinlane.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.test.Capture;
import io.github.twinlane.test.NullModem;
import io.github.twinlane.test.Pty;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TwoLaneRobotTest {

    private static String run(String... args) throws Exception {
        return Capture.stdout(TwoLaneRobot::main, args);
    }

    private static long number(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertTrue(m.find(), "no match for " + regex + " in\n" + out);
        return Long.parseLong(m.group(1));
    }

    @Test
    void shouldPrintOneRowASecondAndASummaryWithTheLaneTable() throws Exception {
        String out = run("--duration", "2", "--cameras", "2", "--camera-cost", "1");
        assertTrue(out.contains("two-lane, drive placed IN_LOOP mode"), "the control loop reads and writes the drive: " + out);
        assertTrue(out.contains("loop p50"), out);
        assertTrue(Pattern.compile("(?m)^\\s+1 \\|").matcher(out).find(), "a row for second 1");
        assertTrue(Pattern.compile("(?m)^\\s+2 \\|").matcher(out).find(), "a row for second 2");
        assertTrue(number(out, "control loop: (\\d+) deadlines") > 0, "the loop ran");
        assertTrue(out.contains("command round trip: p50"), "round trips were measured");
        assertTrue(out.contains("control loop spin lead "), "the demo says how its loop waits: " + out);
        assertTrue(Pattern.compile("frames/s in all over \\d+\\.\\d s measured").matcher(out).find(),
                "frames/s divides by the measured run time, and says so");
        assertTrue(out.contains("cam1"), "the lane table lists every channel");
        assertTrue(out.contains("drive"), out);
    }

    @Test
    void shouldRunTheDriveOnThreadsOfItsOwnWhenAsked() throws Exception {
        String out = run("--duration", "1", "--cameras", "1", "--camera-cost", "1", "--placement", "scheduler");
        assertTrue(out.contains("two-lane, drive placed SCHEDULER mode"), out);
        assertTrue(out.contains("command round trip: p50"), "round trips were measured: " + out);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TwoLaneRobot.main(new String[] {"--placement", "sideways"}));
        assertEquals("--placement must be in-loop or scheduler, was sideways", e.getMessage());
    }

    @Test
    void shouldRecordTheDriveIntoAnMcapFileThatReadsBack(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("demo.mcap");
        String out = run("--duration", "2", "--cameras", "1", "--camera-cost", "1", "--record", file.toString(),
                "--black-box", dir.resolve("bb").toString());
        long written = number(out, "recorded (\\d+) value\\(s\\)");
        assertTrue(written > 1000, "two seconds of 1 kHz telemetry and commands: " + out);
        assertTrue(out.contains("exec:java -Dexec.mainClass=io.github.twinlane.record.cli.McapTool -Dexec.args=\"info "
                + file + "\""), "the demo says how to look at it: " + out);
        try (io.github.twinlane.record.mcap.McapReader r = io.github.twinlane.record.mcap.McapReader.open(file)) {
            var summary = r.summary().orElseThrow();
            assertEquals(written, summary.statistics().messageCount());
            assertEquals(java.util.List.of("/drive/data", "/drive/commands", "/twinlane/events", "/loop/control/cycles",
                    "/loop/control/in/drive", "/loop/control/out/drive"),
                    summary.channels().stream().map(io.github.twinlane.record.mcap.McapChannel::topic).toList());
        }
        // the ReplayLoop template: the demo's controller replays exactly; a changed gain diverges
        String same = Capture.stdout(ReplayLoop::main, file.toString());
        assertTrue(same.contains("no divergence: every cycle sent exactly the recorded commands"), same);
        String changed = Capture.stdout(ReplayLoop::main, file.toString(), "--gain", "0.6");
        assertTrue(changed.contains("DIVERGES at cycle "), changed);
        assertTrue(changed.contains(", channel drive: recorded {\"sequence\":"), changed);
    }

    @Test
    void shouldRunTheSameDevicesOnASharedPoolInNaiveMode() throws Exception {
        String out = run("--duration", "2", "--cameras", "2", "--camera-cost", "1", "--naive");
        assertTrue(out.contains("NAIVE shared-pool mode"), out);
        assertTrue(number(out, "control loop: (\\d+) deadlines") > 0, out);
        assertTrue(out.contains("=== summary (naive) ==="), out);
    }

    @Test
    void shouldDriveARealSerialPortWithRealCamerasSwitchedForSimulatedOnes(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        try (NullModem cable = NullModem.open(dir); DrivePeer peer = new DrivePeer(cable.b().toString(), 115_200, 500)) {
            String out = run("--duration", "2", "--port", cable.a().toString(), "--cameras", "1", "--camera-cost", "1");
            assertTrue(out.contains("1 kHz control loop on " + cable.a()), out);
            assertTrue(number(out, "control loop: (\\d+) deadlines") > 0, out);
            assertTrue(out.contains("command round trip: p50"), "the drive echoed commands: " + out);
            assertTrue(peer.commands() > 0, "commands reached the serial drive");
            assertEquals(0, peer.rejected(), "every command line the drive got was well formed");
        }
    }

    @Test
    void shouldRejectBadArgumentsNamingTheOptionAndRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TwoLaneRobot.main(new String[] {"--duration", "0"}));
        assertTrue(e.getMessage().contains("--duration must be from 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TwoLaneRobot.main(new String[] {"--fast"}));
        assertTrue(e.getMessage().contains("unknown option --fast"), e.getMessage());
    }

    private static java.util.List<String> cells(String row) {
        return java.util.List.of(row.replace("|", " ").trim().split("\\s+"));
    }

    @Test
    void shouldShowTheCauseInTheSummaryWhenTheDriveAnswersGarbage(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (Pty pty = Pty.open(dir.resolve("tty"))) {
            java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread garbage = new Thread(() -> { // a peer that echoes nothing a drive would say
                byte[] in = new byte[256];
                while (running.get() && pty.read(in, 0, in.length, java.time.Duration.ofMillis(2)) >= 0) {
                    pty.writeAscii("?? not telemetry ??\n");
                }
            }, "garbage-peer");
            garbage.start();
            String out;
            try {
                out = run("--duration", "2", "--port", pty.link().toString(), "--cameras", "1", "--camera-cost", "1");
            } finally {
                running.set(false);
                garbage.join();
            }
            String header = out.lines().filter(l -> l.startsWith("CHANNEL")).findFirst().orElseThrow()
                    .replace("AGE p99", "AGE_p99");
            java.util.List<String> h = cells(header);
            java.util.List<String> drive = cells(out.lines().filter(l -> l.startsWith("drive ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no drive row in\n" + out)));
            assertTrue(Long.parseLong(drive.get(h.indexOf("CORRUPT"))) > 0, "corrupt replies are counted in the summary:\n" + out);
            assertEquals("0", drive.get(h.indexOf("DELIVERED")), "none of them reached the loop:\n" + out);
        }
    }

    @Test
    void shouldPrintTheSerialPreflightsFindingForAPortThatDoesNotExist(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String missing = dir.resolve("ttyNothere").toString();
        String out = run("--duration", "1", "--port", missing, "--cameras", "1", "--camera-cost", "1");
        assertTrue(out.contains("serial preflight ERROR: port " + missing + " does not exist"), out);
        String header = out.lines().filter(l -> l.startsWith("CHANNEL")).findFirst().orElseThrow()
                .replace("AGE p99", "AGE_p99");
        java.util.List<String> h = cells(header);
        java.util.List<String> drive = cells(out.lines().filter(l -> l.startsWith("drive ")).findFirst().orElseThrow());
        // the drive never opened: nothing read, nothing written, every command the loop sent dropped and counted
        // (its STATE is CLOSED: the summary comes after the control loop, which closes the drive it reads)
        assertEquals("0", drive.get(h.indexOf("READ")), out);
        assertEquals("0", drive.get(h.indexOf("WRITTEN")), out);
        assertTrue(Long.parseLong(drive.get(h.indexOf("SENT"))) > 0, out);
        assertEquals(drive.get(h.indexOf("SENT")), drive.get(h.indexOf("DROPPED")), "the summary shows the drive never opened:\n" + out);
    }
}
