package io.inlay.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CodecCorruptionTest {
    static final int SIZE = 64 * 1024;
    static final int GUARD = 64;
    static final byte MARKER = (byte) 0x5A;

    static Stream<CompressionCodec> compressing() {
        return Stream.of(CompressionCodec.SNAPPY, CompressionCodec.GZIP, CompressionCodec.ZSTD, CompressionCodec.LZ4_RAW);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compressing")
    void truncatedInput_throwsCodecException(CompressionCodec codec) throws Exception {
        CodecProvider provider = CodecRegistry.standard().provider(codec);
        try (Arena arena = Arena.ofConfined(); Compressor c = provider.newCompressor(); Decompressor d = provider.newDecompressor()) {
            for (String kind : new String[] {"random", "floats"}) {
                MemorySegment input = kind.equals("random") ? TestData.random(arena, SIZE, 5) : TestData.compressibleFloats(arena, SIZE, 5);
                MemorySegment compressed = arena.allocate(c.maxCompressedLength(SIZE));
                long n = c.compress(input, compressed);
                for (long cut : new long[] {0, 1, 2, n / 3, n / 2, n - 2, n - 1}) {
                    MemorySegment src = compressed.asSlice(0, cut);
                    assertThrows(CodecException.class, () -> d.decompress(src, arena.allocate(SIZE)),
                            codec + " " + kind + " truncated to " + cut + " of " + n);
                }
            }
        }
    }

    /**
     * Every single-bit flip ends either in a CodecException or in exactly the declared number of
     * bytes, never a write outside the destination; flips in the parts a codec checks are rejected.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("compressing")
    void bitFlips_rejectedOrExactSize_neverOutOfBounds(CompressionCodec codec) throws Exception {
        CodecProvider provider = CodecRegistry.standard().provider(codec);
        try (Arena arena = Arena.ofConfined(); Compressor c = provider.newCompressor(); Decompressor d = provider.newDecompressor()) {
            MemorySegment input = TestData.compressibleFloats(arena, SIZE, 9);
            MemorySegment compressed = arena.allocate(c.maxCompressedLength(SIZE));
            long n = c.compress(input, compressed);
            MemorySegment mutated = arena.allocate(n);
            MemorySegment region = arena.allocate(SIZE + 2L * GUARD);
            MemorySegment dst = region.asSlice(GUARD, SIZE);
            SplittableRandom r = new SplittableRandom(42);
            int rejected = 0;
            int tried = 0;
            for (int i = 0; i < 600; i++) {
                long pos = i < 64 ? Math.min(i / 8, n - 1) : r.nextLong(n);
                int bit = i < 64 ? i % 8 : r.nextInt(8);
                MemorySegment.copy(compressed, 0, mutated, 0, n);
                mutated.set(ValueLayout.JAVA_BYTE, pos, (byte) (mutated.get(ValueLayout.JAVA_BYTE, pos) ^ (1 << bit)));
                region.fill(MARKER);
                tried++;
                boolean failed = false;
                try {
                    d.decompress(mutated, dst);
                } catch (CodecException e) {
                    failed = true;
                    rejected++;
                    assertTrue(e.getMessage().contains(codec.name()), "message names the codec: " + e.getMessage());
                }
                for (int g = 0; g < GUARD; g++) {
                    assertEquals(MARKER, region.get(ValueLayout.JAVA_BYTE, g), "write before destination, flip at " + pos);
                    assertEquals(MARKER, region.get(ValueLayout.JAVA_BYTE, GUARD + SIZE + g), "write past destination, flip at " + pos);
                }
                if (mustReject(codec, pos, n)) {
                    assertTrue(failed, codec + ": flip of bit " + bit + " at byte " + pos + " of " + n + " was not rejected");
                }
                if (!failed && codec == CompressionCodec.GZIP) {
                    // CRC-32 covers the output: an accepted flip must not have changed a byte of it
                    // (it can leave it unchanged, e.g. a match distance pointing at identical bytes)
                    assertEquals(-1L, input.mismatch(dst), "GZIP accepted a flip at " + pos + " that changed the output");
                }
            }
            assertTrue(rejected > 0, codec + " rejected none of " + tried + " flips");
        }
    }

    /** Positions whose corruption the codec's own format is able to detect. */
    private static boolean mustReject(CompressionCodec codec, long pos, long n) {
        return switch (codec) {
            // gzip: magic and method; the trailer's CRC-32 and size
            case GZIP -> pos <= 2 || pos >= n - 8;
            // zstd: the 4-byte frame magic
            case ZSTD -> pos < 4;
            // snappy: the leading varint holds the uncompressed length (65536 = 80 80 04)
            case SNAPPY -> pos < 3;
            default -> false;
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compressing")
    void garbage_throwsCodecException(CompressionCodec codec) throws Exception {
        try (Arena arena = Arena.ofConfined(); Decompressor d = CodecRegistry.standard().provider(codec).newDecompressor()) {
            MemorySegment garbage = arena.allocate(1000);
            garbage.fill((byte) 0xff);
            assertThrows(CodecException.class, () -> d.decompress(garbage, arena.allocate(SIZE)));
        }
    }
}
