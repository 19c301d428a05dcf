package io.inlay.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

class HadoopLz4Test {
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final LZ4Compressor LZ4 = LZ4Factory.fastestJavaInstance().fastCompressor();

    private final CodecProvider provider;

    HadoopLz4Test() throws CodecException {
        provider = CodecRegistry.standard().provider(CompressionCodec.LZ4);
    }

    /** Frames {@code input} the way Hadoop's Lz4Codec does, in chunks of {@code chunk} bytes. */
    private static MemorySegment hadoopFrame(Arena arena, MemorySegment input, int chunk) {
        int size = (int) input.byteSize();
        MemorySegment out = arena.allocate(size + 64L + (size / chunk + 1) * (8L + LZ4.maxCompressedLength(chunk)));
        long pos = 0;
        for (int off = 0; off < size; off += chunk) {
            int len = Math.min(chunk, size - off);
            int n = LZ4.compress(input.asSlice(off, len).asByteBuffer(), 0, len,
                    out.asSlice(pos + 8).asByteBuffer(), 0, LZ4.maxCompressedLength(len));
            out.set(BE_INT, pos, len);
            out.set(BE_INT, pos + 4, n);
            pos += 8 + n;
        }
        return out.asSlice(0, pos);
    }

    private static MemorySegment rawBlock(Arena arena, MemorySegment input) {
        int size = (int) input.byteSize();
        MemorySegment out = arena.allocate(LZ4.maxCompressedLength(size));
        int n = LZ4.compress(input.asByteBuffer(), 0, size, out.asByteBuffer(), 0, (int) out.byteSize());
        return out.asSlice(0, n);
    }

    @Test
    void hadoopFraming_oneAndManyFrames() throws Exception {
        try (Arena arena = Arena.ofConfined(); Decompressor d = provider.newDecompressor()) {
            MemorySegment input = TestData.compressibleFloats(arena, 300_000, 3);
            for (int chunk : new int[] {300_000, 65_536, 1000}) {
                MemorySegment framed = hadoopFrame(arena, input, chunk);
                MemorySegment out = arena.allocate(300_000);
                d.decompress(framed, out);
                assertEquals(-1L, input.mismatch(out), "chunk " + chunk);
            }
        }
    }

    @Test
    void rawBlockUnderLegacyLz4_fallsBack() throws Exception {
        try (Arena arena = Arena.ofConfined(); Decompressor d = provider.newDecompressor()) {
            for (int size : new int[] {1, 9, 1024, 100_000}) {
                MemorySegment input = TestData.random(arena, size, size);
                MemorySegment out = arena.allocate(size);
                d.decompress(rawBlock(arena, input), out);
                assertEquals(-1L, input.mismatch(out), "size " + size);
            }
        }
    }

    @Test
    void neitherFramingNorRaw_throwsCodecException() throws Exception {
        try (Arena arena = Arena.ofConfined(); Decompressor d = provider.newDecompressor()) {
            MemorySegment input = TestData.compressibleFloats(arena, 10_000, 1);
            MemorySegment framed = hadoopFrame(arena, input, 4096);
            // a frame that claims one byte more than the page has
            MemorySegment bad = arena.allocate(framed.byteSize());
            MemorySegment.copy(framed, 0, bad, 0, framed.byteSize());
            bad.set(BE_INT, 0, bad.get(BE_INT, 0) + 1);
            assertThrows(CodecException.class, () -> d.decompress(bad, arena.allocate(10_000)));
            assertThrows(CodecException.class, () -> d.decompress(framed.asSlice(0, framed.byteSize() - 3), arena.allocate(10_000)));
            assertThrows(CodecException.class, () -> d.decompress(framed, arena.allocate(9_999)));
        }
    }

    @Test
    void legacyLz4_isReadOnly() {
        assertFalse(provider.canCompress());
        assertThrows(UnsupportedOperationException.class, provider::newCompressor);
    }
}
