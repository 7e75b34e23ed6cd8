package io.github.twinlane.serial.modbus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.Backoff;
import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.SendResult;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.serial.SerialConfig;
import io.github.twinlane.test.Await;
import io.github.twinlane.test.LibmodbusServer;
import io.github.twinlane.test.NullModem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our Modbus RTU client against libmodbus, an independent implementation, over two kernel ptys joined like a null-modem cable. */
class ModbusRtuTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    @TempDir
    Path dir;

    @BeforeAll
    static void rig() throws Exception {
                LibmodbusServer.build();
    }

    private ModbusRtuClient client(NullModem pty, Duration timeout) throws Exception {
        ModbusRtuClient c = new ModbusRtuClient(SerialConfig.path(pty.a().toString()).build(), timeout);
        c.open();
        return c;
    }

    @Test
    @SuppressWarnings("try") // the server only needs to live as long as the block
    void shouldReadAndWriteRegistersOfALibmodbusServer() throws Exception {
        try (NullModem pty = NullModem.open(dir); LibmodbusServer server = new LibmodbusServer(pty.b(), 1);
             ModbusRtuClient c = client(pty, Duration.ofMillis(500))) {
            int[] v = new int[10];
            c.readHoldingRegisters(1, 0, 10, v);
            assertArrayEquals(new int[] {0, 10, 20, 30, 40, 50, 60, 70, 80, 90}, v);
            c.readInputRegisters(1, 5, 3, v);
            assertArrayEquals(new int[] {500, 600, 700}, Arrays.copyOf(v, 3));
            c.writeSingleRegister(1, 5, 1234);
            c.writeMultipleRegisters(1, 10, new int[] {7, 65535, 9}, 3);
            c.readHoldingRegisters(1, 4, 9, v);
            assertArrayEquals(new int[] {40, 1234, 60, 70, 80, 90, 7, 65535, 9}, Arrays.copyOf(v, 9));
            assertEquals(5, c.stats().requests());
        }
    }

    @Test
    @SuppressWarnings("try") // the server only needs to live as long as the block
    void shouldSurfaceAnIllegalAddressAsATypedError() throws Exception {
        try (NullModem pty = NullModem.open(dir); LibmodbusServer server = new LibmodbusServer(pty.b(), 1);
             ModbusRtuClient c = client(pty, Duration.ofMillis(500))) {
            ModbusErrorResponse e = assertThrows(ModbusErrorResponse.class,
                    () -> c.readHoldingRegisters(1, 200, 2, new int[2]));
            assertEquals(ExceptionCode.ILLEGAL_DATA_ADDRESS, e.code());
            assertEquals(0x03, e.function());
            int[] v = new int[1];
            c.readHoldingRegisters(1, 1, 1, v);
            assertEquals(10, v[0], "the line works after an exception response");
            assertEquals(1, c.stats().errorResponses());
        }
    }

    @Test
    void shouldTimeOutWhenNoServerAnswers() throws Exception {
        try (NullModem pty = NullModem.open(dir); LibmodbusServer server = new LibmodbusServer(pty.b(), 1);
             ModbusRtuClient c = client(pty, Duration.ofMillis(100))) {
            ModbusTimeoutException e = assertThrows(ModbusTimeoutException.class,
                    () -> c.readHoldingRegisters(7, 0, 1, new int[1]));
            assertTrue(e.getMessage().contains("unit 7"), e.getMessage());
            server.kill();
            assertThrows(ModbusTimeoutException.class, () -> c.readHoldingRegisters(1, 0, 1, new int[1]));
            assertEquals(2, c.stats().timeouts());
        }
    }

    @Test
    void shouldRejectInvalidRequestsBeforeSendingNamingTheField() throws Exception {
        try (NullModem pty = NullModem.open(dir); ModbusRtuClient c = client(pty, Duration.ofMillis(100))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> c.readHoldingRegisters(0, 0, 1, new int[1]));
            assertTrue(e.getMessage().startsWith("unit must be from 1 to 247"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> c.readHoldingRegisters(1, 0, 126, new int[126]));
            assertTrue(e.getMessage().startsWith("count must be from 1 to 125"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> c.writeSingleRegister(1, 0, 70_000));
            assertTrue(e.getMessage().startsWith("register value must be"), e.getMessage());
            assertEquals(0, c.stats().requests());
        }
    }

    @Test
    void shouldPollAtAFixedRateOnTheFastLaneApplyWritesAndReconnectWhenTheDriveDies() throws Exception {
        try (NullModem pty = NullModem.open(dir); TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            LibmodbusServer server = new LibmodbusServer(pty.b(), 1);
            List<RegisterBlock> blocks = new CopyOnWriteArrayList<>();
            ModbusPollDriver driver = new ModbusPollDriver(SerialConfig.path(pty.a().toString()).build(), 1,
                    RegisterTable.HOLDING, 0, 10, Duration.ofMillis(10), Duration.ofMillis(8), 3);
            DeviceChannel<RegisterWrite, RegisterBlock> drive = rt.open(ChannelConfig.fast("modbus")
                    .dataPolicy(BackpressurePolicy.BLOCK).backoff(new Backoff(Duration.ofMillis(20), Duration.ofMillis(50)))
                    .build(), driver, (b, at) -> {
                        RegisterBlock copy = new RegisterBlock();
                        b.copyTo(copy);
                        blocks.add(copy);
                    });
            try {
                Await.until("20 polls", WAIT, () -> blocks.size() >= 20, drive.stats()::toString);
                for (int i = 1; i < blocks.size(); i++) {
                    assertEquals(blocks.get(i - 1).sequence + 1, blocks.get(i).sequence);
                }
                RegisterBlock ok = blocks.stream().filter(b -> b.status == PollStatus.OK).findFirst().orElseThrow();
                assertEquals(90, ok.values[9]);
                assertEquals(SendResult.ACCEPTED, drive.send(new RegisterWrite().single(3, 4242)));
                // values are only meaningful in OK blocks (a TIMEOUT block's slot holds older values)
                Await.until("the setpoint shows up in the polls", WAIT, () -> blocks.stream()
                        .filter(b -> b.status == PollStatus.OK).reduce((a, b) -> b).map(b -> b.values[3] == 4242)
                        .orElse(false), drive.stats()::toString);
                server.kill();
                Await.until("timeouts reported", WAIT,
                        () -> blocks.stream().anyMatch(b -> b.status == PollStatus.TIMEOUT), drive.stats()::toString);
                Await.until("the channel reconnects after 3 timeouts in a row", WAIT,
                        () -> drive.stats().driverErrors() >= 1, drive.stats()::toString);
                server = new LibmodbusServer(pty.b(), 1);
                int before = blocks.size();
                Await.until("fresh polls again", WAIT, () -> blocks.size() > before + 10
                        && blocks.get(blocks.size() - 1).status == PollStatus.OK && drive.state() == ChannelState.OPEN,
                        drive.stats()::toString);
                assertEquals(0, driver.writeErrors());
            } finally {
                server.close();
            }
        }
    }
}
