package io.inlay.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CodecRoundTripTest {
    static final List<CompressionCodec> WRITABLE = List.of(
            CompressionCodec.UNCOMPRESSED, CompressionCodec.SNAPPY, CompressionCodec.GZIP,
            CompressionCodec.ZSTD, CompressionCodec.LZ4_RAW);
    static final int[] SIZES = {0, 1, 7, 8, 9, 1024, 64 * 1024, 1024 * 1024 + 1};
    static final int GUARD = 64;
    static final byte MARKER = (byte) 0xA5;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (CompressionCodec c : WRITABLE) {
            for (int size : SIZES) {
                out.add(Arguments.of(c, size, "random"));
                out.add(Arguments.of(c, size, "floats"));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} bytes {2}")
    @MethodSource("cases")
    void roundTrip_separateInstances_writesExactlyDeclaredSize(CompressionCodec codec, int size, String kind)
            throws Exception {
        CodecProvider provider = CodecRegistry.standard().provider(codec);
        try (Arena arena = Arena.ofConfined();
                Compressor compressor = provider.newCompressor();
                Decompressor decompressor = provider.newDecompressor()) {
            MemorySegment input = kind.equals("random")
                    ? TestData.random(arena, size, size * 31L + 7)
                    : TestData.compressibleFloats(arena, size, size * 17L + 3);
            MemorySegment compressed = arena.allocate(compressor.maxCompressedLength(size) + 1);
            long n = compressor.compress(input, compressed);
            assertTrue(n >= 0 && n <= compressor.maxCompressedLength(size), "compressed length " + n);
            if (kind.equals("floats") && size >= 64 * 1024 && codec != CompressionCodec.UNCOMPRESSED) {
                assertTrue(n < size / 2, codec + " should shrink repetitive floats, got " + n + " of " + size);
            }

            // decompress with a different instance into a marker-filled buffer with guard zones
            MemorySegment region = arena.allocate(size + 2L * GUARD);
            region.fill(MARKER);
            MemorySegment dst = region.asSlice(GUARD, size);
            decompressor.decompress(compressed.asSlice(0, n), dst);
            assertEquals(-1L, input.mismatch(dst), "decompressed bytes differ");
            for (int i = 0; i < GUARD; i++) {
                assertEquals(MARKER, region.get(ValueLayout.JAVA_BYTE, i), "written before the destination");
                assertEquals(MARKER, region.get(ValueLayout.JAVA_BYTE, GUARD + size + i), "written past the destination");
            }

            // the same instances are reusable
            MemorySegment again = arena.allocate(Math.max(size, 1)).asSlice(0, size);
            try (Decompressor other = provider.newDecompressor()) {
                other.decompress(compressed.asSlice(0, n), again);
            }
            assertEquals(-1L, input.mismatch(again));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writableCodecs")
    void wrongDeclaredSize_throwsCodecException(CompressionCodec codec) throws Exception {
        CodecProvider provider = CodecRegistry.standard().provider(codec);
        try (Arena arena = Arena.ofConfined();
                Compressor compressor = provider.newCompressor();
                Decompressor decompressor = provider.newDecompressor()) {
            MemorySegment input = TestData.compressibleFloats(arena, 4096, 1);
            MemorySegment compressed = arena.allocate(compressor.maxCompressedLength(4096));
            long n = compressor.compress(input, compressed);
            MemorySegment src = compressed.asSlice(0, n);
            assertThrows(CodecException.class, () -> decompressor.decompress(src, arena.allocate(4095)));
            assertThrows(CodecException.class, () -> decompressor.decompress(src, arena.allocate(4097)));
            // still usable after a failure
            MemorySegment ok = arena.allocate(4096);
            decompressor.decompress(src, ok);
            assertEquals(-1L, input.mismatch(ok));
        }
    }

    static Stream<CompressionCodec> writableCodecs() {
        return WRITABLE.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writableCodecs")
    void levels_outsideRange_rejected(CompressionCodec codec) throws Exception {
        CodecProvider provider = CodecRegistry.standard().provider(codec);
        assertThrows(IllegalArgumentException.class, () -> provider.newCompressor(provider.maxLevel() + 1));
        assertThrows(IllegalArgumentException.class, () -> provider.newCompressor(provider.minLevel() - 1));
        for (int level : new int[] {provider.minLevel(), provider.defaultLevel(), provider.maxLevel()}) {
            try (Arena arena = Arena.ofConfined(); Compressor c = provider.newCompressor(level);
                    Decompressor d = provider.newDecompressor()) {
                MemorySegment input = TestData.compressibleFloats(arena, 10_000, level);
                MemorySegment compressed = arena.allocate(c.maxCompressedLength(10_000));
                long n = c.compress(input, compressed);
                MemorySegment out = arena.allocate(10_000);
                d.decompress(compressed.asSlice(0, n), out);
                assertEquals(-1L, input.mismatch(out), "level " + level);
            }
        }
    }
}
