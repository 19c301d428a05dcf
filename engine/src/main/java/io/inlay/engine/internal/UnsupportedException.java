package io.inlay.engine.internal;

/**
 * Valid Parquet that Inlay does not read: an encoding that does not apply to a column's type, or
 * that Inlay does not implement. Thrown by internal code, which does not know which file, column
 * or page it is in; the caller adds that context and rethrows it as the public
 * unsupported-Parquet exception, distinct from corruption.
 */
public final class UnsupportedException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnsupportedException(String message) {
        super(message);
    }
}
