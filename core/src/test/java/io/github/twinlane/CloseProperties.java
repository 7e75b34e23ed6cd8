package io.github.twinlane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.sim.SimulatedCamera;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.test.Threads;
import io.github.twinlane.video.PixelFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Whatever runs and whatever hangs, close leaves no thread of ours and every value accounted for. */
class CloseProperties {

    @Property(tries = 12)
    void closeUnderLoadLeavesNoThreadAndExactCounts(@ForAll @IntRange(min = 0, max = 3) int drives,
            @ForAll @IntRange(min = 0, max = 4) int cameras, @ForAll @IntRange(min = 0, max = 60) int runMillis,
            @ForAll boolean oneReadHangs, @ForAll BackpressurePolicy commandPolicy) throws InterruptedException {
        TwinlaneRuntime rt = TwinlaneRuntime.builder().closeTimeout(Duration.ofSeconds(2)).build();
        List<DeviceChannel<MotorCommand, MotorTelemetry>> ds = new ArrayList<>();
        List<SimulatedMotorDrive> sims = new ArrayList<>();
        for (int i = 0; i < drives; i++) {
            SimulatedMotorDrive sim = new SimulatedMotorDrive();
            sims.add(sim);
            ds.add(rt.open(ChannelConfig.fast("d" + i).commandPolicy(commandPolicy).capacity(8).build(), sim));
        }
        for (int i = 0; i < cameras; i++) {
            SimulatedCamera cam = new SimulatedCamera("c" + i, 64, 48, 60, PixelFormat.GRAY8, Duration.ZERO);
            rt.open(ChannelConfig.slow("c" + i).build(), cam, (f, at) -> { });
            if (oneReadHangs && i == 0) {
                cam.faults().hang();
            }
        }
        if (oneReadHangs && !sims.isEmpty()) {
            sims.get(0).faults().hang();
        }
        MotorCommand cmd = new MotorCommand();
        rt.every(Duration.ofMillis(1), "ctl", c -> {
            for (DeviceChannel<MotorCommand, MotorTelemetry> d : ds) {
                d.send(cmd);
            }
        });
        Thread.sleep(runMillis);
        rt.close();
        assertEquals(List.of(), rt.liveThreads());
        assertEquals(List.of(), Threads.twinlane());
        for (DeviceChannel<MotorCommand, MotorTelemetry> d : ds) {
            ChannelStats s = d.stats();
            assertEquals(s.commandsSent(), s.commandsWritten() + s.commandsFailed() + s.commandsDropped(), s.toString());
            assertEquals(s.dataReceived(), s.dataDelivered() + s.dataDropped(), s.toString());
        }
    }
}
