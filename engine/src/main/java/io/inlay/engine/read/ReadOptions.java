package io.inlay.engine.read;

/**
 * How files are read: CRC verification and the limits that keep hostile files from making the
 * reader allocate or loop beyond what a file can justify. Immutable; use the {@code with} methods.
 *
 * @param verifyCrc verify page CRC-32s where pages carry them (default true)
 * @param maxFooterBytes the largest footer accepted (default 256 MiB)
 * @param maxPageBytes the largest uncompressed page accepted (default 1 GiB)
 * @param maxValuesPerPage the most values (levels) one page may claim (default 2^26)
 * @param maxValuesPerByte the most values a column chunk may claim per stored byte (default 65536):
 *     far above what run-length encoding of real data reaches, far below what a corrupted count does
 * @param readAhead Inlay manages read-ahead (default true; Linux only): the mapping is marked
 *     {@code MADV_RANDOM}, so page faults do not pull in neighbouring bytes (the kernel's read-around
 *     would fetch columns that are not read), and {@code MADV_WILLNEED} asks for the projected chunks
 *     of the row group being decoded and of the next one ahead of use
 */
public record ReadOptions(boolean verifyCrc, long maxFooterBytes, long maxPageBytes, int maxValuesPerPage,
        long maxValuesPerByte, boolean readAhead) {

    /** The defaults. */
    public static final ReadOptions DEFAULT = new ReadOptions(true, 256L << 20, 1L << 30, 1 << 26, 1L << 16, true);

    public ReadOptions {
        if (maxFooterBytes <= 0 || maxPageBytes <= 0 || maxValuesPerPage <= 0 || maxValuesPerByte <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public ReadOptions withVerifyCrc(boolean verify) {
        return new ReadOptions(verify, maxFooterBytes, maxPageBytes, maxValuesPerPage, maxValuesPerByte, readAhead);
    }

    public ReadOptions withMaxFooterBytes(long bytes) {
        return new ReadOptions(verifyCrc, bytes, maxPageBytes, maxValuesPerPage, maxValuesPerByte, readAhead);
    }

    public ReadOptions withMaxPageBytes(long bytes) {
        return new ReadOptions(verifyCrc, maxFooterBytes, bytes, maxValuesPerPage, maxValuesPerByte, readAhead);
    }

    public ReadOptions withMaxValuesPerPage(int values) {
        return new ReadOptions(verifyCrc, maxFooterBytes, maxPageBytes, values, maxValuesPerByte, readAhead);
    }

    public ReadOptions withReadAhead(boolean ahead) {
        return new ReadOptions(verifyCrc, maxFooterBytes, maxPageBytes, maxValuesPerPage, maxValuesPerByte, ahead);
    }

    public ReadOptions withMaxValuesPerByte(long values) {
        return new ReadOptions(verifyCrc, maxFooterBytes, maxPageBytes, maxValuesPerPage, values, readAhead);
    }
}
