package io.github.twinlane.record.mcap;

import java.nio.file.Path;

/**
 * A process that reads one MCAP file with the default limits and prints how the read ended: "read N
 * messages in C chunks", or "McapException: " and its message. Anything else (an OutOfMemoryError)
 * escapes and ends the process with its stack trace. Usage: McapReadChild FILE
 */
public final class McapReadChild {
    private McapReadChild() {
    }

    public static void main(String[] args) throws Exception {
        try (McapReader r = McapReader.open(Path.of(args[0]))) {
            McapScan scan = r.read(new McapVisitor() { });
            System.out.println("read " + scan.messages() + " messages in " + scan.chunks() + " chunks");
        } catch (McapException e) {
            System.out.println("McapException: " + e.getMessage());
        }
        System.out.flush();
    }
}
