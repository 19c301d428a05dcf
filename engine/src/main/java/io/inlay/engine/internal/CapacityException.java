package io.inlay.engine.internal;

/**
 * Decoded data does not fit what Inlay can hold: more than 2 GiB of bytes or 2^31 elements behind
 * one vector's int32 offsets, or off-heap memory that cannot be had. The column decoder reports it
 * as an {@link io.inlay.engine.error.UnsupportedParquetException} naming the file and column. A
 * distinct type so that it is never confused with the {@link IllegalStateException} of a closed
 * arena, which must reach the caller as it is.
 */
public final class CapacityException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public CapacityException(String message) {
        super(message);
    }

    public CapacityException(String message, Throwable cause) {
        super(message, cause);
    }
}
