package io.github.twinlane.serial.modbus;

import io.github.twinlane.test.Pty;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A Modbus RTU drive at the far end of a kernel pty, in Java, reading and writing the pty's master:
 * it records every request frame that reached it (so a test can see what was on the bus) and can
 * stop answering while it keeps listening (a drive timing out). Holding register i starts at i * 10
 * (100 of them); it serves functions 0x03, 0x06 and 0x10 for its unit and ignores other units.
 *
 * <p>Its own CRC, on purpose: a frame the driver under test got wrong is not accepted here by the
 * same mistake.
 */
final class ModbusPeer implements AutoCloseable {
    /** One request as it arrived: for 0x03 {@code values} holds the count, for writes the values. */
    record Request(int function, int address, int[] values) {
        boolean writes(int register, int value) {
            return (function == 0x06 && address == register && values[0] == value)
                    || (function == 0x10 && register >= address && register < address + values.length
                    && values[register - address] == value);
        }

        boolean writesTo(int register) {
            return (function == 0x06 && address == register)
                    || (function == 0x10 && register >= address && register < address + values.length);
        }

        @Override
        public String toString() {
            return "0x" + Integer.toHexString(function) + "@" + address + Arrays.toString(values);
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicIntegerArray holding = new AtomicIntegerArray(100);
    volatile boolean answering = true;
    private final Pty pty;
    private final int unit;
    private final Thread thread;
    private volatile boolean running = true;

    ModbusPeer(Pty pty, int unit) {
        this.pty = pty;
        this.unit = unit;
        for (int i = 0; i < holding.length(); i++) {
            holding.set(i, i * 10);
        }
        thread = new Thread(this::run, "modbus-peer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Requests that wrote {@code value} to {@code register}. */
    long writesOf(int register, int value) {
        return requests.stream().filter(r -> r.writes(register, value)).count();
    }

    /** Polls (0x03) received. */
    long polls() {
        return requests.stream().filter(r -> r.function == 0x03).count();
    }

    private void run() {
        byte[] in = new byte[512];
        byte[] frame = new byte[512];
        int have = 0;
        while (running) {
            int n = pty.read(in, 0, in.length, Duration.ofMillis(20));
            if (n < 0) {
                return; // unplugged
            }
            for (int i = 0; i < n; i++) {
                frame[have++] = in[i];
                if (have == frame.length) {
                    have = 0; // garbage: start again
                }
                int need = length(frame, have);
                if (need > 0 && have == need) {
                    if (crc(frame, 0, need - 2) == ((frame[need - 2] & 0xFF) | (frame[need - 1] & 0xFF) << 8)) {
                        handle(frame, need);
                        have = 0;
                    } else {
                        System.arraycopy(frame, 1, frame, 0, --have); // resynchronise one byte on
                    }
                } else if (need < 0) {
                    System.arraycopy(frame, 1, frame, 0, --have);
                }
            }
        }
    }

    /** The length of the request in {@code f[0..have)}: 0 while unknown, -1 if it cannot be one. */
    private static int length(byte[] f, int have) {
        if (have < 2) {
            return 0;
        }
        switch (f[1]) {
            case 0x03, 0x04, 0x06:
                return 8;
            case 0x10:
                return have < 7 ? 0 : 9 + (f[6] & 0xFF);
            default:
                return -1;
        }
    }

    private void handle(byte[] f, int len) {
        if ((f[0] & 0xFF) != unit) {
            return;
        }
        int function = f[1];
        int address = u16(f, 2);
        int[] values;
        if (function == 0x10) {
            values = new int[u16(f, 4)];
            for (int i = 0; i < values.length; i++) {
                values[i] = u16(f, 7 + 2 * i);
            }
        } else {
            values = new int[] {u16(f, 4)};
        }
        requests.add(new Request(function, address, values));
        if (!answering) {
            return;
        }
        byte[] out;
        if (function == 0x03) {
            int count = values[0];
            if (address + count > holding.length()) {
                out = new byte[] {(byte) unit, (byte) 0x83, 0x02, 0, 0};
            } else {
                out = new byte[5 + 2 * count];
                out[0] = (byte) unit;
                out[1] = 0x03;
                out[2] = (byte) (2 * count);
                for (int i = 0; i < count; i++) {
                    put16(out, 3 + 2 * i, holding.get(address + i));
                }
            }
        } else if (function == 0x06 || function == 0x10) {
            for (int i = 0; i < values.length && address + i < holding.length(); i++) {
                holding.set(address + i, values[i]);
            }
            out = Arrays.copyOf(f, 8); // 0x06 echoes the request; 0x10 answers unit, function, address, count
        } else {
            out = new byte[] {(byte) unit, (byte) (function | 0x80), 0x01, 0, 0};
        }
        int crc = crc(out, 0, out.length - 2);
        out[out.length - 2] = (byte) crc;
        out[out.length - 1] = (byte) (crc >>> 8);
        pty.writeAll(out, Duration.ofSeconds(1));
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    /** CRC-16/MODBUS: reflected polynomial 0xA001, initial 0xFFFF. */
    private static int crc(byte[] b, int off, int len) {
        int crc = 0xFFFF;
        for (int i = off; i < off + len; i++) {
            crc ^= b[i] & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
            }
        }
        return crc;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        List<Request> r = List.copyOf(requests);
        return "ModbusPeer[" + r.size() + " requests, last " + r.subList(Math.max(0, r.size() - 5), r.size()) + "]";
    }
}
