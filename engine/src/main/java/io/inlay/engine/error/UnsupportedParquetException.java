package io.inlay.engine.error;

import java.io.IOException;

/**
 * A file is valid Parquet but uses something Inlay does not read: a type (decimal, int96,
 * temporal, map, struct, nested list, ...), an encoding or a codec. Thrown only when the
 * unsupported part is projected; other columns of the same file stay readable.
 */
public class UnsupportedParquetException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnsupportedParquetException(String message) {
        super(message);
    }

    public UnsupportedParquetException(String message, Throwable cause) {
        super(message, cause);
    }
}
