package io.inlay.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The reader's storage flags of {@code read} and {@code run}: shorthands for the config keys
 * {@code reader.io_engine}, {@code reader.io_depth}, {@code reader.transfer_size} and
 * {@code reader.odirect}, applied as overrides after the command line's own (so they win, are
 * checked as the keys are, and are recorded as overrides).
 */
final class IoFlags {
    @Option(names = "--io-engine", paramLabel = "ENGINE", description = "How files are read from storage (reader.io_engine):"
            + " auto (default: mmap for files mostly in the page cache, else io_uring), mmap, pread, direct, io_uring.")
    String ioEngine;

    @Option(names = "--io-depth", paramLabel = "N", description = "Reads in flight per reader thread (reader.io_depth,"
            + " default 16).")
    String ioDepth;

    @Option(names = "--transfer-size", paramLabel = "BYTES", description = "Bytes per read (reader.transfer_size, default"
            + " 1048576; 4096 to 67108864).")
    String transferSize;

    @Option(names = "--odirect", description = "Read with O_DIRECT, bypassing the page cache (reader.odirect: true).")
    boolean odirect;

    /** The overrides with these flags' keys appended. */
    List<String> apply(List<String> overrides) {
        List<String> out = new ArrayList<>(overrides);
        if (ioEngine != null) {
            out.add("reader.io_engine=" + ioEngine);
        }
        if (ioDepth != null) {
            out.add("reader.io_depth=" + ioDepth);
        }
        if (transferSize != null) {
            out.add("reader.transfer_size=" + transferSize);
        }
        if (odirect) {
            out.add("reader.odirect=true");
        }
        return out;
    }
}
