package io.inlay.engine.error;

import java.io.IOException;

/**
 * A file is not valid Parquet: truncated, inconsistent metadata, a bad page, a CRC mismatch.
 * The message names the file and, where they apply, the column, row group and page, and the
 * numbers that disagree.
 */
public class ParquetCorruptionException extends IOException {
    private static final long serialVersionUID = 1L;

    public ParquetCorruptionException(String message) {
        super(message);
    }

    public ParquetCorruptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
