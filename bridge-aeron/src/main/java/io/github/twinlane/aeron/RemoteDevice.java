package io.github.twinlane.aeron;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import io.github.twinlane.cycle.IdleStrategy;
import io.github.twinlane.spi.AbstractDeviceDriver;
import io.github.twinlane.spi.CorruptDataException;
import io.github.twinlane.spi.LogLimiter;
import io.github.twinlane.spi.ReadMode;
import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device in another process, reached over an Aeron {@link Link}: a driver like any other, so
 * the channel opened on it has the same policies, states, statistics, watchdog and freshness as a
 * local device. Get one from {@link AeronBridge#remote}, open it with
 * {@link io.github.twinlane.TwinlaneRuntime#open}.
 *
 * <p>Behaviour:
 * <ul>
 *   <li>Open waits up to {@link RemoteOptions#connectTimeout()} for the exporter's stream; without
 *       one the attempt fails with a message naming the link, and the channel retries with its
 *       backoff ({@code RECONNECTING}).</li>
 *   <li>On connecting it asks the exporter for the newest value, so the first message delivered is
 *       the newest there is, not history and not a wait for the next one.</li>
 *   <li>When the exporter goes away (silent for the bridge's liveness timeout) the read fails and
 *       the channel reconnects.</li>
 *   <li>Data under another schema is not decoded: each such message is counted, reported once per
 *       10 s naming both schemas, and counted as a corrupt read.</li>
 *   <li>Commands reach the device only if the exporter accepts them; if it announced that it does
 *       not, a command is counted as refused and a warning says how to enable them.</li>
 * </ul>
 *
 * <p>Threading as {@link io.github.twinlane.spi.DeviceDriver}: reads are {@link ReadMode#BLOCKING} (they park briefly
 * when idle), so the channel gives this driver a reader thread of its own. Not reusable across
 * channels.
 *
 * @param <C> command type
 * @param <T> data type
 */
public final class RemoteDevice<C, T> extends AbstractDeviceDriver<C, T> implements ControlledFragmentHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteDevice.class);

    private final String name;
    private final Aeron aeron;
    private final Link link;
    private final String commandChannel;
    private final Schema<C, T> schema;
    private final RemoteOptions options;
    private final Inbox inbox;
    private final LogLimiter mismatchLog = new LogLimiter();
    private final LogLimiter refusedLog = new LogLimiter();

    private volatile boolean closing;
    // set by open() on the reader thread, used by write() on the writer thread
    private volatile Subscription subscription;
    private volatile Publication publication;
    private volatile Outbox commands;
    private volatile Outbox.Sink sink;
    private Outbox hello;
    private long seq;
    private boolean helloPending;
    private T target;
    private boolean got;
    private boolean mismatch;
    private final IdleStrategy idle = AeronBridge.idleStrategy();
    private volatile int peerFlags = -1;

    private volatile long commandsSent;
    private volatile long commandsRefused;
    private volatile long commandsTimedOut;
    private volatile long decodeFailures;
    private volatile String lastError;

    RemoteDevice(String name, Aeron aeron, Link link, String commandChannel, Schema<C, T> schema,
                 RemoteOptions options) {
        super(name, schema.commands().type(), schema.data().type(), ReadMode.BLOCKING);
        this.name = name;
        this.aeron = aeron;
        this.link = link;
        this.commandChannel = commandChannel;
        this.schema = schema;
        this.options = options;
        this.inbox = new Inbox(schema, 1 << Wire.KIND_DATA, options.maxMessageBytes());
    }





    @Override
    public void open() throws IOException {
        closing = false;
        try {
            subscription = aeron.addSubscription(link.dataChannel(), link.dataStreamId());
            // concurrent: the writer thread sends commands while the reader thread says hello
            publication = aeron.addPublication(commandChannel, link.commandStreamId());
        } catch (RuntimeException e) {
            closeResources();
            throw new IOException("Remote device '" + name + "' cannot open " + link + ": " + e.getMessage()
                    + ". If a port is in use, another process already binds this endpoint.", e);
        }
        long deadline = System.nanoTime() + options.connectTimeout().toNanos();
        Subscription sub = subscription;
        Publication pub0 = publication;
        while (!sub.isConnected() || !pub0.isConnected()) { // data flowing in, and the command path set up
            if (closing || Thread.currentThread().isInterrupted()) {
                closeResources();
                throw new IOException("remote device '" + name + "' closed while connecting");
            }
            if (System.nanoTime() - deadline >= 0) {
                closeResources();
                throw new IOException("Remote device '" + name + "': no export is publishing on " + link + " after "
                        + options.connectTimeout().toMillis() + " ms. Start the exporting process, and check that "
                        + "both sides use the same link (endpoints, stream id) and, for IPC, one media driver.");
            }
            LockSupport.parkNanos(1_000_000);
        }
        if (hello == null) {
            hello = new Outbox(publication.maxPayloadLength(), schema);
            commands = new Outbox(publication.maxPayloadLength(), schema);
        }
        Publication pub = publication;
        sink = pub::offer;
        inbox.forgetSessions(); // a new connection: assemblies of exporters seen before are gone
        helloPending = true;
    }

    @Override
    public boolean read(T into) throws IOException {
        Subscription sub = subscription;
        if (sub == null || closing) {
            throw new IOException("remote device '" + name + "' is closed");
        }
        if (helloPending) {
            sayHello();
        }
        target = into;
        got = false;
        mismatch = false;
        int n = sub.controlledPoll(this, 256);
        if (mismatch) {
            String msg = lastError;
            long times = mismatchLog.due();
            if (times > 0) {
                LOG.error("{} ({} time(s) since the last report)", msg, times);
            }
            throw new CorruptDataException(msg);
        }
        if (got) {
            idle.reset();
            return true;
        }
        if (n == 0) {
            if (!sub.isConnected()) {
                throw new IOException("remote device '" + name + "': the export on " + link + " went away");
            }
            idle.idle(); // a queued write unparks this thread at once
        }
        return false;
    }

    private void sayHello() {
        Publication pub = publication;
        if (pub == null || !pub.isConnected()) {
            return; // the exporter's command subscription has not seen us yet: next read
        }
        // sequence 0: a hello never counts as a repeat, nor makes a later command one
        hello.stage(Wire.KIND_HELLO, 0, 0, WallClock.toEpochNanos(System.nanoTime()), 0);
        if (hello.sendAll(sink, System.nanoTime() + options.offerTimeout().toNanos()) == Outbox.SENT) {
            helloPending = false;
        }
    }

    @Override
    public Action onFragment(DirectBuffer buffer, int offset, int length, Header header) {
        int kind = inbox.onFragment(buffer, offset, length, header.sessionId());
        if (kind == Inbox.MISMATCH) {
            mismatch = true;
            lastError = "remote device '" + name + "' received schema " + inbox.lastForeignId + " v"
                    + inbox.lastForeignVersion + " but decodes " + schema + ": messages are ignored until both sides "
                    + "use the same schema (update the older side)";
            return Action.BREAK;
        }
        if (kind == Wire.KIND_DATA) {
            peerFlags = inbox.doneFlags();
            boolean ok;
            try {
                ok = schema.data().decode(inbox.doneBuffer(), inbox.doneOffset(), inbox.doneLength(), target);
            } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                ok = false;
            }
            if (ok) {
                got = true;
                return Action.BREAK;
            }
            decodeFailures++;
        }
        return Action.CONTINUE;
    }

    @Override
    public void write(C command) throws IOException {
        Publication pub = publication;
        if (pub == null || closing) {
            throw new IOException("remote device '" + name + "' is closed");
        }
        int flags = peerFlags;
        if (flags >= 0 && (flags & Wire.FLAG_COMMANDS_ACCEPTED) == 0) {
            String msg = "remote device '" + name + "': the exporter refuses remote commands; enable them on the "
                    + "exporting side with ExportOptions.acceptCommands(true)";
            lastError = msg; // before the count, so a reader that sees the count sees why
            commandsRefused++;
            long times = refusedLog.due();
            if (times > 0) {
                LOG.warn("{} ({} command(s) refused since the last warning)", msg, times);
            }
            return;
        }
        int len = schema.commands().encode(command, commands.payload(), 0);
        commands.stage(Wire.KIND_COMMAND, 0, ++seq, WallClock.toEpochNanos(System.nanoTime()), len);
        int r = commands.sendAll(sink, System.nanoTime() + options.offerTimeout().toNanos());
        if (r == Outbox.SENT) {
            commandsSent++;
        } else if (r == Outbox.TIMED_OUT) {
            commandsTimedOut++;
        } else {
            throw new IOException("remote device '" + name + "': the command stream to " + link
                    + (r == Outbox.NOT_CONNECTED ? " is not connected" : " is closed"));
        }
    }

    /**
     * This link's counters.
     *
     * @return a snapshot
     */
    public RemoteStats stats() {
        return new RemoteStats(name, InboundStats.of(inbox, decodeFailures), commandsSent, commandsRefused,
                commandsTimedOut, lastError);
    }

    @Override
    public void close() {
        closing = true;
        closeResources();
    }

    private synchronized void closeResources() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        if (publication != null) {
            publication.close();
            publication = null;
        }
    }
}
