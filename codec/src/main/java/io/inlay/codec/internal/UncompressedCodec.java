package io.inlay.codec.internal;

import io.inlay.codec.CodecException;
import io.inlay.codec.CodecProvider;
import io.inlay.codec.CompressionCodec;
import io.inlay.codec.Compressor;
import io.inlay.codec.Decompressor;
import java.lang.foreign.MemorySegment;

/** UNCOMPRESSED: the page bytes are stored as they are. */
public final class UncompressedCodec implements CodecProvider {

    @Override
    public CompressionCodec codec() {
        return CompressionCodec.UNCOMPRESSED;
    }

    @Override
    public Decompressor newDecompressor() {
        return new Decompressor() {
            @Override
            public void decompress(MemorySegment src, MemorySegment dst) throws CodecException {
                if (src.byteSize() != dst.byteSize()) {
                    throw Segments.sizeMismatch(CompressionCodec.UNCOMPRESSED, src.byteSize(), dst.byteSize());
                }
                MemorySegment.copy(src, 0, dst, 0, src.byteSize());
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public Compressor newCompressor(int level) {
        checkLevel(level);
        return new Compressor() {
            @Override
            public long maxCompressedLength(long uncompressedLength) {
                return uncompressedLength;
            }

            @Override
            public long compress(MemorySegment src, MemorySegment dst) {
                MemorySegment.copy(src, 0, dst, 0, src.byteSize());
                return src.byteSize();
            }

            @Override
            public void close() {}
        };
    }
}
