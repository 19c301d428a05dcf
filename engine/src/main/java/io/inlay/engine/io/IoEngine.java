package io.inlay.engine.io;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a file's bytes get from storage to the decoders ({@code reader.io_engine}; see
 * {@link io.inlay.engine.read.ReadOptions} for what {@link #AUTO} picks and why).
 *
 * <ul>
 *   <li>{@link #MMAP}: the file is mapped; the projected chunk ranges ahead of the decoder are
 *       asked for with {@code MADV_WILLNEED} ({@code reader.transfer_size} x {@code reader.io_depth}
 *       bytes ahead) and faulted in with {@code MADV_POPULATE_READ} just before they are decoded.
 *       The only engine with zero-copy slices of the file itself; the page cache holds what it read.</li>
 *   <li>{@link #PREAD}: {@code pread(2)} of the projected ranges (adjacent chunks coalesced) into
 *       reused aligned buffers, {@code reader.io_depth} reads of {@code reader.transfer_size} in
 *       flight on I/O threads, through the page cache.</li>
 *   <li>{@link #DIRECT}: the same with {@code O_DIRECT}: the page cache is bypassed (no eviction
 *       needed, nothing cached). Where the file system refuses O_DIRECT (tmpfs) it reads with
 *       {@code pread}, after a one-line notice. DLIO's {@code reader.odirect: true}.</li>
 *   <li>{@link #IO_URING}: {@link #DIRECT}'s reads submitted through {@code io_uring} (raw
 *       {@code io_uring_setup}/{@code io_uring_enter} through FFM), for reads through a worker's
 *       {@link io.inlay.engine.read.ReadBuffers}, the footers of the files it reads ahead included (an io_uring
 *       queue is confined to its thread; other reads use I/O threads; {@link IoStats#uringReads()}
 *       counts them); where the kernel or a seccomp policy refuses io_uring, I/O threads after a
 *       one-line notice.</li>
 *   <li>{@link #AUTO}: one of the above per file, by what is in the page cache when it is opened
 *       (see {@link io.inlay.engine.read.ReadOptions}).</li>
 * </ul>
 */
public enum IoEngine {
    AUTO("auto"),
    MMAP("mmap"),
    PREAD("pread"),
    DIRECT("direct"),
    IO_URING("io_uring");

    private final String configName;

    IoEngine(String configName) {
        this.configName = configName;
    }

    /** The name in configs, flags and reports: {@code auto}, {@code mmap}, {@code pread}, {@code direct}, {@code io_uring}. */
    public String configName() {
        return configName;
    }

    /** The valid names, for messages: {@code auto, mmap, pread, direct, io_uring}. */
    public static String validNames() {
        return Arrays.stream(values()).map(IoEngine::configName).collect(Collectors.joining(", "));
    }

    /**
     * The engine of a config name (case-insensitive; {@code io-uring} and {@code uring} name
     * {@link #IO_URING} too).
     *
     * @throws IllegalArgumentException with one line listing the valid values
     */
    public static IoEngine parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        if (n.equals("uring")) {
            return IO_URING;
        }
        for (IoEngine e : values()) {
            if (e.configName.equals(n)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown I/O engine '" + name + "'; valid: " + validNames());
    }

    @Override
    public String toString() {
        return configName;
    }
}
