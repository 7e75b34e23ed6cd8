package io.github.twinlane.serial;

import com.fazecast.jSerialComm.SerialPort;
import io.github.twinlane.serial.codec.DecoderStats;
import io.github.twinlane.serial.codec.FrameDecoder;
import io.github.twinlane.serial.codec.FramingCodec;
import io.github.twinlane.serial.internal.Ports;
import io.github.twinlane.spi.CorruptDataException;
import io.github.twinlane.spi.AbstractDeviceDriver;
import io.github.twinlane.spi.ReadMode;
import java.io.IOException;

/**
 * A serial port as a twinlane device: frames in and out through a {@link FramingCodec}, bytes
 * through jSerialComm (whose types stay inside this class).
 *
 * <p>{@link #blocking} reads block up to the configured read timeout, on a fast channel's own reader
 * thread. {@link #nonBlocking} reads never block: for a slow-lane loop thread that multiplexes many
 * ports, or a fast channel placed {@link io.github.twinlane.Placement#IN_LOOP} in its control loop. Every (re)open resolves the port again, by path or by USB
 * identity, and re-applies every setting. A path is opened only if it exists and jSerialComm opens that
 * very file: a missing path is never opened as another device of the same name under {@code /dev}
 * (see {@link SerialPreflight#checkResolved}). Allocates nothing per frame.
 */
public final class SerialPortDriver extends AbstractDeviceDriver<SerialFrame, SerialFrame> {
    private static final int QUEUE = 256;

    private final SerialConfig config;
    private final FramingCodec codec;
    private final ReadMode mode;
    private final FrameDecoder decoder;
    private final byte[] readBuf = new byte[QUEUE];
    private final byte[] writeBuf;
    private final SerialFrame[] queue = new SerialFrame[QUEUE + 1];
    private int head;
    private int tail;
    private long badSeen;
    private final io.github.twinlane.serial.codec.FrameSink enqueue = this::enqueue; // once: a method ref per read allocates
    private volatile SerialPort port;

    private SerialPortDriver(SerialConfig config, FramingCodec codec, ReadMode mode) {
        super(java.util.Objects.requireNonNull(config, "config").describe(),
                SerialFrame.type(java.util.Objects.requireNonNull(codec, "codec").maxFrame()),
                SerialFrame.type(codec.maxFrame()), mode);
        this.config = config;
        this.codec = codec;
        this.mode = mode;
        this.decoder = codec.newDecoder();
        this.writeBuf = new byte[codec.maxEncodedLength(codec.maxFrame())];
        for (int i = 0; i < queue.length; i++) {
            queue[i] = new SerialFrame(codec.maxFrame());
        }
    }

    /**
     * A driver whose reads block up to the read timeout: for a fast-lane channel with a reader thread
     * of its own (the default placement).
     *
     * @param config the port
     * @param codec the framing
     * @return the driver
     */
    public static SerialPortDriver blocking(SerialConfig config, FramingCodec codec) {
        return new SerialPortDriver(config, codec, ReadMode.BLOCKING);
    }

    /**
     * A driver whose reads never block: for a slow-lane channel sharing a loop thread, or a fast
     * channel placed in the periodic loop that drives it.
     *
     * @param config the port
     * @param codec the framing
     * @return the driver
     */
    public static SerialPortDriver nonBlocking(SerialConfig config, FramingCodec codec) {
        return new SerialPortDriver(config, codec, ReadMode.NON_BLOCKING);
    }

    @Override
    public void open() throws IOException {
        SerialPort p = mode == ReadMode.BLOCKING
                ? Ports.open(config, SerialPort.TIMEOUT_READ_SEMI_BLOCKING, (int) config.readTimeout().toMillis())
                : Ports.open(config, SerialPort.TIMEOUT_NONBLOCKING, 0);
        decoder.reset();
        head = 0;
        tail = 0;
        port = p;
    }

    @Override
    public boolean read(SerialFrame into) throws IOException {
        if (head != tail) {
            return pop(into);
        }
        SerialPort p = port;
        if (p == null) {
            throw new IOException(config.describe() + " is closed");
        }
        int want = readBuf.length;
        if (mode == ReadMode.NON_BLOCKING) {
            int avail = p.bytesAvailable();
            if (avail < 0) {
                throw new IOException(config.describe() + " is gone (bytesAvailable -1, errno " + p.getLastErrorCode() + ")");
            }
            if (avail == 0) {
                return false;
            }
            want = Math.min(avail, want);
        }
        int n = p.readBytes(readBuf, want);
        if (n < 0) {
            throw new IOException(config.describe() + " is gone (read -1, errno " + p.getLastErrorCode()
                    + "): unplugged, or the peer closed");
        }
        if (n == 0) {
            return false;
        }
        decoder.decode(readBuf, 0, n, enqueue);
        if (head != tail) {
            return pop(into);
        }
        DecoderStats s = decoder.stats();
        long bad = s.badFrames() + s.oversize();
        if (bad != badSeen) {
            long fresh = bad - badSeen;
            badSeen = bad;
            throw new CorruptDataException(fresh + " frame(s) failed validation on " + config.describe()
                    + " (bad CRC, escape or length): line noise, wrong baud rate, or a different protocol");
        }
        return false;
    }

    private void enqueue(byte[] buf, int off, int len) {
        // a read happens only with the queue empty, takes at most QUEUE bytes, and a frame takes at least
        // one byte: at most QUEUE frames, and the ring holds QUEUE + 1 slots
        queue[tail].set(buf, off, len);
        tail = (tail + 1) % queue.length;
    }

    private boolean pop(SerialFrame into) {
        queue[head].copyTo(into);
        head = (head + 1) % queue.length;
        return true;
    }

    @Override
    public void write(SerialFrame command) throws IOException {
        SerialPort p = port;
        if (p == null) {
            throw new IOException(config.describe() + " is closed");
        }
        int n = codec.encode(command.data(), 0, command.length(), writeBuf, 0);
        int written = p.writeBytes(writeBuf, n);
        if (written != n) {
            throw new IOException("wrote " + written + " of " + n + " bytes to " + config.describe()
                    + " (errno " + p.getLastErrorCode() + "): unplugged, or the peer closed");
        }
    }

    /**
     * The decoder's accounting: frames, garbage, bad CRCs. Reader thread, or after close.
     *
     * @return the statistics
     */
    public DecoderStats decoderStats() {
        return decoder.stats();
    }

    @Override
    public void close() {
        SerialPort p = port;
        port = null;
        if (p != null) {
            drain(p);
            p.closePort();
        }
    }

    /**
     * Waits, bounded, until the OS has sent what was written: jSerialComm's close flushes the port's
     * queues, which would discard a final command (a safe stop) the UART has not sent yet. The bound is
     * twice the time the queued bytes take at the configured baud rate plus 20 ms, at most 1 s; a port
     * that cannot say ({@code bytesAwaitingWrite() < 0}, a pty reports 0) is closed at once.
     */
    private void drain(SerialPort p) {
        int queued = p.bytesAwaitingWrite();
        if (queued <= 0) {
            return;
        }
        long bitsPerByte = 10; // start, 8 data, stop: close enough for a bound
        long sendNanos = queued * bitsPerByte * 1_000_000_000L / Math.max(1, config.baudRate());
        long deadline = System.nanoTime() + Math.min(2 * sendNanos + 20_000_000L, 1_000_000_000L);
        while (p.bytesAwaitingWrite() > 0 && System.nanoTime() - deadline < 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
    }
}
