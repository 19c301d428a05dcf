package io.inlay.engine.internal.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.inlay.engine.internal.memory.Layouts;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.parquet.format.Statistics;
import org.junit.jupiter.api.Test;

/**
 * Byte-array min/max keep only the first 4097 bytes of the current minimum and maximum (so a chunk
 * of 1 MiB samples does not copy each new extreme whole), and still give exactly what comparing
 * the values whole gives: the unsigned lexicographic min and max, dropped when either is longer
 * than 4096 bytes. Checked against that brute-force rule on values built to share long prefixes
 * (so that comparisons run past the kept bytes) and lengths around 4096.
 */
class ByteArrayStatisticsTest {
    private static final int MAX = ColumnStatistics.MAX_BYTES_STAT;

    private static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    private static byte[] value(SplittableRandom r) {
        int[] lengths = {0, 1, 2, MAX - 1, MAX, MAX + 1, MAX + 2, 5000, 9000};
        int len = lengths[r.nextInt(lengths.length)] + (r.nextInt(4) == 0 ? r.nextInt(3) : 0);
        byte[] v = new byte[len];
        Arrays.fill(v, (byte) 'q'); // a shared prefix, so most comparisons run long
        if (len > 0 && r.nextBoolean()) {
            v[r.nextInt(len)] = (byte) (r.nextBoolean() ? 'a' : 0xF0); // one differing byte, low or high (unsigned)
        }
        return v;
    }

    @Test
    void minAndMax_areExact_whileKeepingOnlyTheirFirstBytes() {
        StoredColumn column = new StoredColumn(0, new ColumnSpec("b", DType.BINARY, 1));
        SplittableRandom r = new SplittableRandom(7);
        int present = 0;
        int absent = 0;
        for (int chunk = 0; chunk < 400; chunk++) {
            ColumnStatistics stats = new ColumnStatistics(column, true, false);
            stats.beginChunk();
            int pages = 1 + r.nextInt(3);
            byte[] min = null;
            byte[] max = null;
            try (Arena arena = Arena.ofConfined()) {
                for (int p = 0; p < pages; p++) {
                    List<byte[]> values = new ArrayList<>();
                    int n = 1 + r.nextInt(6);
                    long total = 0;
                    for (int i = 0; i < n; i++) {
                        byte[] v = value(r);
                        values.add(v);
                        total += v.length;
                        min = min == null || compare(v, min) < 0 ? v : min;
                        max = max == null || compare(v, max) > 0 ? v : max;
                    }
                    MemorySegment offsets = arena.allocate(4L * (n + 1));
                    MemorySegment data = arena.allocate(Math.max(1, total));
                    int at = 0;
                    for (int i = 0; i < n; i++) {
                        offsets.set(Layouts.LE_INT, 4L * i, at);
                        MemorySegment.copy(values.get(i), 0, data, ValueLayout.JAVA_BYTE, at, values.get(i).length);
                        at += values.get(i).length;
                    }
                    offsets.set(Layouts.LE_INT, 4L * n, at);
                    stats.accept(PageInput.dense(0, n, data, offsets));
                }
            }
            Statistics st = stats.chunkStatistics();
            if (min.length <= MAX && max.length <= MAX) {
                present++;
                assertArrayEquals(min, st.getMin_value(), "chunk " + chunk + " min");
                assertArrayEquals(max, st.getMax_value(), "chunk " + chunk + " max");
            } else {
                absent++;
                assertFalse(st.isSetMin_value() || st.isSetMax_value(), "chunk " + chunk + ": an extreme over 4096 bytes");
            }
        }
        // both outcomes were exercised
        assertEquals(true, present > 20 && absent > 20, present + " chunks with statistics, " + absent + " without");
    }
}
