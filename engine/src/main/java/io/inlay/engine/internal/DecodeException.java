package io.inlay.engine.internal;

/**
 * Page data that cannot be decoded. Thrown by the decoders, which do not know which file,
 * column or page they are in; the page reader adds that context and rethrows it as a
 * {@link io.inlay.engine.error.ParquetCorruptionException}.
 */
public final class DecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    public DecodeException(String message) {
        super(message);
    }
}
