package io.github.twinlane.aeron;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Removes the embedded media drivers' directories that processes left behind when they ended without
 * closing their bridge (killed, crashed, power cut): {@code twinlane-aeron-<pid>-<n>} whose process is
 * gone. Each holds the driver's log buffers, tens of MB in {@code /dev/shm}, which is memory; a robot
 * restarted by a supervisor after every crash would otherwise fill it. Only names of that pattern, and
 * only of processes that are not running, are touched. The launching thread; blocks on file I/O.
 */
final class StaleDirectories {
    private static final Pattern NAME = Pattern.compile("twinlane-aeron-(\\d+)-\\d+");

    private StaleDirectories() {
    }

    /**
     * Removes the stale directories under {@code base}.
     *
     * @param base where embedded drivers make their directories
     * @return bytes freed (0 when nothing was stale)
     */
    static long sweep(Path base) {
        long freed = 0;
        try (Stream<Path> dirs = Files.list(base)) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                Matcher m = NAME.matcher(d.getFileName().toString());
                if (!m.matches() || !Files.isDirectory(d)) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).isPresent()) {
                    continue; // ours, or a live process's (maybe another program reusing the pid: left alone)
                }
                freed += delete(d);
            }
        } catch (IOException e) {
            return freed; // no base directory, or not readable: nothing to sweep
        }
        return freed;
    }

    private static long delete(Path dir) {
        long[] bytes = {0};
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    if (Files.isRegularFile(p)) {
                        bytes[0] += Files.size(p);
                    }
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // another process removing it too, or no permission: leave what remains
                }
            });
        } catch (IOException e) {
            return bytes[0];
        }
        return bytes[0];
    }
}
