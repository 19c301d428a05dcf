package io.inlay.codec.internal;

import io.inlay.codec.CodecException;
import io.inlay.codec.CodecProvider;
import io.inlay.codec.CompressionCodec;
import io.inlay.codec.Compressor;
import io.inlay.codec.Decompressor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyError;

/**
 * SNAPPY through snappy-java's raw block format, called with the segments' addresses so that
 * nothing is allocated per page.
 */
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
                long in = Segments.address(src, "source");
                long out = Segments.address(dst, "destination");
                long srcLen = src.byteSize();
                long dstLen = dst.byteSize();
                if (srcLen == 0) {
                    // some writers store an empty page as zero bytes rather than a snappy block
                    if (dstLen != 0) {
                        throw Segments.sizeMismatch(CODEC, 0, dstLen);
                    }
                    return;
                }
                try {
                    // the block starts with its uncompressed length: refuse before decoding, so the
                    // native decoder (which writes up to that length) never passes the destination
                    long declaredByBlock = Snappy.uncompressedLength(in, srcLen);
                    if (declaredByBlock != dstLen) {
                        throw new CodecException(CODEC + " block says it holds " + Long.toUnsignedString(declaredByBlock)
                                + " bytes but the page's declared uncompressed size is " + dstLen);
                    }
                    long n = Snappy.rawUncompress(in, srcLen, out);
                    if (n != dstLen) {
                        throw Segments.sizeMismatch(CODEC, n, dstLen);
                    }
                } catch (IOException | SnappyError | IllegalArgumentException e) {
                    throw Segments.corrupt(CODEC, srcLen, dstLen, e);
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
                long in = Segments.address(src, "source");
                long out = Segments.address(dst, "destination");
                // the native encoder trusts the destination to hold the worst case: check it here
                long bound = maxCompressedLength(src.byteSize());
                if (dst.byteSize() < bound) {
                    throw new CodecException(CODEC + " destination of " + dst.byteSize()
                            + " bytes is smaller than maxCompressedLength " + bound);
                }
                try {
                    return Snappy.rawCompress(in, src.byteSize(), out);
                } catch (IOException | SnappyError e) {
                    throw new CodecException(CODEC + " compression failed: " + e.getMessage(), e);
                }
            }

            @Override
            public void close() {}
        };
    }
}
