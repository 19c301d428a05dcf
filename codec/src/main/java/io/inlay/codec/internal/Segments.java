package io.inlay.codec.internal;

import io.inlay.codec.CodecException;
import io.inlay.codec.CompressionCodec;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/** Views of native segments as direct buffers, for libraries that take ByteBuffers. */
final class Segments {
    private Segments() {}

    /**
     * A direct buffer over the whole segment, positioned at 0. Parquet pages are at most
     * {@code Integer.MAX_VALUE} bytes (page sizes are i32 in the format), as ByteBuffers are.
     */
    static ByteBuffer buffer(MemorySegment segment, String role) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException(role + " must be native (off-heap or mapped) memory");
        }
        if (segment.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(role + " of " + segment.byteSize() + " bytes is larger than a page can be");
        }
        return segment.asByteBuffer();
    }

    /** Checks that both segments can be handed to a native codec. */
    static void checkNative(MemorySegment src, MemorySegment dst) {
        buffer(src, "source");
        buffer(dst, "destination");
    }

    static CodecException sizeMismatch(CompressionCodec codec, long produced, long declared) {
        return new CodecException(codec + " page decompressed to " + produced
                + " bytes but its declared uncompressed size is " + declared);
    }

    static CodecException corrupt(CompressionCodec codec, long compressed, long declared, Throwable cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new CodecException(codec + " page of " + compressed + " compressed bytes (declared "
                + declared + " uncompressed) is corrupt: " + reason, cause);
    }
}
