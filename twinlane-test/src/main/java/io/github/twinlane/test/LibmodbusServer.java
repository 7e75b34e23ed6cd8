package io.github.twinlane.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * An independent Modbus RTU server for testing a Modbus client: libmodbus, the reference C
 * implementation, compiled on first use from a small server shipped in this jar, serving holding
 * registers on a serial path (one end of a {@link NullModem}, or a real adapter).
 *
 * <p>Needs gcc and libmodbus's headers ({@code apt-get install -y gcc libmodbus-dev}): through
 * {@link Rig}, a test that uses it skips off CI and fails under {@code CI=true} when they are missing.
 * Killing it ({@link #kill()}) is a device that stopped answering.
 */
public final class LibmodbusServer implements AutoCloseable {
    private static Path binary;
    private final Process process;

    /**
     * Compiles the server once per JVM into {@code target/test-bin}.
     *
     * @return the executable
     */
    public static synchronized Path build() throws IOException, InterruptedException {
        if (binary != null) {
            return binary;
        }
        boolean rig = Files.exists(Path.of("/usr/include/modbus/modbus.h")) && Rig.hasProgram("gcc");
        Rig.require(rig, "gcc and libmodbus's headers, for an independent Modbus RTU server",
                "apt-get install -y gcc libmodbus-dev");
        Path out = Path.of("target", "test-bin", "modbus_server").toAbsolutePath();
        Files.createDirectories(out.getParent());
        Path source = out.resolveSibling("modbus_server.c");
        try (InputStream in = LibmodbusServer.class.getResourceAsStream("modbus_server.c")) {
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
        }
        Process gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-o", out.toString(), source.toString(), "-lmodbus")
                .redirectErrorStream(true).start();
        String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (gcc.waitFor() != 0) {
            throw new IOException("gcc failed to build the libmodbus server:\n" + log);
        }
        binary = out;
        return binary;
    }

    /**
     * Starts a server for unit {@code unit} on {@code port} and waits until it says it is ready.
     *
     * @throws IOException when it exits before that, with what it printed
     */
    public LibmodbusServer(Path port, int unit) throws IOException, InterruptedException {
        process = new ProcessBuilder(build().toString(), port.toString(), Integer.toString(unit))
                .redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (!"ready".equals(line)) {
            process.destroyForcibly();
            throw new IOException("libmodbus server did not start: " + line);
        }
    }

    /** Stops the server and waits for it to exit: the device stops answering. */
    public void kill() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
