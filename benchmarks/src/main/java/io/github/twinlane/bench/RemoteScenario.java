package io.github.twinlane.bench;

import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.CpuPlan;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.NoCommand;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.aeron.AeronBridge;
import io.github.twinlane.aeron.BridgeConfig;
import io.github.twinlane.aeron.RemoteOptions;
import io.github.twinlane.aeron.Schemas;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.video.VideoFrame;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Scenario 7: a device in another process. Command→telemetry round trips at 1 kHz through the Aeron
 * bridge (IPC and UDP loopback) against the same exchange over a plain TCP socket, and 1080p frames
 * per second across each transport.
 */
final class RemoteScenario {
    private static final long PERIOD = 1_000_000;

    private RemoteScenario() {
    }

    /** A {@link RemotePeer} in its own JVM; closing its stdin ends it. */
    static final class Far implements AutoCloseable {
        final Process process;

        Far(String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx1g",
                    "-cp", System.getProperty("java.class.path"), RemotePeer.class.getName()));
            cmd.addAll(List.of(args));
            process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null && !line.equals("READY")) {
                // log lines before READY
            }
            if (line == null) {
                throw new IOException("the far process " + String.join(" ", args) + " exited before it was ready");
            }
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String udpSpec() throws IOException {
        try (DatagramSocket a = new DatagramSocket(0); DatagramSocket b = new DatagramSocket(0)) {
            return "udp:" + a.getLocalPort() + ":" + b.getLocalPort();
        }
    }

    static Histogram tcpRoundTrip(Settings s) throws Exception {
        int port = freePort();
        Recorder rtt = new Recorder(10_000_000_000L, 3);
        try (Far far = new Far("tcp-echo", Integer.toString(port)); Socket sock = new Socket("127.0.0.1", port)) {
            sock.setTcpNoDelay(true);
            DataOutputStream out = new DataOutputStream(sock.getOutputStream());
            DataInputStream in = new DataInputStream(sock.getInputStream());
            Thread reader = new Thread(() -> {
                byte[] reply = new byte[48];
                try {
                    while (true) {
                        in.readFully(reply);
                        long sent = Bytes.getLong(reply, 40);
                        rtt.recordValueWithExpectedInterval(Math.max(0, System.nanoTime() - sent), PERIOD);
                    }
                } catch (IOException closed) {
                    // the trial is over
                }
            }, "tcp-reader");
            reader.setDaemon(true);
            reader.start();
            long[] seq = {0};
            SerialScenario.pace(s, rtt, t -> {
                try {
                    out.writeLong(++seq[0]);
                    out.writeDouble(1.0);
                    out.writeLong(t);
                    out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            LockSupport.parkNanos(20_000_000L);
        }
        return rtt.getIntervalHistogram();
    }

    static Histogram aeronRoundTrip(Settings s, boolean ipc) throws Exception {
        Path dir = ipc ? Files.createTempDirectory("twinlane-bench-aeron") : null;
        String spec = ipc ? "ipc:" + dir : udpSpec();
        Recorder rtt = new Recorder(10_000_000_000L, 3);
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            AeronBridge bridge = AeronBridge.launch(rt, ipc ? BridgeConfig.embedded(dir) : BridgeConfig.embedded());
            try (Far far = new Far("aeron-echo", spec, "100")) {
                AtomicLong lastSeq = new AtomicLong();
                DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("remote-echo")
                                .dataPolicy(BackpressurePolicy.DROP_OLDEST).commandPolicy(BackpressurePolicy.DROP_OLDEST)
                                .capacity(64).build(),
                        bridge.remote("remote-echo", RemotePeer.link(spec, 100), Schemas.motor(), RemoteOptions.defaults()
                                .connectTimeout(java.time.Duration.ofSeconds(10))),
                        (t, at) -> {
                            if (t.lastCommandSequence > lastSeq.get()) {
                                lastSeq.set(t.lastCommandSequence);
                                rtt.recordValueWithExpectedInterval(Math.max(0, System.nanoTime()
                                        - t.lastCommandSentNanos), PERIOD);
                            }
                        });
                IsolationScenario.awaitOpen(drive.state()::toString, () -> drive.state() == ChannelState.OPEN);
                MotorCommand cmd = new MotorCommand();
                long[] seq = {0};
                SerialScenario.pace(s, rtt, t -> {
                    cmd.sequence = ++seq[0];
                    cmd.velocity = 1.0;
                    cmd.sentNanos = t;
                    drive.send(cmd);
                });
                LockSupport.parkNanos(20_000_000L);
            }
        }
        return rtt.getIntervalHistogram();
    }

    static Histogram rawAeronRoundTrip(Settings s, boolean ipc) throws Exception {
        Path dir = ipc ? Files.createTempDirectory("twinlane-bench-raw") : null;
        String spec = ipc ? "ipc:" + dir : udpSpec();
        Recorder rtt = new Recorder(10_000_000_000L, 3);
        try (RawAeron raw = new RawAeron(dir, false); Far far = new Far("raw-aeron-echo", spec, "300");
             RawAeron.Client client = raw.new Client(RemotePeer.link(spec, 300),
                     nanos -> rtt.recordValueWithExpectedInterval(Math.max(0, nanos), PERIOD))) {
            IsolationScenario.awaitOpen(() -> "raw Aeron client connecting", client::connected);
            long[] seq = {0};
            SerialScenario.pace(s, rtt, t -> client.send(++seq[0], t));
            LockSupport.parkNanos(20_000_000L);
        }
        return rtt.getIntervalHistogram();
    }

    /** Frames per second received over TCP from a far process writing 1080p BGR frames as fast as it can. */
    static double tcpFrames(Settings s) throws Exception {
        int port = freePort();
        try (Far far = new Far("tcp-frames", Integer.toString(port)); Socket sock = new Socket("127.0.0.1", port)) {
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(sock.getInputStream(), 1 << 16));
            byte[] frame = new byte[RemotePeer.FRAME_BYTES];
            long warmEnd = System.nanoTime() + s.warmup().toNanos();
            long count = 0;
            long from = 0;
            long end = Long.MAX_VALUE;
            while (true) {
                in.readLong();
                int len = in.readInt();
                in.readFully(frame, 0, len);
                long now = System.nanoTime();
                if (from == 0 && now - warmEnd >= 0) {
                    from = now;
                    end = now + s.trial().toNanos();
                } else if (from != 0) {
                    count++;
                    if (now - end >= 0) {
                        return count / ((now - from) / 1e9);
                    }
                }
            }
        }
    }

    static double aeronFrames(Settings s, boolean ipc) throws Exception {
        Path dir = ipc ? Files.createTempDirectory("twinlane-bench-aeron") : null;
        String spec = ipc ? "ipc:" + dir : udpSpec();
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            AeronBridge bridge = AeronBridge.launch(rt, ipc ? BridgeConfig.embedded(dir) : BridgeConfig.embedded());
            try (Far far = new Far("aeron-frames", spec, "200")) {
                AtomicLong frames = new AtomicLong();
                DeviceChannel<NoCommand, VideoFrame> cam = rt.open(ChannelConfig.slow("remote-frames").capacity(2).build(),
                        bridge.remote("remote-frames", RemotePeer.link(spec, 200), Schemas.video(RemotePeer.FRAME_BYTES),
                                RemoteOptions.defaults().connectTimeout(java.time.Duration.ofSeconds(10))),
                        (f, at) -> frames.incrementAndGet());
                IsolationScenario.awaitOpen(cam.state()::toString, () -> cam.state() == ChannelState.OPEN);
                LockSupport.parkNanos(s.warmup().toNanos());
                long c0 = cam.stats().dataReceived();
                long t0 = System.nanoTime();
                LockSupport.parkNanos(s.trial().toNanos());
                long c1 = cam.stats().dataReceived();
                long t1 = System.nanoTime();
                return (c1 - c0) / ((t1 - t0) / 1e9);
            }
        }
    }

    static void run(Settings s, Report r) throws Exception {
        r.section("7. A device in another process (Aeron bridge)");
        r.para("Command→telemetry round trip at 1,000 commands a second between two JVMs on this machine: the far "
                + "process owns an echo drive (telemetry echoing each command at once), reached through the Aeron "
                + "bridge over IPC (one media driver) or UDP loopback (one embedded driver each), against the same "
                + "24-byte command / 48-byte reply over a plain TCP socket (TCP_NODELAY, a blocking reader thread). "
                + "Both twinlane ends are fast-lane channels (reader, dispatcher and writer threads) and the far side "
                + "adds the export's two (its I/O thread takes commands in; its tap thread offers data to Aeron), so a "
                + "round trip crosses seven thread hand-offs over IPC and eleven "
                + "over UDP (Aeron's driver threads, each way) against TCP's two. "
                + "CPU plan off; corrected for coordinated omission.");
        Trials[] tcp = trials();
        Trials[] ipc = trials();
        Trials[] udp = trials();
        Trials[] rawIpc = trials();
        Trials[] rawUdp = trials();
        for (int i = 0; i < s.trials(); i++) {
            BenchmarkSuite.progress("remote", "TCP round trip trial " + (i + 1) + "/" + s.trials());
            add(tcp, tcpRoundTrip(s));
            BenchmarkSuite.progress("remote", "Aeron IPC round trip trial " + (i + 1) + "/" + s.trials());
            add(ipc, aeronRoundTrip(s, true));
            BenchmarkSuite.progress("remote", "Aeron UDP round trip trial " + (i + 1) + "/" + s.trials());
            add(udp, aeronRoundTrip(s, false));
            BenchmarkSuite.progress("remote", "bare Aeron IPC round trip trial " + (i + 1) + "/" + s.trials());
            add(rawIpc, rawAeronRoundTrip(s, true));
            BenchmarkSuite.progress("remote", "bare Aeron UDP round trip trial " + (i + 1) + "/" + s.trials());
            add(rawUdp, rawAeronRoundTrip(s, false));
        }
        r.table(List.of("transport", "p50", "p99", "p99.9", "max", "p50 / TCP", "p99 / TCP",
                "p50 / bare Aeron, same transport"), List.of(
                row("twinlane over Aeron IPC", ipc, tcp, Report.ratio(Trials.medianRatio(ipc[0], rawIpc[0]), 1)),
                row("twinlane over Aeron UDP loopback", udp, tcp, Report.ratio(Trials.medianRatio(udp[0], rawUdp[0]), 1)),
                row("bare Aeron IPC, one polling thread a side", rawIpc, tcp, "1.00×"),
                row("bare Aeron UDP loopback, one polling thread a side", rawUdp, tcp, "1.00×"),
                row("plain TCP socket (baseline)", tcp, tcp, "–")));
        r.para("Contenders run interleaved trial by trial; every ratio is taken per trial pair, then the median.");
        r.para("The bare Aeron rows run the same exchange with no twinlane channel: one thread a side polling with "
                + "the bridge's backoff (1 to 100 µs parks) and a driver configured like the bridge's. The gap between "
                + "them and the twinlane rows is the cost of the channels' own thread hand-offs.");
        r.para("1080p BGR frames (6.2 MB) per second delivered across, the far process producing them as fast as it "
                + "can (frames the receiver cannot take are conflated away: newest wins), over each transport.");
        Trials fIpc = new Trials();
        Trials fUdp = new Trials();
        Trials fTcp = new Trials();
        for (int i = 0; i < s.trials(); i++) {
            BenchmarkSuite.progress("remote", "1080p frames over TCP trial " + (i + 1) + "/" + s.trials());
            fTcp.add(tcpFrames(s));
            BenchmarkSuite.progress("remote", "1080p frames over Aeron IPC trial " + (i + 1) + "/" + s.trials());
            fIpc.add(aeronFrames(s, true));
            BenchmarkSuite.progress("remote", "1080p frames over Aeron UDP trial " + (i + 1) + "/" + s.trials());
            fUdp.add(aeronFrames(s, false));
        }
        double mb = RemotePeer.FRAME_BYTES / 1e6;
        r.table(List.of("transport", "frames/s", "MB/s", "ratio to TCP"), List.of(
                List.of("twinlane over Aeron IPC", Report.num(fIpc), Report.num(fIpc.median() * mb),
                        Report.ratio(Trials.medianRatio(fIpc, fTcp), 1)),
                List.of("twinlane over Aeron UDP loopback", Report.num(fUdp), Report.num(fUdp.median() * mb),
                        Report.ratio(Trials.medianRatio(fUdp, fTcp), 1)),
                List.of("plain TCP socket (baseline)", Report.num(fTcp), Report.num(fTcp.median() * mb), "1.00×")));
        r.target("remote", "1080p frames/s over Aeron UDP loopback, at least one camera's 30", fUdp.median(), 30, false);
        r.target("remote", "command→telemetry p50, twinlane / bare Aeron over IPC (per trial pair)",
                Trials.medianRatio(ipc[0], rawIpc[0]), 1.3, true);
        r.target("remote", "command→telemetry p50, twinlane / bare Aeron over UDP loopback (per trial pair)",
                Trials.medianRatio(udp[0], rawUdp[0]), 1.3, true);
        r.target("remote", "1080p frames/s across processes, twinlane over Aeron IPC / plain TCP (per trial pair)",
                Trials.medianRatio(fIpc, fTcp), 0.8, false);
        r.target("remote", "1080p frames/s across processes, twinlane over Aeron UDP loopback / plain TCP (per trial pair)",
                Trials.medianRatio(fUdp, fTcp), 0.8, false);
    }

    private static Trials[] trials() {
        return new Trials[] {new Trials(), new Trials(), new Trials(), new Trials()};
    }

    private static void add(Trials[] t, Histogram h) {
        t[0].add(h.getValueAtPercentile(50));
        t[1].add(h.getValueAtPercentile(99));
        t[2].add(h.getValueAtPercentile(99.9));
        t[3].add(h.getMaxValue());
    }

    private static List<String> row(String name, Trials[] t, Trials[] base, String toBare) {
        return List.of(name, Report.us(t[0]), Report.us(t[1]), Report.us(t[2]), Report.us(t[3]),
                Report.ratio(Trials.medianRatio(t[0], base[0]), 1), Report.ratio(Trials.medianRatio(t[1], base[1]), 1),
                toBare);
    }
}
