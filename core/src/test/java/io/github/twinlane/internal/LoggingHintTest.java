package io.github.twinlane.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/** Without an SLF4J binding, twinlane says so once, naming the fix; with one, it says nothing. */
class LoggingHintTest {

    @Test
    void shouldPrintTheHintOnceWhenSlf4jFellBackToItsNoOpLogger() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(buf, true, StandardCharsets.UTF_8);
        AtomicBoolean said = new AtomicBoolean();
        assertTrue(LoggingHint.once(new NOPLoggerFactory(), err, said));
        assertFalse(LoggingHint.once(new NOPLoggerFactory(), err, said), "once per process");
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.contains("no SLF4J binding found") && out.contains("org.slf4j:slf4j-simple"), out);
    }

    @Test
    void shouldSayNothingWhenABindingIsPresent() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        assertFalse(LoggingHint.once(LoggerFactory.getILoggerFactory(),
                new PrintStream(buf, true, StandardCharsets.UTF_8), new AtomicBoolean()));
        assertEquals("", buf.toString(StandardCharsets.UTF_8));
    }
}
