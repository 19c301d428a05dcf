package io.inlay.engine.read;

import io.inlay.engine.io.IoEngine;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How files are read: the storage I/O engine and its queue, CRC verification, and the limits that
 * keep hostile files from making the reader allocate or loop beyond what a file can justify.
 * Immutable; use the {@code with} methods.
 *
 * <p><b>The I/O engine.</b> {@link IoEngine#AUTO} (the default) picks, for each file when it is
 * opened, from what the page cache holds of the file's page data ({@code cachestat(2)} on Linux
 * 6.5+, else {@code mincore(2)} of a mapping): {@link IoEngine#MMAP} when at least half of it is
 * cached (decoding straight from the page cache, no copy), else {@link IoEngine#IO_URING}
 * (O_DIRECT reads submitted through io_uring where the kernel allows it, else pread threads).
 * Why, measured on this project's 2-core VM: see the README's "Reading from storage".
 *
 * @param verifyCrc verify page CRC-32s where pages carry them (default true)
 * @param maxFooterBytes the largest footer accepted (default 256 MiB)
 * @param maxPageBytes the largest uncompressed page accepted (default 1 GiB)
 * @param maxValuesPerPage the most values (levels) one page may claim (default 2^26)
 * @param maxValuesPerByte the most values a column chunk may claim per stored byte (default 65536):
 *     far above what run-length encoding of real data reaches, far below what a corrupted count does
 * @param readAhead whether the projected ranges after the one being decoded are read ahead
 *     (default true): {@code ioDepth} reads in flight (pread, direct, io_uring) or asked for with
 *     {@code MADV_WILLNEED} (mmap); false reads each range when the decoder needs it, one read at a time
 * @param ioEngine how bytes are read from storage (default {@link IoEngine#AUTO})
 * @param ioDepth reads in flight at once per reading thread (default 32; 1 to 1024): the queue
 *     depth the device sees ({@code reader.io_depth}). Reads are submitted by the reading thread
 *     itself, between its decoding, so the bytes in flight ({@code ioDepth x transferSize}) must cover
 *     the time it spends on other work: 16 x 1 MiB left the device idle behind the decoding and
 *     consuming of one 64 MiB row group (bench/README.md, "I/O engines")
 * @param transferSize the size of one read in bytes (default 1 MiB; rounded up to a multiple of
 *     4 KiB, 4 KiB to 64 MiB; DLIO's {@code reader.transfer_size}). A reading thread keeps
 *     {@code 2 x ioDepth x transferSize} bytes of buffers (pread, direct, io_uring); mmap reads
 *     ahead {@code ioDepth x transferSize} bytes
 */
public record ReadOptions(boolean verifyCrc, long maxFooterBytes, long maxPageBytes, int maxValuesPerPage,
        long maxValuesPerByte, boolean readAhead, IoEngine ioEngine, int ioDepth, long transferSize) {

    /** The default queue depth. */
    public static final int DEFAULT_IO_DEPTH = 32;
    /** The default transfer size: 1 MiB. */
    public static final long DEFAULT_TRANSFER_SIZE = 1L << 20;
    private static final long MIN_TRANSFER = 4096;
    private static final long MAX_TRANSFER = 64L << 20;

    /** The defaults. */
    public static final ReadOptions DEFAULT = new ReadOptions(true, 256L << 20, 1L << 30, 1 << 26, 1L << 16, true,
            IoEngine.AUTO, DEFAULT_IO_DEPTH, DEFAULT_TRANSFER_SIZE);

    public ReadOptions {
        if (maxFooterBytes <= 0 || maxPageBytes <= 0 || maxValuesPerPage <= 0 || maxValuesPerByte <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        Objects.requireNonNull(ioEngine, "ioEngine");
        if (ioDepth < 1 || ioDepth > 1024) {
            throw new IllegalArgumentException("io depth must be 1 to 1024, not " + ioDepth);
        }
        if (transferSize < MIN_TRANSFER || transferSize > MAX_TRANSFER) {
            throw new IllegalArgumentException("transfer size must be 4 KiB to 64 MiB, not " + transferSize + " bytes");
        }
        transferSize = (transferSize + MIN_TRANSFER - 1) & -MIN_TRANSFER;
    }

    public ReadOptions withVerifyCrc(boolean verify) {
        return with(b -> b.verifyCrc = verify);
    }

    public ReadOptions withMaxFooterBytes(long bytes) {
        return with(b -> b.maxFooterBytes = bytes);
    }

    public ReadOptions withMaxPageBytes(long bytes) {
        return with(b -> b.maxPageBytes = bytes);
    }

    public ReadOptions withMaxValuesPerPage(int values) {
        return with(b -> b.maxValuesPerPage = values);
    }

    public ReadOptions withReadAhead(boolean ahead) {
        return with(b -> b.readAhead = ahead);
    }

    public ReadOptions withMaxValuesPerByte(long values) {
        return with(b -> b.maxValuesPerByte = values);
    }

    /** The storage I/O engine ({@code reader.io_engine}). */
    public ReadOptions withIoEngine(IoEngine engine) {
        return with(b -> b.ioEngine = engine);
    }

    /** Reads in flight per reading thread, 1 to 1024 ({@code reader.io_depth}). */
    public ReadOptions withIoDepth(int depth) {
        return with(b -> b.ioDepth = depth);
    }

    /** Bytes per read, 4 KiB to 64 MiB, rounded up to a multiple of 4 KiB ({@code reader.transfer_size}). */
    public ReadOptions withTransferSize(long bytes) {
        return with(b -> b.transferSize = bytes);
    }

    private ReadOptions with(Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return new ReadOptions(b.verifyCrc, b.maxFooterBytes, b.maxPageBytes, b.maxValuesPerPage, b.maxValuesPerByte,
                b.readAhead, b.ioEngine, b.ioDepth, b.transferSize);
    }

    /** The fields of some options, to change before making new ones: each wither names only what it changes. */
    private static final class Builder {
        private boolean verifyCrc;
        private long maxFooterBytes;
        private long maxPageBytes;
        private int maxValuesPerPage;
        private long maxValuesPerByte;
        private boolean readAhead;
        private IoEngine ioEngine;
        private int ioDepth;
        private long transferSize;

        Builder(ReadOptions o) {
            verifyCrc = o.verifyCrc;
            maxFooterBytes = o.maxFooterBytes;
            maxPageBytes = o.maxPageBytes;
            maxValuesPerPage = o.maxValuesPerPage;
            maxValuesPerByte = o.maxValuesPerByte;
            readAhead = o.readAhead;
            ioEngine = o.ioEngine;
            ioDepth = o.ioDepth;
            transferSize = o.transferSize;
        }
    }
}
