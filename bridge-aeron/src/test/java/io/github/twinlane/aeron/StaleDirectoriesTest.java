package io.github.twinlane.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The directories of processes that ended without closing their bridge are removed; nothing else is. */
class StaleDirectoriesTest {
    @TempDir
    Path base;

    @Test
    void shouldRemoveOnlyTheDirectoriesOfProcessesThatAreGone() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(30, TimeUnit.SECONDS));
        long deadPid = gone.pid();
        Path dead = Files.createDirectories(base.resolve("twinlane-aeron-" + deadPid + "-1"));
        Files.write(dead.resolve("cnc.dat"), new byte[4096]);
        Files.createDirectories(dead.resolve("publications"));
        Files.write(dead.resolve("publications").resolve("1.logbuffer"), new byte[8192]);
        Path mine = Files.createDirectories(base.resolve("twinlane-aeron-" + ProcessHandle.current().pid() + "-7"));
        Path other = Files.createDirectories(base.resolve("aeron-root"));
        Path unlike = Files.createDirectories(base.resolve("twinlane-aeron-notapid-1"));
        long freed = StaleDirectories.sweep(base);
        assertEquals(4096 + 8192, freed);
        assertFalse(Files.exists(dead), "the dead process's directory is gone");
        assertTrue(Files.exists(mine), "this process's own is kept");
        assertTrue(Files.exists(other), "another program's is never touched");
        assertTrue(Files.exists(unlike), "a name that only looks like ours is kept");
        assertEquals(0, StaleDirectories.sweep(base.resolve("no-such-dir")));
    }
}
