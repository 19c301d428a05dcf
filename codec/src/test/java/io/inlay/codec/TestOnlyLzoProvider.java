package io.inlay.codec;

import java.lang.foreign.MemorySegment;

/**
 * A stand-in third-party provider, registered only in the test class path's
 * META-INF/services: it stores pages as they are, under the LZO id Inlay does not implement.
 */
public final class TestOnlyLzoProvider implements CodecProvider {
    @Override
    public CompressionCodec codec() {
        return CompressionCodec.LZO;
    }

    @Override
    public Decompressor newDecompressor() {
        return new Decompressor() {
            @Override
            public void decompress(MemorySegment src, MemorySegment dst) throws CodecException {
                if (src.byteSize() != dst.byteSize()) {
                    throw new CodecException("LZO test codec: size mismatch");
                }
                MemorySegment.copy(src, 0, dst, 0, src.byteSize());
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public Compressor newCompressor(int level) {
        throw new UnsupportedOperationException("test codec");
    }
}
