package io.inlay.codec;

/**
 * A page could not be compressed or decompressed: the input is corrupt or truncated, it does
 * not decompress to exactly its declared size, or the codec is not available.
 */
public final class CodecException extends Exception {
    private static final long serialVersionUID = 1L;

    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
