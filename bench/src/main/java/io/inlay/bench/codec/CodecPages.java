package io.inlay.bench.codec;

import io.inlay.codec.CodecException;
import io.inlay.codec.CodecRegistry;
import io.inlay.codec.CompressionCodec;
import io.inlay.codec.Compressor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * Compressed pages for the decompression benchmarks, made with Inlay's own compressors, or for
 * legacy {@link CompressionCodec#LZ4} (which Inlay only reads) framed here the way Hadoop's
 * {@code Lz4Codec} frames it, with lz4-java blocks.
 */
public final class CodecPages {

    /** Hadoop's default {@code io.compression.codec.lz4.buffersize}: one frame per 256 KiB. */
    public static final int HADOOP_LZ4_CHUNK = 256 * 1024;

    private static final ValueLayout.OfInt BE_INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private CodecPages() {}

    /**
     * Compresses {@code page} with {@code codec} at its default level into a new segment of
     * exactly the compressed size, allocated from {@code arena}.
     */
    public static MemorySegment compress(Arena arena, CompressionCodec codec, MemorySegment page) throws CodecException {
        if (codec == CompressionCodec.LZ4) {
            return hadoopLz4(arena, page);
        }
        try (Compressor compressor = CodecRegistry.standard().provider(codec).newCompressor()) {
            MemorySegment out = arena.allocate(compressor.maxCompressedLength(page.byteSize()), 64);
            long n = compressor.compress(page, out);
            return out.asSlice(0, n);
        }
    }

    /**
     * Legacy LZ4 with Hadoop framing: per chunk of up to {@link #HADOOP_LZ4_CHUNK} input bytes,
     * {@code [uncompressed length, 4 bytes BE][compressed length, 4 bytes BE][LZ4 block]}.
     */
    static MemorySegment hadoopLz4(Arena arena, MemorySegment page) {
        LZ4Compressor lz4 = LZ4Factory.fastestInstance().fastCompressor();
        long size = page.byteSize();
        long chunks = Math.max(1, (size + HADOOP_LZ4_CHUNK - 1) / HADOOP_LZ4_CHUNK);
        MemorySegment out = arena.allocate(chunks * (8 + lz4.maxCompressedLength(HADOOP_LZ4_CHUNK)), 64);
        long in = 0;
        long pos = 0;
        do {
            int len = (int) Math.min(HADOOP_LZ4_CHUNK, size - in);
            var dst = out.asSlice(pos + 8).asByteBuffer();
            int c = lz4.compress(page.asSlice(in, len).asByteBuffer(), 0, len, dst, 0, dst.remaining());
            out.set(BE_INT, pos, len);
            out.set(BE_INT, pos + 4, c);
            pos += 8 + c;
            in += len;
        } while (in < size);
        return out.asSlice(0, pos);
    }
}
