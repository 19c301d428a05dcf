package io.inlay.codec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/** Page-like test inputs in native memory. */
final class TestData {
    static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private TestData() {}

    static MemorySegment random(Arena arena, int size, long seed) {
        MemorySegment s = arena.allocate(Math.max(size, 1)).asSlice(0, size);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            s.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt());
        }
        return s;
    }

    /** Float data with runs of repeated values (as quantised features hold), so codecs find matches. */
    static MemorySegment compressibleFloats(Arena arena, int size, long seed) {
        MemorySegment s = arena.allocate(Math.max(size, 1)).asSlice(0, size);
        SplittableRandom r = new SplittableRandom(seed);
        int i = 0;
        float value = 0;
        for (; i + 4 <= size; i += 4) {
            if ((i & 31) == 0) {
                value = r.nextInt(16) * 0.125f;
            }
            s.set(LE_FLOAT, i, value);
        }
        for (; i < size; i++) {
            s.set(ValueLayout.JAVA_BYTE, i, (byte) 0x3f);
        }
        return s;
    }
}
