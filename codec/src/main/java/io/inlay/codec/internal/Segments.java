package io.inlay.codec.internal;

import io.inlay.codec.CodecException;
import io.inlay.codec.CompressionCodec;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Native segments handed to codec libraries: as raw addresses where the library takes them
 * (snappy-java, zstd-jni), which allocates nothing, or as direct buffer views where it only
 * takes ByteBuffers (lz4-java, {@link java.util.zip.Inflater}), which allocates one small view
 * object per segment and call.
 */
final class Segments {
    private Segments() {}

    /**
     * A direct buffer over the whole segment, positioned at 0. Parquet pages are at most
     * {@code Integer.MAX_VALUE} bytes (page sizes are i32 in the format), as ByteBuffers are.
     */
    static ByteBuffer buffer(MemorySegment segment, String role) {
        check(segment, role);
        return segment.asByteBuffer();
    }

    /**
     * The address of a native segment of at most {@code Integer.MAX_VALUE} bytes, for libraries
     * that take raw addresses. The caller keeps the segment alive for the duration of the call.
     */
    static long address(MemorySegment segment, String role) {
        check(segment, role);
        return segment.address();
    }

    private static void check(MemorySegment segment, String role) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException(role + " must be native (off-heap or mapped) memory");
        }
        if (segment.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(role + " of " + segment.byteSize() + " bytes is larger than a page can be");
        }
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
