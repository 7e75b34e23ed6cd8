package io.github.twinlane.bench;

import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.ChannelConfig;
import io.github.twinlane.CpuPlan;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.NoCommand;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.aeron.AeronBridge;
import io.github.twinlane.aeron.BridgeConfig;
import io.github.twinlane.aeron.ExportOptions;
import io.github.twinlane.aeron.Link;
import io.github.twinlane.aeron.Schemas;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.spi.AbstractDeviceDriver;
import io.github.twinlane.spi.ReadMode;
import io.github.twinlane.video.PixelFormat;
import io.github.twinlane.video.VideoFrame;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * The far process of the remote scenario: an echo drive or a 1080p frame source, reached over TCP
 * or exported over Aeron. Prints {@code READY} when it can be reached; runs until its stdin closes.
 *
 * <p>Usage: {@code tcp-echo PORT | tcp-frames PORT | aeron-echo LINK STREAM | aeron-frames LINK STREAM |
 * raw-aeron-echo LINK STREAM},
 * where LINK is {@code udp:DATA_PORT:COMMAND_PORT} or {@code ipc:DIR} (a media driver the parent runs).
 */
public final class RemotePeer {
    static final int W = 1920;
    static final int H = 1080;
    static final int FRAME_BYTES = W * H * 3;

    private RemotePeer() {
    }

    public static void main(String[] args) throws Exception {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent holds stdin open while it wants us
                }
            } catch (IOException ignored) {
                // the parent is gone either way
            }
            System.exit(0);
        }, "stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();
        switch (args[0]) {
            case "tcp-echo" -> tcpEcho(Integer.parseInt(args[1]));
            case "tcp-frames" -> tcpFrames(Integer.parseInt(args[1]));
            case "aeron-echo", "aeron-frames" -> {
                aeron(args[0], args[1], Integer.parseInt(args[2]));
                watcher.join(); // serves on the runtime's threads until the parent closes our stdin
            }
            case "raw-aeron-echo" -> rawEcho(args[1], Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
    }

    static Link link(String spec, int stream) {
        if (spec.startsWith("ipc:")) {
            return Link.ipc(stream);
        }
        String[] p = spec.split(":");
        return Link.udp("127.0.0.1:" + p[1], "127.0.0.1:" + p[2], stream);
    }

    static BridgeConfig bridgeConfig(String spec) {
        return spec.startsWith("ipc:") ? BridgeConfig.externalDriver(Path.of(spec.substring(4)))
                : BridgeConfig.embedded();
    }

    /** 24-byte command in (sequence, velocity, sent-at), 48-byte telemetry out echoing it: the drive's sizes. */
    private static void tcpEcho(int port) throws IOException {
        try (ServerSocket server = new ServerSocket(port)) {
            System.out.println("READY");
            System.out.flush();
            try (Socket s = server.accept()) {
                s.setTcpNoDelay(true);
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                byte[] reply = new byte[48];
                ByteBuffer r = ByteBuffer.wrap(reply);
                while (true) {
                    long seq = in.readLong();
                    in.readDouble();
                    long sent = in.readLong();
                    r.clear();
                    r.putLong(seq).putDouble(0).putDouble(0).putDouble(0).putLong(seq).putLong(sent);
                    out.write(reply);
                    out.flush();
                }
            }
        }
    }

    private static void tcpFrames(int port) throws IOException {
        byte[] frame = new byte[FRAME_BYTES];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (byte) i;
        }
        try (ServerSocket server = new ServerSocket(port)) {
            System.out.println("READY");
            System.out.flush();
            try (Socket s = server.accept()) {
                DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(s.getOutputStream(),
                        1 << 16));
                for (long seq = 1; ; seq++) {
                    out.writeLong(seq);
                    out.writeInt(frame.length);
                    out.write(frame);
                }
            }
        }
    }

    private static void aeron(String role, String spec, int stream) throws Exception {
        TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build();
        AeronBridge bridge = AeronBridge.launch(rt, bridgeConfig(spec));
        if (role.equals("aeron-echo")) {
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("echo")
                    .dataPolicy(BackpressurePolicy.DROP_OLDEST).commandPolicy(BackpressurePolicy.DROP_OLDEST)
                    .capacity(64).build(), new EchoDrive());
            bridge.export(drive, link(spec, stream), Schemas.motor(), ExportOptions.defaults().acceptCommands(true)
                    .policy(BackpressurePolicy.DROP_OLDEST).capacity(64));
        } else {
            DeviceChannel<NoCommand, VideoFrame> cam = rt.open(ChannelConfig.slow("blast").capacity(2).build(),
                    new BlastCamera());
            bridge.export(cam, link(spec, stream), Schemas.video(FRAME_BYTES), ExportOptions.defaults().capacity(2));
        }
        System.out.println("READY");
        System.out.flush();
    }

    private static void rawEcho(String spec, int stream) {
        try (RawAeron raw = new RawAeron(spec.startsWith("ipc:") ? Path.of(spec.substring(4)) : null,
                spec.startsWith("ipc:"))) {
            System.out.println("READY");
            System.out.flush();
            raw.echo(link(spec, stream), new java.util.concurrent.atomic.AtomicBoolean(true));
        }
    }

    /** Answers each command at once with telemetry echoing it. */
    static final class EchoDrive extends AbstractDeviceDriver<MotorCommand, MotorTelemetry> {
        private final MotorCommand pending = new MotorCommand();
        private volatile boolean fresh;
        private volatile Thread reader;
        private volatile boolean closed;

        EchoDrive() {
            super("echo-drive", MotorCommand.TYPE, MotorTelemetry.TYPE, ReadMode.BLOCKING);
        }

        @Override
        public void open() {
            closed = false;
        }

        @Override
        public boolean read(MotorTelemetry into) throws IOException {
            reader = Thread.currentThread();
            if (closed) {
                throw new InterruptedIOException("closed");
            }
            if (!fresh) {
                LockSupport.parkNanos(1_000_000);
                return false;
            }
            synchronized (pending) {
                into.sequence = pending.sequence;
                into.lastCommandSequence = pending.sequence;
                into.lastCommandSentNanos = pending.sentNanos;
                into.setpoint = pending.velocity;
                fresh = false;
            }
            return true;
        }

        @Override
        public void write(MotorCommand command) {
            synchronized (pending) {
                command.copyTo(pending);
                fresh = true;
            }
            Thread r = reader;
            if (r != null) {
                LockSupport.unpark(r);
            }
        }

        @Override
        public void close() {
            closed = true;
            Thread r = reader;
            if (r != null) {
                LockSupport.unpark(r);
            }
        }
    }

    /** A 1080p BGR camera with no frame rate: a new frame on every read, pixels written once. */
    static final class BlastCamera extends AbstractDeviceDriver<NoCommand, VideoFrame> {
        private final VideoFrame frame = new VideoFrame(FRAME_BYTES);
        private long seq;

        BlastCamera() {
            super("blast-camera", NoCommand.TYPE, VideoFrame.type(FRAME_BYTES), ReadMode.BLOCKING);
            ByteBuffer px = frame.prepare(W, H, W * 3, PixelFormat.BGR24);
            for (int i = 0; i < px.limit(); i++) {
                px.put(i, (byte) i);
            }
        }

        @Override
        public void open() {
        }

        @Override
        public boolean read(VideoFrame into) {
            frame.stamp(++seq, System.nanoTime(), 0);
            frame.copyTo(into);
            return true;
        }

        @Override
        public void write(NoCommand command) {
        }

        @Override
        public void close() {
        }
    }
}
