package io.github.twinlane.serial;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Two linked kernel pseudo-terminals made by socat (see shared/TESTBED.md): a real serial port pair
 * for jSerialComm. Killing socat is a real unplug; starting it again with the same links a re-plug.
 */
public final class PtyPair implements AutoCloseable {
    public final Path a;
    public final Path b;
    private Process socat;

    public PtyPair(Path dir) throws IOException, InterruptedException {
        this.a = dir.resolve("ttyA");
        this.b = dir.resolve("ttyB");
        Files.createDirectories(dir);
        start();
    }

    /** Fails under CI=true and skips otherwise when socat is missing. */
    public static void requireSocat() {
        boolean present = Files.isExecutable(Path.of("/usr/bin/socat")) || Files.isExecutable(Path.of("/bin/socat"));
        String why = "the serial tests need socat for kernel pty pairs: apt-get install -y socat";
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(present, why);
        } else {
            assumeTrue(present, why);
        }
    }

    public void start() throws IOException, InterruptedException {
        socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(Files.exists(a) && Files.exists(b))) {
            if (System.nanoTime() > deadline || !socat.isAlive()) {
                throw new IOException("socat did not create " + a + " and " + b);
            }
            Thread.sleep(5);
        }
    }

    /** Unplugs: kills socat, so both ends vanish. */
    public void unplug() {
        socat.destroy();
        try {
            socat.waitFor(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((Files.exists(a) || Files.exists(b)) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (socat != null && socat.isAlive()) {
            unplug();
        }
    }
}
