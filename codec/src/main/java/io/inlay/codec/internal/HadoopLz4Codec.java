package io.inlay.codec.internal;

import io.inlay.codec.CodecException;
import io.inlay.codec.CodecProvider;
import io.inlay.codec.CompressionCodec;
import io.inlay.codec.Compressor;
import io.inlay.codec.Decompressor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Legacy LZ4 (codec id 5), read-only. Writers disagree on what it means:
 * parquet-java (through Hadoop's Lz4Codec) frames the data; some older writers store a
 * bare LZ4 block. Hadoop framing is tried first; if the page does not parse as such, it is read
 * as one raw block, as Arrow does.
 *
 * <pre>
 * Hadoop framing, repeated until the page ends (integers big-endian):
 * +------------------------+----------------------+--------------------------+
 * | uncompressed length u  | compressed length c  | c bytes: one LZ4 block   |
 * | (4 bytes)              | (4 bytes)            | that expands to u bytes  |
 * +------------------------+----------------------+--------------------------+
 * </pre>
 */
public final class HadoopLz4Codec implements CodecProvider {
    private static final CompressionCodec CODEC = CompressionCodec.LZ4;
    private static final int FRAME_HEADER = 8;

    @Override
    public CompressionCodec codec() {
        return CODEC;
    }

    @Override
    public boolean canCompress() {
        return false;
    }

    @Override
    public Compressor newCompressor(int level) {
        throw new UnsupportedOperationException(
                "legacy LZ4 (Hadoop framing) is read-only in Inlay; write LZ4_RAW (config name 'lz4') instead");
    }

    @Override
    public Decompressor newDecompressor() {
        return new Decompressor() {
            @Override
            public void decompress(MemorySegment src, MemorySegment dst) throws CodecException {
                ByteBuffer in = Segments.buffer(src, "source");
                ByteBuffer out = Segments.buffer(dst, "destination");
                int srcLen = in.remaining();
                int dstLen = out.remaining();
                if (srcLen == 0 && dstLen == 0) {
                    return;
                }
                if (decompressHadoop(in, srcLen, out, dstLen)) {
                    return;
                }
                int n = Lz4Blocks.decompress(in, 0, srcLen, out, 0, dstLen);
                if (n == dstLen) {
                    return;
                }
                throw new CodecException(CODEC + " page of " + srcLen + " compressed bytes (declared " + dstLen
                        + " uncompressed) is neither Hadoop-framed LZ4 nor a raw LZ4 block"
                        + (n < 0 ? "" : " (as a raw block it gives " + n + " bytes)"));
            }

            @Override
            public void close() {}
        };
    }

    /** Returns whether the whole page parsed as Hadoop frames filling exactly {@code dstLen} bytes. */
    private static boolean decompressHadoop(ByteBuffer in, int srcLen, ByteBuffer out, int dstLen) {
        int pos = 0;
        int outPos = 0;
        while (pos < srcLen) {
            if (srcLen - pos < FRAME_HEADER) {
                return false;
            }
            int uncompressed = in.getInt(pos); // ByteBuffers default to big-endian, as the framing is
            int compressed = in.getInt(pos + 4);
            pos += FRAME_HEADER;
            if (uncompressed < 0 || compressed < 0 || compressed > srcLen - pos || uncompressed > dstLen - outPos) {
                return false;
            }
            int n = Lz4Blocks.decompress(in, pos, compressed, out, outPos, uncompressed);
            if (n != uncompressed) {
                return false;
            }
            pos += compressed;
            outPos += uncompressed;
        }
        return outPos == dstLen;
    }
}
