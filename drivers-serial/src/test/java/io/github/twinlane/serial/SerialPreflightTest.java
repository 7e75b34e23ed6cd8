package io.github.twinlane.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Preflight findings, on fake /proc and /sys trees (and a fake device) so every case can be built. */
class SerialPreflightTest {
    @TempDir
    Path root;

    private SerialPreflight preflight(boolean accessible) {
        return new SerialPreflight(root.resolve("proc"), root.resolve("sys"), d -> accessible);
    }

    private Path device(String name) throws Exception {
        Files.createDirectories(root.resolve("dev"));
        return Files.createFile(root.resolve("dev").resolve(name));
    }

    @Test
    void shouldSayAMissingPortDoesNotExistAndHowToFindIt() {
        List<SerialPreflight.Finding> f = preflight(true).check(SerialConfig.path(root + "/dev/ttyUSB9").build());
        assertEquals(1, f.size());
        assertEquals(SerialPreflight.Severity.ERROR, f.get(0).severity());
        assertTrue(f.get(0).message().contains("does not exist") && f.get(0).message().contains("dmesg"), f.toString());
    }

    @Test
    void shouldNameTheGroupToJoinWhenPermissionIsDenied() throws Exception {
        Path dev = device("ttyUSB0");
        List<SerialPreflight.Finding> f = preflight(false).check(SerialConfig.path(dev.toString()).build());
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.get(0).message().startsWith("permission denied on " + dev), f.toString());
        assertTrue(f.get(0).message().contains("usermod -aG"), f.toString());
    }

    @Test
    void shouldNameTheProcessHoldingABusyPort() throws Exception {
        Path dev = device("ttyUSB0");
        Path fd = Files.createDirectories(root.resolve("proc/4242/fd"));
        Files.createSymbolicLink(fd.resolve("3"), dev.toRealPath());
        Files.writeString(root.resolve("proc/4242/comm"), "minicom\n");
        List<SerialPreflight.Finding> f = preflight(true).check(SerialConfig.path(dev.toString()).build());
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.get(0).message().contains("is busy: it is open in process 4242 (minicom)"), f.toString());
    }

    @Test
    void shouldWarnAboutAUsbSerialLatencyTimerOf16MsWithTheSysfsPathAndTheValueToWrite() throws Exception {
        Path dev = device("ttyUSB0");
        Path timer = Files.createDirectories(root.resolve("sys/bus/usb-serial/devices/ttyUSB0")).resolve("latency_timer");
        Files.writeString(timer, "16\n");
        List<SerialPreflight.Finding> f = preflight(true).check(SerialConfig.path(dev.toString()).build());
        assertEquals(1, f.size(), f.toString());
        assertEquals(SerialPreflight.Severity.WARN, f.get(0).severity());
        assertTrue(f.get(0).message().contains("latency_timer 16 ms"), f.toString());
        assertTrue(f.get(0).message().contains("echo 1 | sudo tee " + timer), f.toString());
        Files.writeString(timer, "1\n");
        assertEquals(List.of(), preflight(true).check(SerialConfig.path(dev.toString()).build()));
    }

    @Test
    void shouldFindNothingWrongWithAFreshPtyOnThisMachine() throws Exception {
        io.github.twinlane.test.Rig.require(io.github.twinlane.test.Rig.isLinux(), "Linux's kernel ptys",
                "run the tests on Linux");
        try (io.github.twinlane.test.Pty pty = io.github.twinlane.test.Pty.open(root.resolve("pty"))) {
            assertEquals(List.of(), SerialPreflight.system().check(SerialConfig.path(pty.link().toString()).build()));
        }
    }

    @Test
    void shouldExplainAFailedOpenOfAMissingPortInTheException() {
        SerialPortDriver d = SerialPortDriver.blocking(SerialConfig.path(root + "/nope").build(),
                io.github.twinlane.serial.codec.DelimiterCodec.lines(16));
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, d::open);
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void shouldAcceptADeviceResolvedThroughALinkToTheSameFile() throws Exception {
        Path dev = device("ttyUSB0");
        Path link = Files.createSymbolicLink(root.resolve("drive"), dev);
        assertEquals(java.util.Optional.empty(), preflight(true).checkResolved(SerialConfig.path(link.toString()).build(),
                dev.toString()));
    }

    @Test
    void shouldRefuseAMissingPortResolvedToADeviceOfTheSameNameNamingBothAndWhatToDo() throws Exception {
        Path other = device("tty3");
        Path gone = Files.createSymbolicLink(Files.createDirectories(root.resolve("ports")).resolve("tty3"),
                root.resolve("dev/ttyUSB7"));
        SerialPreflight.Finding f = preflight(true).checkResolved(SerialConfig.path(gone.toString()).build(),
                other.toString()).orElseThrow();
        assertEquals(SerialPreflight.Severity.ERROR, f.severity());
        assertTrue(f.message().startsWith("port " + gone + " does not exist (a link to " + root.resolve("dev/ttyUSB7")
                + ", which is gone), and jSerialComm would open " + other + " in its place: not opened."), f.message());
        assertTrue(f.message().contains("UsbIdentity"), f.message());
    }

    @Test
    void shouldRefuseAPortResolvedToAnotherExistingDevice() throws Exception {
        Path asked = device("ttyUSB0");
        Path other = device("ttyUSB1");
        SerialPreflight.Finding f = preflight(true).checkResolved(SerialConfig.path(asked.toString()).build(),
                other.toString()).orElseThrow();
        assertTrue(f.message().startsWith("port " + asked + " is " + asked.toRealPath() + ", but jSerialComm resolved it to "
                + other + ", another device: not opened."), f.message());
    }

    @Test
    void shouldDescribeTheWholeLineSettingNotJustThePath() {
        assertEquals("/dev/ttyUSB0 115200 8N1, read timeout 100 ms", SerialConfig.path("/dev/ttyUSB0").build().describe());
        assertEquals("/dev/ttyS1 19200 8E2, RS-485, read timeout 20 ms", SerialConfig.path("/dev/ttyS1").baudRate(19_200)
                .parity(Parity.EVEN).stopBits(StopBits.TWO).rs485(true).readTimeout(java.time.Duration.ofMillis(20))
                .build().describe());
    }
}
