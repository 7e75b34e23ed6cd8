package io.github.twinlane.bench;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.github.twinlane.aeron.Link;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The round trip's floor: the same exchange on bare Aeron, one thread per side polling with the
 * bridge's backoff (1 us to 100 us parks), a media driver configured like the bridge's embedded one.
 * Tells how much of the bridge's round trip is Aeron and how much is twinlane's threads.
 */
final class RawAeron implements AutoCloseable {
    private final MediaDriver driver;
    private final Aeron aeron;

    /** Starts an embedded driver in {@code dir} (null: a fresh one), or joins the one there if {@code join}. */
    RawAeron(Path dir, boolean join) {
        String name = dir != null ? dir.toString() : "/dev/shm/twinlane-aeron-" + ProcessHandle.current().pid() + "-0"; // swept by the bridge when its process dies
        driver = join ? null : MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(name)
                .dirDeleteOnStart(true).dirDeleteOnShutdown(true).threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy(10, 20, 1_000, 100_000))
                .socketRcvbufLength(2 << 20).socketSndbufLength(2 << 20).initialWindowLength(2 << 20));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(name));
    }

    static IdleStrategy idle() {
        return new BackoffIdleStrategy(0, 0, 1_000, 100_000);
    }

    /** The far side: answers each 24-byte command with a 48-byte reply echoing its sequence and send time. */
    void echo(Link link, AtomicBoolean running) {
        try (Subscription in = aeron.addSubscription(link.commandChannel(), link.commandStreamId());
             ExclusivePublication out = aeron.addExclusivePublication(link.dataChannel(), link.dataStreamId())) {
            UnsafeBuffer reply = new UnsafeBuffer(new byte[48]);
            IdleStrategy idle = idle();
            FragmentHandler answer = (buf, off, len, hdr) -> {
                reply.putLong(0, buf.getLong(off, ByteOrder.LITTLE_ENDIAN), ByteOrder.LITTLE_ENDIAN);
                reply.putLong(40, buf.getLong(off + 16, ByteOrder.LITTLE_ENDIAN), ByteOrder.LITTLE_ENDIAN);
                while (out.offer(reply) < 0 && running.get()) {
                    Thread.onSpinWait();
                }
            };
            while (running.get()) {
                idle.idle(in.poll(answer, 16));
            }
        }
    }

    /** The near side: {@link #send} from the pacing thread, replies timed on a polling thread of its own. */
    final class Client implements AutoCloseable {
        private final ExclusivePublication out;
        private final Subscription in;
        private final UnsafeBuffer command = new UnsafeBuffer(new byte[24]);
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread reader;

        Client(Link link, LongConsumer rttNanos) {
            out = aeron.addExclusivePublication(link.commandChannel(), link.commandStreamId());
            in = aeron.addSubscription(link.dataChannel(), link.dataStreamId());
            FragmentHandler time = (buf, off, len, hdr) -> rttNanos.accept(System.nanoTime()
                    - buf.getLong(off + 40, ByteOrder.LITTLE_ENDIAN));
            reader = new Thread(() -> {
                IdleStrategy idle = idle();
                while (running.get()) {
                    idle.idle(in.poll(time, 16));
                }
            }, "raw-aeron-reader");
            reader.setDaemon(true);
            reader.start();
        }

        boolean connected() {
            return out.isConnected() && in.isConnected();
        }

        void send(long seq, long sentNanos) {
            command.putLong(0, seq, ByteOrder.LITTLE_ENDIAN);
            command.putLong(16, sentNanos, ByteOrder.LITTLE_ENDIAN);
            out.offer(command); // a refused offer is a lost sample, visible as a missing reply
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            reader.join(2_000);
            in.close();
            out.close();
        }
    }

    @Override
    public void close() {
        aeron.close();
        if (driver != null) {
            driver.close();
        }
    }
}
