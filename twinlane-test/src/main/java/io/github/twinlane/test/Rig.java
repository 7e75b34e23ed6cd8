package io.github.twinlane.test;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What a test needs from the machine, and what happens when it is missing.
 *
 * <p>Off CI, a test whose rig is missing is reported as skipped with what to install; under
 * {@code CI=true} it fails, so a CI machine that lost a package can never turn the suite green by
 * testing less. Only rigs that need something outside Maven go through here: a system package, a
 * kernel feature, a second CPU.
 *
 * <pre>{@code
 * Rig.require(Rig.hasSharedLibrary("libpulse.so.0"), "FFmpeg's device layer needs libpulse0",
 *         "apt-get install -y libpulse0");
 * }</pre>
 */
public final class Rig {
    private Rig() {
    }

    /** True when the environment says this is a CI run ({@code CI=true}). */
    public static boolean onCi() {
        return "true".equals(System.getenv("CI"));
    }

    /**
     * Fails under CI, skips elsewhere, when {@code present} is false.
     *
     * @param present whether the rig is there
     * @param what what the test needs, for example "gcc and libmodbus for an independent Modbus server"
     * @param fix what to run to get it, for example "apt-get install -y gcc libmodbus-dev"
     */
    public static void require(boolean present, String what, String fix) {
        String why = "missing rig: " + what + " (" + fix + ")";
        if (onCi()) {
            assertTrue(present, why);
        } else {
            assumeTrue(present, why);
        }
    }

    /** Linux with at least {@code cpus} CPUs available to this process; fails under CI, skips elsewhere. */
    public static void requireLinuxCpus(int cpus) {
        boolean rig = isLinux() && Runtime.getRuntime().availableProcessors() >= cpus;
        require(rig, "Linux with " + cpus + "+ CPUs (this is " + System.getProperty("os.name") + " with "
                + Runtime.getRuntime().availableProcessors() + ")", "run on a Linux machine with more CPUs");
    }

    /** True on Linux. */
    public static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
    }

    /** True when {@code ldconfig -p} lists a shared library of that name (e.g. {@code libpulse.so.0}). */
    public static boolean hasSharedLibrary(String soname) {
        for (String dir : new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64",
                "/usr/lib", "/lib/x86_64-linux-gnu", "/lib64", "/lib"}) {
            if (Files.exists(Path.of(dir, soname))) {
                return true;
            }
        }
        try {
            Process p = new ProcessBuilder("ldconfig", "-p").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out.contains(soname + " ");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** True when an executable of that name is on the {@code PATH}. */
    public static boolean hasProgram(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }
}
