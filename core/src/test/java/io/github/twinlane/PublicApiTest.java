package io.github.twinlane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.test.Await;
import io.github.twinlane.test.TwinlaneExtension;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Core's public API names no vendor type, and what replaced the histograms in it works. */
@ExtendWith(TwinlaneExtension.class)
class PublicApiTest {
    private static final List<String> VENDORS = List.of("org.HdrHistogram.", "com.lmax.", "com.sun.jna.");

    private static List<Class<?>> publicClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(TwinlaneRuntime.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (name.contains(".internal.") || name.endsWith("package-info")) {
                    continue;
                }
                Class<?> c = Class.forName(name, false, PublicApiTest.class.getClassLoader());
                if (Modifier.isPublic(c.getModifiers())) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    private static void check(List<String> leaks, String where, String signature) {
        for (String v : VENDORS) {
            if (signature.contains(v)) {
                leaks.add(where + ": " + signature);
            }
        }
    }

    @Test
    void shouldNameNoVendorTypeInAnyPublicSignatureOutsideInternal() throws Exception {
        List<String> leaks = new ArrayList<>();
        List<Class<?>> classes = publicClasses();
        assertTrue(classes.size() > 30, "found the public classes: " + classes.size());
        for (Class<?> c : classes) {
            check(leaks, c.getName(), c.getGenericSuperclass() == null ? "" : c.getGenericSuperclass().getTypeName());
            for (Method m : c.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers())) {
                    check(leaks, c.getName(), m.toGenericString());
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (Modifier.isPublic(k.getModifiers()) || Modifier.isProtected(k.getModifiers())) {
                    check(leaks, c.getName(), k.toGenericString());
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isPublic(f.getModifiers()) || Modifier.isProtected(f.getModifiers())) {
                    check(leaks, c.getName(), f.toGenericString());
                }
            }
        }
        assertEquals(List.of(), leaks);
    }

    @Test
    void shouldHandOutALoopsLatenessAsADistributionThatRoundTripsThroughHdrHistogramsEncoding(TwinlaneRuntime rt) {
        PeriodicLoop loop = rt.every(Duration.ofMillis(1), "l", c -> { });
        Await.until("some cycles", () -> loop.stats().cycles() > 20, loop.stats()::toString);
        LatencyDistribution d = loop.latenessDistributionSinceLastCall();
        assertTrue(d.count() > 0, "samples: " + d.count());
        LatencySummary s = d.summary();
        assertEquals(d.count(), s.count());
        assertEquals(d.valueAtPercentile(99), s.p99());
        assertTrue(d.max() >= s.p999());
        LatencyDistribution back = LatencyDistribution.fromHdrHistogramBytes(d.toHdrHistogramBytes());
        assertEquals(s, back.summary(), "the encoding keeps every percentile");
        assertThrows(IllegalArgumentException.class, () -> d.valueAtPercentile(101));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LatencyDistribution.fromHdrHistogramBytes(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})));
        assertTrue(e.getMessage().startsWith("not an HdrHistogram compressed encoding"), e.getMessage());
        assertEquals(LatencySummary.EMPTY, LatencyDistribution.EMPTY.summary());
    }
}
