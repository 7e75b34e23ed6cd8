package io.github.twinlane;

import java.time.Duration;

/** For SafetyTest: a program that arms a watchdog and exits without closing anything. */
public final class ShutdownProbe {
    private ShutdownProbe() {
    }

    public static void main(String[] args) throws Exception {
        RecordingDriver d = new RecordingDriver() {
            @Override
            public void write(LongBox command) {
                System.out.println("WRITE " + command.value);
            }
        };
        TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build();
        DeviceChannel<LongBox, LongBox> ch = rt.open(ChannelConfig.fast("motor").build(), d);
        while (ch.state() != ChannelState.OPEN) {
            Thread.sleep(1);
        }
        ch.watchdog(Duration.ofSeconds(10), c -> c.value = -1);
        ch.send(new LongBox(7));
        while (ch.stats().commandsWritten() < 1) {
            Thread.sleep(1);
        }
        System.out.println("EXITING");
        System.exit(0); // no close: the JVM's shutdown must still stop the motor
    }
}
