package io.inlay.codec.internal;

import io.inlay.codec.CodecException;
import io.inlay.codec.CodecProvider;
import io.inlay.codec.CompressionCodec;
import io.inlay.codec.Compressor;
import io.inlay.codec.Decompressor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyError;

/** SNAPPY through snappy-java's raw block format, on direct buffers. */
public final class SnappyCodec implements CodecProvider {
    private static final CompressionCodec CODEC = CompressionCodec.SNAPPY;

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
                if (in.remaining() == 0) {
                    // some writers store an empty page as zero bytes rather than a snappy block
                    if (out.remaining() != 0) {
                        throw Segments.sizeMismatch(CODEC, 0, dst.byteSize());
                    }
                    return;
                }
                try {
                    // the block starts with its uncompressed length: refuse before decoding
                    int declaredByBlock = Snappy.uncompressedLength(in);
                    if (declaredByBlock != out.remaining()) {
                        throw new CodecException(CODEC + " block says it holds " + Integer.toUnsignedString(declaredByBlock)
                                + " bytes but the page's declared uncompressed size is " + dst.byteSize());
                    }
                    int n = Snappy.uncompress(in, out);
                    if (n != dst.byteSize()) {
                        throw Segments.sizeMismatch(CODEC, n, dst.byteSize());
                    }
                } catch (IOException | SnappyError | IllegalArgumentException e) {
                    throw Segments.corrupt(CODEC, src.byteSize(), dst.byteSize(), e);
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
                return Snappy.maxCompressedLength((int) uncompressedLength);
            }

            @Override
            public long compress(MemorySegment src, MemorySegment dst) throws CodecException {
                ByteBuffer in = Segments.buffer(src, "source");
                ByteBuffer out = Segments.buffer(dst, "destination");
                try {
                    return Snappy.compress(in, out);
                } catch (IOException | SnappyError e) {
                    throw new CodecException(CODEC + " compression failed: " + e.getMessage(), e);
                }
            }

            @Override
            public void close() {}
        };
    }
}
