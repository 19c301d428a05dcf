package io.inlay.codec.internal;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdException;
import io.inlay.codec.CodecException;
import io.inlay.codec.CodecProvider;
import io.inlay.codec.CompressionCodec;
import io.inlay.codec.Compressor;
import io.inlay.codec.Decompressor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * ZSTD through zstd-jni. Decompression passes the segments' addresses (nothing allocated per
 * page); compression reuses one context per instance, on direct buffer views. Default level 3
 * (zstd's own default); levels from 1 to zstd's maximum (22), plus zstd's fast negative levels
 * down to -7.
 */
public final class ZstdCodec implements CodecProvider {
    private static final CompressionCodec CODEC = CompressionCodec.ZSTD;
    public static final int DEFAULT_LEVEL = 3;

    @Override
    public CompressionCodec codec() {
        return CODEC;
    }

    @Override
    public int defaultLevel() {
        return DEFAULT_LEVEL;
    }

    @Override
    public int minLevel() {
        return -7;
    }

    @Override
    public int maxLevel() {
        return Zstd.maxCompressionLevel();
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
                if (srcLen == 0 && dstLen == 0) {
                    return;
                }
                // by address: zstd-jni's context methods take ByteBuffers, whose views cost an
                // allocation per page; ZSTD_decompress checks every bound against the sizes given
                long n = Zstd.decompressUnsafe(out, dstLen, in, srcLen);
                if (Zstd.isError(n)) {
                    throw new CodecException(CODEC + " page of " + srcLen + " compressed bytes (declared "
                            + dstLen + " uncompressed) is corrupt: " + Zstd.getErrorName(n));
                }
                if (n != dstLen) {
                    throw Segments.sizeMismatch(CODEC, n, dstLen);
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
            private ZstdCompressCtx ctx;

            @Override
            public long maxCompressedLength(long uncompressedLength) {
                return Zstd.compressBound(uncompressedLength);
            }

            @Override
            public long compress(MemorySegment src, MemorySegment dst) throws CodecException {
                ByteBuffer in = Segments.buffer(src, "source");
                ByteBuffer out = Segments.buffer(dst, "destination");
                if (ctx == null) {
                    ctx = new ZstdCompressCtx().setLevel(level);
                }
                try {
                    return ctx.compressDirectByteBuffer(out, 0, out.remaining(), in, 0, in.remaining());
                } catch (ZstdException e) {
                    throw new CodecException(CODEC + " compression failed: " + e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                if (ctx != null) {
                    ctx.close();
                    ctx = null;
                }
            }
        };
    }
}
