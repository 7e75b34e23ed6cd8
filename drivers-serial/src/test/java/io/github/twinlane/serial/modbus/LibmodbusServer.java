package io.github.twinlane.serial.modbus;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * An independent Modbus RTU server: libmodbus, compiled by the test from the resource modbus_server.c,
 * serving on one end of a pty pair. Needs gcc and libmodbus-dev; under CI=true their absence fails.
 */
public final class LibmodbusServer implements AutoCloseable {
    private static Path binary;
    private final Process process;

    public static synchronized Path build() throws IOException, InterruptedException {
        if (binary != null) {
            return binary;
        }
        boolean rig = Files.exists(Path.of("/usr/include/modbus/modbus.h")) && Files.isExecutable(Path.of("/usr/bin/gcc"));
        String why = "the Modbus tests need gcc and libmodbus: apt-get install -y gcc libmodbus-dev";
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(rig, why);
        } else {
            assumeTrue(rig, why);
        }
        Path out = Path.of("target", "test-bin", "modbus_server").toAbsolutePath();
        Files.createDirectories(out.getParent());
        Path source = out.resolveSibling("modbus_server.c");
        try (var in = LibmodbusServer.class.getResourceAsStream("/modbus_server.c")) {
            Files.copy(in, source, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
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

    public LibmodbusServer(Path port, int unit) throws IOException, InterruptedException {
        process = new ProcessBuilder(build().toString(), port.toString(), Integer.toString(unit))
                .redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (!"ready".equals(line)) {
            throw new IOException("libmodbus server did not start: " + line);
        }
    }

    public void kill() throws InterruptedException {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
