package io.github.twinlane.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.test.Capture;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's tour is a program that compiles as written and runs: the code block under
 * "A short tour" is compiled with only the imports it lists, and its main is run.
 * (CI also builds it in a separate project that only imports the BOM.)
 */
class ReadmeTourTest {
    @TempDir
    Path dir;

    static String tour() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        StringBuilder code = new StringBuilder();
        boolean inTour = false;
        boolean inBlock = false;
        for (String l : lines) {
            if (l.startsWith("## A short tour")) {
                inTour = true;
            } else if (inTour && !inBlock && l.startsWith("```java")) {
                inBlock = true;
            } else if (inBlock && l.startsWith("```")) {
                return code.toString();
            } else if (inBlock) {
                code.append(l).append('\n');
            }
        }
        throw new AssertionError("README.md has no java block under '## A short tour'");
    }

    @Test
    void shouldCompileAndRunTheReadmesTourAsWritten() throws Exception {
        Path src = dir.resolve("Tour.java");
        Files.writeString(src, tour());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean ok = javac.getTask(diagnostics, null, null, List.of("-d", dir.toString(), "-Xlint:all", "-Werror",
                "-cp", System.getProperty("java.class.path")), null,
                javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(src.toFile())).call();
        assertTrue(ok, "the tour compiles as written:\n" + diagnostics);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> tour = loader.loadClass("Tour");
            String out = Capture.stdout(args -> tour.getMethod("main", String[].class).invoke(null, (Object) args));
            assertTrue(out.contains("frames from cam0"), out);
            assertTrue(out.lines().anyMatch(l -> l.startsWith("control ")), "the summary lists the loop:\n" + out);
            assertTrue(out.lines().anyMatch(l -> l.startsWith("drive ")), "and the drive:\n" + out);
            io.github.twinlane.test.TwinlaneExtension.assertNoTwinlaneThreads(); // the tour closed its runtime
        }
    }
}
