package io.github.twinlane.aeron;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.SendResult;
import io.github.twinlane.cycle.IdleStrategy;
import io.github.twinlane.spi.AbstractDeviceDriver;
import io.github.twinlane.spi.CorruptDataException;
import io.github.twinlane.spi.LogLimiter;
import io.github.twinlane.spi.ReadMode;
import java.io.IOException;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The export side of a link, seen by the runtime as a device of the slow lane (its "carrier"
 * channel), which gives it opening, reopening with backoff and a row in the summary. Two threads
 * use it:
 * <ul>
 *   <li>the export's tap thread calls {@link #publish} for each value of the source: it encodes the
 *       value and offers it to Aeron itself, so data goes lane → tap ring → tap thread → Aeron, with no
 *       queue of the carrier in between;</li>
 *   <li>the carrier's I/O thread ({@link ReadMode#BLOCKING} reads, parking briefly when idle) polls
 *       importers' commands and sends them to the source straight from there, answers late joiners'
 *       requests for the newest value, and reopens the publication when it fails.</li>
 * </ul>
 * The publication, its staging buffer and the sequence are guarded by one send lock. The I/O thread
 * only tries it for a late joiner (and retries on its next poll), so a publish waiting out Aeron's
 * back-pressure never holds up the commands it forwards.
 *
 * @param <C> the source's command type
 * @param <T> the source's data type
 */
final class ExportDriver<C, T> extends AbstractDeviceDriver<T, C> implements ControlledFragmentHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ExportDriver.class);
    private static final int INBOUND_KINDS = 1 << Wire.KIND_COMMAND | 1 << Wire.KIND_HELLO;
    /** How long a late joiner's request is retried while the data path to it is still being set up. */
    private static final long HELLO_PATIENCE_NANOS = 2_000_000_000L;

    private final String name;
    private final Aeron aeron;
    private final Link link;
    private final Schema<C, T> schema;
    private final ExportOptions options;
    private final String dataChannel;
    private final DeviceChannel<C, T> source;
    private final Inbox inbox;
    private final T scratch;
    private final C command;
    private final IdleStrategy idle = AeronBridge.idleStrategy();
    private final LogLimiter refusedLog = new LogLimiter();
    private final LogLimiter mismatchLog = new LogLimiter();
    private final LogLimiter lengthLog = new LogLimiter();
    private final BufferClaim claim = new BufferClaim();
    /** Waits out back-pressure on a claim: parks doubling from 1 µs to 200 µs, as the outbox does. The tap's thread. */
    private final IdleStrategy claimBackPressure = io.github.twinlane.cycle.BackoffIdleStrategy.of(
            0, 0, java.time.Duration.ofNanos(1_000), java.time.Duration.ofNanos(200_000));
    private final int flags;

    private volatile boolean closing;
    private ExclusivePublication publication;
    private io.aeron.Subscription subscription;
    private Outbox outbox;
    private Outbox.Sink sink;
    private long seq;
    private boolean stale = true;
    private boolean helloPending;
    private long helloDeadline;
    private boolean mismatch;

    volatile long published;
    volatile long notConnected;
    volatile long abandoned;
    volatile long resent;
    volatile long fragmentsSent;
    volatile long commandsRefused;
    volatile long commandsForwarded;
    volatile long commandsNotAccepted;
    volatile long decodeFailures;
    volatile long failed;
    volatile long notOpen;
    private volatile boolean lost;
    private final java.util.concurrent.locks.ReentrantLock sendLock = new java.util.concurrent.locks.ReentrantLock();

    ExportDriver(String name, Aeron aeron, Link link, String dataChannel, Schema<C, T> schema, ExportOptions options,
                 DeviceChannel<C, T> source) {
        super(name + " -> " + link, schema.data().type(), schema.commands().type(), ReadMode.BLOCKING);
        this.name = name;
        this.aeron = aeron;
        this.link = link;
        this.dataChannel = dataChannel;
        this.schema = schema;
        this.options = options;
        this.source = source;
        this.inbox = new Inbox(schema, INBOUND_KINDS, 1 << 20);
        this.scratch = schema.data().type().newInstance();
        this.command = schema.commands().type().newInstance();
        this.flags = options.acceptCommands() ? Wire.FLAG_COMMANDS_ACCEPTED : 0;
    }





    @Override
    public void open() throws IOException {
        sendLock.lock(); // a publish in progress ends within its offer timeout
        try {
            openLocked();
        } finally {
            sendLock.unlock();
        }
    }

    private void openLocked() throws IOException {
        closing = false;
        lost = false;
        try {
            publication = aeron.addExclusivePublication(dataChannel, link.dataStreamId());
            subscription = aeron.addSubscription(link.commandChannel(), link.commandStreamId());
        } catch (RuntimeException e) {
            closeResources();
            throw new IOException("Export '" + name + "' cannot open " + link + ": " + e.getMessage()
                    + ". If a port is in use, another process already binds this endpoint: give each link its own"
                    + " ports or stream id.", e);
        }
        if (outbox == null) {
            outbox = new Outbox(publication.maxPayloadLength(), schema);
        }
        ExclusivePublication pub = publication;
        sink = pub::offer;
        stale = true; // a reopened publication is a new session: nobody has the staged message
        outbox.clear();
        inbox.forgetSessions();
    }

    @Override
    public boolean read(C into) throws IOException {
        io.aeron.Subscription sub = subscription;
        if (sub == null || closing) {
            throw new IOException("export '" + name + "' is closed");
        }
        ExclusivePublication pub = publication;
        if (lost || pub != null && pub.isClosed()) {
            throw new IOException("export '" + name + "': its publication closed under it; reopening");
        }
        mismatch = false;
        int n = sub.controlledPoll(this, 64);
        if (helloPending) {
            helloPending = !resendNewest() && System.nanoTime() - helloDeadline < 0;
        }
        if (mismatch) {
            String msg = "an importer speaks schema " + inbox.lastForeignId + " v" + inbox.lastForeignVersion
                    + " but export '" + name + "' uses " + schema + "; its messages are ignored. Use the same schema"
                    + " on both sides";
            long times = mismatchLog.due();
            if (times > 0) {
                LOG.error("{} ({} time(s) since the last report)", msg, times);
            }
            throw new CorruptDataException(msg);
        }
        if (n > 0) {
            idle.reset();
        } else {
            idle.idle(); // a queued write unparks this thread at once
        }
        return false;
    }

    @Override
    public Action onFragment(DirectBuffer buffer, int offset, int length, Header header) {
        int kind = inbox.onFragment(buffer, offset, length, header.sessionId());
        if (kind == Inbox.MISMATCH) {
            mismatch = true;
        } else if (kind == Wire.KIND_HELLO) {
            helloPending = true;
            helloDeadline = System.nanoTime() + HELLO_PATIENCE_NANOS;
        } else if (kind == Wire.KIND_COMMAND) {
            if (!options.acceptCommands()) {
                commandsRefused++;
                long times = refusedLog.due();
                if (times > 0) {
                    LOG.warn("Export '{}' refused {} remote command(s): remote commands are off unless enabled with "
                            + "ExportOptions.acceptCommands(true) on the exporting side", name, times);
                }
            } else if (decode(inbox.doneBuffer(), inbox.doneOffset(), inbox.doneLength())) {
                // straight to the device from this thread: no further hand-off on the command's way
                if (source.send(command) == SendResult.ACCEPTED) {
                    commandsForwarded++;
                } else {
                    commandsNotAccepted++; // the device's own policy or state refused it, and counted it
                }
            } else {
                decodeFailures++;
            }
        }
        return mismatch ? Action.BREAK : Action.CONTINUE;
    }

    private boolean decode(DirectBuffer b, int offset, int length) {
        try {
            return schema.commands().decode(b, offset, length, command);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The carrier's commands are never used: data reaches Aeron through {@link #publish}.
     *
     * @param data not expected
     */
    @Override
    public void write(T data) {
        publish(data);
    }

    /**
     * Publishes one value of the source: encodes it and offers it to Aeron, waiting out back-pressure
     * up to the export's offer timeout (meanwhile the tap's ring fills and its policy applies). Every
     * value is counted once: published, not connected, abandoned, failed, or not open (the carrier is
     * reopening). The export's tap thread; never throws.
     *
     * @param data the value, valid during the call
     */
    void publish(T data) {
        sendLock.lock();
        try {
            publishLocked(data);
        } finally {
            sendLock.unlock();
        }
    }

    private void publishLocked(T data) {
        seq++;
        ExclusivePublication pub = publication;
        if (pub == null || closing || lost) {
            notOpen++;
            return;
        }
        if (pub.isClosed()) { // closed under us (the media driver dropped it): a closed publication is never connected
            failed++;
            lost = true;
            return;
        }
        if (!pub.isConnected()) {
            notConnected++;
            stale = true; // skip encoding for nobody; a late joiner gets source.latest() instead
            return;
        }
        int fixed = schema.data().fixedLength();
        if (fixed >= 0 && Wire.HEADER + fixed <= pub.maxPayloadLength()) {
            publishClaimed(pub, data, fixed);
            return;
        }
        stage(data);
        try {
            send();
        } catch (IOException e) {
            failed++;
            lost = true; // the carrier's I/O thread sees it at its next read and reopens
        }
    }

    /**
     * One frame, encoded in place: claims it in Aeron's log buffer, writes the header and the payload
     * there and commits it; no staging buffer and no copy. A late joiner's resend then encodes the
     * source's newest value again (nothing is kept staged).
     */
    private void publishClaimed(ExclusivePublication pub, T data, int fixed) {
        long deadline = System.nanoTime() + options.offerTimeout().toNanos();
        claimBackPressure.reset();
        while (true) {
            long r = pub.tryClaim(Wire.HEADER + fixed, claim);
            if (r > 0) {
                int n;
                try {
                    outbox.putSingleFragmentHeader(claim.buffer(), claim.offset(), Wire.KIND_DATA, flags, seq,
                            WallClock.toEpochNanos(System.nanoTime()), fixed);
                    n = schema.data().encode(data, claim.buffer(), claim.offset() + Wire.HEADER);
                } catch (RuntimeException e) {
                    claim.abort(); // an unfinished claim would hold up every subscriber
                    codecBroke("threw " + e);
                    return;
                }
                if (n != fixed) {
                    claim.abort();
                    codecBroke("wrote " + n + " bytes but declares fixedLength() " + fixed);
                    return;
                }
                claim.commit();
                outbox.clear();
                stale = true; // nothing staged to resend: a late joiner gets source.latest() encoded again
                fragmentsSent++;
                published++;
                return;
            }
            if (r == io.aeron.Publication.NOT_CONNECTED) {
                notConnected++;
                stale = true;
                return;
            }
            if (r == io.aeron.Publication.CLOSED || r == io.aeron.Publication.MAX_POSITION_EXCEEDED) {
                failed++;
                lost = true; // the carrier's I/O thread sees it at its next read and reopens
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                abandoned++;
                return;
            }
            claimBackPressure.idle();
        }
    }

    private void codecBroke(String what) {
        failed++;
        long times = lengthLog.due();
        if (times > 0) {
            LOG.error("Export '{}': the data codec of {} {}; the message was not sent ({} time(s) since the last "
                    + "report). Fix the codec's encode, or return -1 from fixedLength()", name, schema, what, times);
        }
    }

    private void stage(T data) {
        int len = schema.data().encode(data, outbox.payload(), 0);
        outbox.stage(Wire.KIND_DATA, flags, seq, WallClock.toEpochNanos(System.nanoTime()), len);
        stale = false;
    }

    private void send() throws IOException {
        int before = outbox.fragmentsSent();
        int r = outbox.sendAll(sink, System.nanoTime() + options.offerTimeout().toNanos());
        fragmentsSent += outbox.fragmentsSent() - before;
        switch (r) {
            case Outbox.SENT:
                published++;
                break;
            case Outbox.NOT_CONNECTED:
                notConnected++;
                break;
            case Outbox.TIMED_OUT:
                abandoned++;
                break;
            default:
                throw new IOException("export '" + name + "': publication closed");
        }
    }

    /**
     * A late joiner asked: send the newest value again, so it does not wait for the next one.
     *
     * @return true if done (sent, or nothing to send); false to retry, the data path to the joiner
     *     not being connected yet
     */
    private boolean resendNewest() throws IOException {
        if (!sendLock.tryLock()) {
            return false; // a value is being published (and may wait out back-pressure): try at the next poll
        }
        try {
            return resendNewestLocked();
        } finally {
            sendLock.unlock();
        }
    }

    private boolean resendNewestLocked() throws IOException {
        ExclusivePublication pub = publication;
        if (pub == null || !pub.isConnected()) {
            return pub == null; // closed: nothing to retry
        }
        if (stale) {
            if (!source.latest(scratch)) {
                return true; // nothing delivered yet: the joiner gets the first value when it comes
            }
            stage(scratch);
        } else if (outbox.staged()) {
            outbox.rewind();
        } else {
            return true;
        }
        int before = outbox.fragmentsSent();
        int r = outbox.sendAll(sink, System.nanoTime() + options.offerTimeout().toNanos());
        fragmentsSent += outbox.fragmentsSent() - before;
        if (r == Outbox.CLOSED) {
            throw new IOException("export '" + name + "': publication closed");
        }
        if (r == Outbox.SENT) {
            resent++;
            return true;
        }
        return r == Outbox.TIMED_OUT; // back-pressure: the joiner gets the next value instead
    }

    /** Closes the publication under the export, as a media driver that dropped it would; for tests. */
    void breakPublication() {
        ExclusivePublication pub = publication;
        if (pub != null) {
            pub.close();
        }
    }

    InboundStats inbound() {
        return InboundStats.of(inbox, decodeFailures);
    }

    @Override
    public void close() {
        closing = true;
        closeResources();
    }

    private synchronized void closeResources() {
        if (publication != null) {
            publication.close();
            publication = null;
        }
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }
}
