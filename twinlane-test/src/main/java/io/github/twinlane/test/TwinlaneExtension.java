package io.github.twinlane.test;

import io.github.twinlane.CpuPlan;
import io.github.twinlane.TwinlaneRuntime;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives a test a {@link TwinlaneRuntime} and, after the test, closes it
 * and fails the test if any thread twinlane started is still alive.
 *
 * <p>The runtime has the CPU plan off, so tests can run side by side on a shared machine; annotate
 * the test method or class with {@link WithCpuPlan} to get {@link CpuPlan#DEFAULT}. How a user tests
 * their own driver:
 *
 * <pre>{@code
 * @ExtendWith(TwinlaneExtension.class)
 * class MyDriveTest {
 *     @Test
 *     void shouldReportTelemetryFromTheDevice(TwinlaneRuntime rt, @TempDir Path dir) throws Exception {
 *         try (Pty pty = Pty.open(dir.resolve("tty"))) {
 *             DeviceChannel<MyCommand, MyTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
 *                     new MyDriver(pty.link()));
 *             Await.until("open", () -> drive.state() == ChannelState.OPEN, drive::toString);
 *             pty.writeAscii("T 1 2.5\n");                       // the device speaks
 *             MyTelemetry t = new MyTelemetry();
 *             Await.until("telemetry", () -> drive.latest(t), drive::toString);
 *             assertEquals(2.5, t.velocity);
 *         }
 *     }   // the runtime is closed here, and no twinlane thread may outlive it
 * }
 * }</pre>
 *
 * <p>Faults without hardware: the simulated devices in {@code io.github.twinlane.sim} inject
 * latency, jitter, unplugs, hangs, garbage and stale frames through their {@code faults()}.
 *
 * <p>Threading: JUnit calls it on the test's thread. A test that needs two runtimes builds the
 * second itself and closes it.
 */
public final class TwinlaneExtension implements ParameterResolver, AfterEachCallback {
    /** How long closed runtimes' threads may take to end before the test fails for a leak. */
    public static final Duration THREADS_END = Duration.ofSeconds(30);

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(TwinlaneExtension.class);

    /** Asks for a runtime with the CPU plan on ({@link CpuPlan#DEFAULT}) instead of off. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    public @interface WithCpuPlan {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TwinlaneRuntime.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        boolean plan = context.getTestMethod().map(m -> m.isAnnotationPresent(WithCpuPlan.class)).orElse(false)
                || context.getTestClass().map(c -> c.isAnnotationPresent(WithCpuPlan.class)).orElse(false);
        TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(plan ? CpuPlan.DEFAULT : CpuPlan.OFF).build();
        runtimes(context).add(rt);
        return rt;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<TwinlaneRuntime> open = runtimes(context);
        for (TwinlaneRuntime rt : open) {
            rt.close();
        }
        open.clear();
        assertNoTwinlaneThreads();
    }

    @SuppressWarnings("unchecked")
    private static List<TwinlaneRuntime> runtimes(ExtensionContext context) {
        return context.getStore(NS).getOrComputeIfAbsent("runtimes", k -> new java.util.ArrayList<TwinlaneRuntime>(),
                List.class);
    }

    /** Waits up to {@link #THREADS_END} for every {@code twinlane-} thread to end; fails naming the survivors. */
    public static void assertNoTwinlaneThreads() {
        Await.until("every twinlane thread has ended", THREADS_END, () -> Threads.twinlane().isEmpty(),
                () -> "still alive: " + Threads.twinlane());
    }
}
