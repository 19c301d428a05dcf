package io.inlay.codec.internal;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.inlay.codec.CodecException;
import io.inlay.codec.CodecProvider;
import io.inlay.codec.CompressionCodec;
import io.inlay.codec.Compressor;
import io.inlay.codec.Decompressor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * ZSTD through zstd-jni with a reused context per instance, on direct buffers. Default level 3
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
            private ZstdDecompressCtx ctx;

            @Override
            public void decompress(MemorySegment src, MemorySegment dst) throws CodecException {
                ByteBuffer in = Segments.buffer(src, "source");
                ByteBuffer out = Segments.buffer(dst, "destination");
                if (in.remaining() == 0 && out.remaining() == 0) {
                    return;
                }
                if (ctx == null) {
                    ctx = new ZstdDecompressCtx();
                }
                int n;
                try {
                    n = ctx.decompressDirectByteBuffer(out, 0, out.remaining(), in, 0, in.remaining());
                } catch (ZstdException | IllegalArgumentException e) {
                    ctx.reset();
                    throw Segments.corrupt(CODEC, src.byteSize(), dst.byteSize(), e);
                }
                if (n != out.remaining()) {
                    throw Segments.sizeMismatch(CODEC, n, dst.byteSize());
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
