package io.inlay.codec.internal;

import io.inlay.codec.CodecException;
import io.inlay.codec.CodecProvider;
import io.inlay.codec.CompressionCodec;
import io.inlay.codec.Compressor;
import io.inlay.codec.Decompressor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import net.jpountz.lz4.LZ4Exception;

/** LZ4_RAW: each page is one raw LZ4 block, without framing. Read and write. */
public final class Lz4RawCodec implements CodecProvider {
    private static final CompressionCodec CODEC = CompressionCodec.LZ4_RAW;

    @Override
    public CompressionCodec codec() {
        return CODEC;
    }

    @Override
    public Decompressor newDecompressor() {
        return new Decompressor() {
            @Override
            public void decompress(MemorySegment src, MemorySegment dst) throws CodecException {
                ByteBuffer in = Segments.buffer(src, "source");
                ByteBuffer out = Segments.buffer(dst, "destination");
                if (in.remaining() == 0 && out.remaining() == 0) {
                    return;
                }
                int n = Lz4Blocks.decompress(in, 0, in.remaining(), out, 0, out.remaining());
                if (n < 0) {
                    throw new CodecException(CODEC + " page of " + src.byteSize()
                            + " compressed bytes (declared " + dst.byteSize() + " uncompressed) is not a valid LZ4 block");
                }
                if (n != dst.byteSize()) {
                    throw Segments.sizeMismatch(CODEC, n, dst.byteSize());
                }
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
                if (uncompressedLength > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("page of " + uncompressedLength + " bytes is too large");
                }
                return Lz4Blocks.COMPRESSOR.maxCompressedLength((int) uncompressedLength);
            }

            @Override
            public long compress(MemorySegment src, MemorySegment dst) throws CodecException {
                ByteBuffer in = Segments.buffer(src, "source");
                ByteBuffer out = Segments.buffer(dst, "destination");
                try {
                    return Lz4Blocks.COMPRESSOR.compress(in, 0, in.remaining(), out, 0, out.remaining());
                } catch (LZ4Exception e) {
                    throw new CodecException(CODEC + " compression failed: " + e.getMessage(), e);
                }
            }

            @Override
            public void close() {}
        };
    }
}
