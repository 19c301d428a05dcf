package io.inlay.engine.internal.rle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.engine.internal.memory.GrowableBuffer;
import java.io.ByteArrayInputStream;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hybrid encoder's output decodes to the same values with parquet-java's decoder. */
class RleBitPackedEncoderTest {

    private static int[] roundTrip(int bitWidth, int[] values, boolean asRuns) throws Exception {
        try (GrowableBuffer out = GrowableBuffer.zeroed(16)) {
            out.putByte(0x5a); // the encoder appends: bytes already there must stay
            RleBitPackedEncoder e = new RleBitPackedEncoder();
            e.reset(bitWidth, out);
            if (asRuns) {
                for (int i = 0; i < values.length; ) {
                    int j = i;
                    while (j < values.length && values[j] == values[i]) {
                        j++;
                    }
                    e.writeRun(values[i], j - i);
                    i = j;
                }
            } else {
                for (int v : values) {
                    e.write(v);
                }
            }
            long n = e.finish();
            assertEquals(out.size() - 1, n);
            byte[] bytes = out.segment().asSlice(0, out.size()).toArray(ValueLayout.JAVA_BYTE);
            assertEquals(0x5a, bytes[0]);
            RunLengthBitPackingHybridDecoder d = new RunLengthBitPackingHybridDecoder(bitWidth,
                    new ByteArrayInputStream(bytes, 1, bytes.length - 1));
            int[] back = new int[values.length];
            for (int i = 0; i < back.length; i++) {
                back[i] = d.readInt();
            }
            return back;
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 8, 9, 15, 16, 17, 24, 31, 32})
    void randomValues_decodeWithParquetJava(int bitWidth) throws Exception {
        SplittableRandom r = new SplittableRandom(bitWidth);
        for (int n : new int[] {0, 1, 7, 8, 9, 63, 64, 65, 504, 505, 1000, 5000}) {
            int[] v = new int[n];
            for (int i = 0; i < n; i++) {
                // mix runs of every length with literal stretches
                v[i] = i > 0 && r.nextInt(3) == 0 ? v[i - 1] : (int) (r.nextLong() & ((1L << bitWidth) - 1));
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(v, roundTrip(bitWidth, v, false), "n=" + n);
            org.junit.jupiter.api.Assertions.assertArrayEquals(v, roundTrip(bitWidth, v, true), "runs, n=" + n);
        }
    }

    @Test
    void runLengthsAroundTheThreshold() throws Exception {
        for (int prefix = 0; prefix < 10; prefix++) {
            for (int run = 1; run < 20; run++) {
                int[] v = new int[prefix + run + 3];
                for (int i = 0; i < prefix; i++) {
                    v[i] = i % 3;
                }
                for (int i = prefix; i < prefix + run; i++) {
                    v[i] = 3;
                }
                v[prefix + run] = 1;
                v[prefix + run + 1] = 2;
                v[prefix + run + 2] = 2;
                org.junit.jupiter.api.Assertions.assertArrayEquals(v, roundTrip(2, v, true), prefix + "+" + run);
            }
        }
    }

    @Test
    void listLevelPattern_decodes() throws Exception {
        // repetition levels of 13-element lists: 0 then twelve 1s, row after row
        int[] v = new int[13 * 1000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 13 == 0 ? 0 : 1;
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(v, roundTrip(1, v, true));
    }

    @Test
    void longRun_isRunLengthEncoded() throws Exception {
        try (GrowableBuffer out = GrowableBuffer.zeroed(16)) {
            RleBitPackedEncoder e = new RleBitPackedEncoder();
            e.reset(2, out);
            e.writeRun(3, 100_000_000L);
            assertTrue(e.finish() <= 6, "one RLE run: varint header and one value byte");
        }
        int[] v = new int[1 << 20];
        java.util.Arrays.fill(v, 3);
        org.junit.jupiter.api.Assertions.assertArrayEquals(v, roundTrip(2, v, true));
    }

    @Test
    void valueWiderThanBitWidth_isRejected() {
        try (GrowableBuffer out = GrowableBuffer.zeroed(16)) {
            RleBitPackedEncoder e = new RleBitPackedEncoder();
            e.reset(2, out);
            assertThrows(IllegalArgumentException.class, () -> e.write(4));
            assertThrows(IllegalArgumentException.class, () -> e.reset(0, out));
            assertThrows(IllegalArgumentException.class, () -> e.reset(33, out));
        }
    }
}
