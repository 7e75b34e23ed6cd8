package io.github.twinlane.bench;

import com.fazecast.jSerialComm.SerialPort;
import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.CpuPlan;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.serial.SerialConfig;
import io.github.twinlane.serial.SerialFrame;
import io.github.twinlane.serial.SerialPortDriver;
import io.github.twinlane.serial.codec.FrameDecoder;
import io.github.twinlane.serial.codec.LengthCrcCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Scenario 5a: command to reply through a kernel pty pair: a fast-lane channel against a bare jSerialComm loop. */
final class SerialScenario {
    private static final long PERIOD = 1_000_000;

    private SerialScenario() {
    }

    /** Paces requests at 1 kHz for warm-up plus a trial; {@code send} returns when the request is out. */
    static void pace(Settings s, Recorder rtt, java.util.function.LongConsumer send) {
        long start = System.nanoTime();
        long from = start + s.warmup().toNanos();
        long end = from + s.trial().toNanos();
        long next = start;
        boolean reset = false;
        while (next - end < 0) {
            long now;
            while ((now = System.nanoTime()) - next < 0) {
                LockSupport.parkNanos(next - now);
            }
            if (!reset && now - from >= 0) {
                rtt.reset();
                reset = true;
            }
            send.accept(System.nanoTime());
            next += PERIOD;
            long lag = System.nanoTime() - next;
            if (lag > PERIOD) {
                next += (lag / PERIOD) * PERIOD;
            }
        }
    }

    static Histogram channel(Settings s, Path dir) throws Exception {
        Recorder rtt = new Recorder(10_000_000_000L, 3);
        try (Pty pty = new Pty(dir.resolve("serial-ch")); TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            DeviceChannel<SerialFrame, SerialFrame> ch = rt.open(ChannelConfig.fast("serial").dataPolicy(BackpressurePolicy.BLOCK)
                            .build(), SerialPortDriver.blocking(SerialConfig.path(pty.a.toString()).build(), new LengthCrcCodec(32)),
                    (f, at) -> rtt.recordValueWithExpectedInterval(Math.max(0, System.nanoTime()
                            - Bytes.getLong(f.data(), 0)), PERIOD));
            IsolationScenario.awaitOpen(ch.state()::toString, () -> ch.state() == ChannelState.OPEN);
            SerialFrame out = new SerialFrame(32);
            byte[] payload = new byte[8];
            pace(s, rtt, t -> {
                Bytes.putLong(payload, 0, t);
                ch.send(out.set(payload, 0, 8));
            });
            LockSupport.parkNanos(20_000_000L);
        }
        return rtt.getIntervalHistogram();
    }

    static Histogram bare(Settings s, Path dir) throws Exception {
        Recorder rtt = new Recorder(10_000_000_000L, 3);
        LengthCrcCodec codec = new LengthCrcCodec(32);
        try (Pty pty = new Pty(dir.resolve("serial-bare"))) {
            SerialPort p = SerialPort.getCommPort(pty.a.toString());
            p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 100, 0);
            p.openPort();
            FrameDecoder dec = codec.newDecoder();
            byte[] in = new byte[256];
            byte[] payload = new byte[8];
            byte[] frame = new byte[codec.maxEncodedLength(8)];
            boolean[] got = new boolean[1];
            pace(s, rtt, t -> {
                Bytes.putLong(payload, 0, t);
                p.writeBytes(frame, codec.encode(payload, 0, 8, frame, 0));
                got[0] = false;
                while (!got[0]) { // the plain design: write, then block until the reply
                    int n = p.readBytes(in, in.length);
                    if (n <= 0) {
                        return;
                    }
                    dec.decode(in, 0, n, (b, off, len) -> {
                        rtt.recordValueWithExpectedInterval(Math.max(0, System.nanoTime()
                                - Bytes.getLong(b, off)), PERIOD);
                        got[0] = true;
                    });
                }
            });
            p.closePort();
        }
        return rtt.getIntervalHistogram();
    }

    static void run(Settings s, Report r) throws Exception {
        r.section("5a. Serial command→reply round trip");
        if (!Pty.available()) {
            r.para("Not measured: kernel ptys need Linux.");
            return;
        }
        r.para("1,000 requests a second through a kernel pty pair to an echo peer (a JNA pty in this JVM, "
                + "jSerialComm on the driver's end, "
                + "8-byte payloads in length+CRC frames): a fast-lane channel (send → writer thread → port; reader thread → "
                + "dispatcher → handler) against a bare jSerialComm loop on one thread (write, then a blocking read until "
                + "the reply). CPU plan off for both; corrected for coordinated omission.");
        Path dir = Files.createTempDirectory("twinlane-serial");
        Trials[] ch = {new Trials(), new Trials(), new Trials()};
        Trials[] bare = {new Trials(), new Trials(), new Trials()};
        for (int i = 0; i < s.trials(); i++) {
            BenchmarkSuite.progress("serial", "DeviceChannel trial " + (i + 1) + "/" + s.trials());
            add(ch, channel(s, dir));
            BenchmarkSuite.progress("serial", "bare jSerialComm loop trial " + (i + 1) + "/" + s.trials());
            add(bare, bare(s, dir));
        }
        r.table(List.of("contender", "p50", "p99", "max", "p50 ratio", "p99 ratio"), List.of(
                List.of("DeviceChannel (fast lane)", Report.us(ch[0]), Report.us(ch[1]), Report.us(ch[2]),
                        Report.ratio(ch[0].median(), bare[0].median()), Report.ratio(ch[1].median(), bare[1].median())),
                List.of("bare jSerialComm loop", Report.us(bare[0]), Report.us(bare[1]), Report.us(bare[2]), "1.00×", "1.00×")));
        r.target("serial", "DeviceChannel p50 / bare loop p50", ch[0].median() / bare[0].median(), 1.2, true);
        r.target("serial", "DeviceChannel p99 / bare loop p99", ch[1].median() / bare[1].median(), 1.5, true);
    }

    private static void add(Trials[] t, Histogram h) {
        t[0].add(h.getValueAtPercentile(50));
        t[1].add(h.getValueAtPercentile(99));
        t[2].add(h.getMaxValue());
    }
}
