package io.inlay.engine.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import io.inlay.engine.testing.Vectors;
import io.inlay.engine.vector.ValueType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures mid-file leave nothing under the final name and no temporary file, and say what failed where. */
class ParquetWriterFailureTest {
    static final List<ColumnSpec> SCHEMA = List.of(new ColumnSpec("id", DType.FLOAT64, 1), new ColumnSpec("v", DType.FLOAT32, 256));

    @TempDir
    Path dir;

    /** A channel that fails like a full disk once {@code limit} bytes have been written. */
    static UnaryOperator<WritableByteChannel> failAfter(long limit) {
        return ch -> new WritableByteChannel() {
            long written;

            @Override
            public int write(ByteBuffer src) throws IOException {
                if (written + src.remaining() > limit) {
                    throw new IOException("No space left on device (injected)");
                }
                int n = ch.write(src);
                written += n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return ch.isOpen();
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    /** Fills float pages with the row index. */
    static ColumnSource rowIndex(int perRow) {
        return (first, out) -> {
            MemorySegment s = out.values();
            for (long i = 0; i < out.valueCount(); i++) {
                s.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, first + i / perRow);
            }
        };
    }

    static ColumnSource ids() {
        return (first, out) -> {
            MemorySegment s = out.values();
            for (int i = 0; i < out.rows(); i++) {
                s.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i, first + i);
            }
        };
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void diskFullMidFile_deletesTemporaryFile_andNamesFileAndColumn() throws Exception {
        Path target = dir.resolve("full.parquet");
        ParquetWriter w = new ParquetWriter(target, SCHEMA, WriterOptions.defaults(),
                failAfter(3 << 20));
        IOException e = assertThrows(IOException.class, () -> {
            try (w) {
                w.write(20_000, List.of(ids(), rowIndex(256)));
                w.finish();
            }
        });
        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("column 'v'"), e.getMessage());
        assertTrue(e.getMessage().contains("No space left on device (injected)"), e.getMessage());
        assertEquals(List.of(), files(), "neither the file nor its temporary file remains");
        assertThrows(IllegalStateException.class, () -> w.write(1, List.of(ids(), rowIndex(256))), "a failed writer stays failed");
    }

    @Test
    void failureWhileWritingTheFooter_leavesNothing() throws Exception {
        Path target = dir.resolve("footer.parquet");
        // the data (1000 rows of 256 floats) fits; the footer does not
        long dataBytes;
        try (ParquetWriter probe = ParquetWriter.create(dir.resolve("probe.parquet"), SCHEMA, WriterOptions.defaults())) {
            probe.write(1000, List.of(ids(), rowIndex(256)));
            dataBytes = probe.bytesWritten();
        }
        try (ParquetWriter w = new ParquetWriter(target, SCHEMA, WriterOptions.defaults(), failAfter(dataBytes + 10))) {
            w.write(1000, List.of(ids(), rowIndex(256)));
            IOException e = assertThrows(IOException.class, w::finish);
            assertTrue(e.getMessage().contains("No space left"), e.getMessage());
        }
        assertEquals(List.of(), files());
    }

    @Test
    void sourceThrowingMidFile_deletesTemporaryFile() throws Exception {
        Path target = dir.resolve("source.parquet");
        ColumnSource failing = (first, out) -> {
            if (first >= 3000) {
                throw new IllegalStateException("sensor offline at row " + first);
            }
            rowIndex(256).fill(first, out);
        };
        try (ParquetWriter w = ParquetWriter.create(target, SCHEMA, WriterOptions.defaults().withRowGroupRows(2000))) {
            IOException e = assertThrows(IOException.class, () -> w.write(10_000, List.of(ids(), failing)));
            assertTrue(e.getMessage().contains("column 'v', row group 1: sensor offline at row 3"), e.getMessage());
        }
        assertEquals(List.of(), files());
    }

    @Test
    void sourceWithBadOffsets_isReportedClearly() throws Exception {
        List<ColumnSpec> schema = List.of(new ColumnSpec("s", DType.STRING, 1));
        ColumnSource bad = (first, out) -> {
            MemorySegment o = out.offsets();
            out.data(16);
            for (int i = 0; i <= out.rows(); i++) {
                o.setAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i, 10 - i);
            }
        };
        try (ParquetWriter w = ParquetWriter.create(dir.resolve("s.parquet"), schema, WriterOptions.defaults())) {
            IOException e = assertThrows(IOException.class, () -> w.write(5, List.of(bad)));
            assertTrue(e.getMessage().contains("the source of column 's' wrote offsets[0] = 10, not 0"), e.getMessage());
        }
        assertEquals(List.of(), files());
    }

    @Test
    void closeWithoutFinish_leavesNothing() throws Exception {
        try (ParquetWriter w = ParquetWriter.create(dir.resolve("open.parquet"), SCHEMA, WriterOptions.defaults())) {
            w.write(10, List.of(ids(), rowIndex(256)));
            assertTrue(w.bytesWritten() > 10 * 256 * 4);
            assertEquals(1, files().size(), "only the temporary file exists while writing");
            assertTrue(files().get(0).getFileName().toString().startsWith(".open.parquet."));
            assertEquals(files(), ParquetWriter.staleTempFiles(dir.resolve("open.parquet")));
        }
        assertEquals(List.of(), files());
    }

    @Test
    void mismatchedVectors_areRejectedBeforeWriting() throws Exception {
        Path target = dir.resolve("v.parquet");
        try (Arena arena = Arena.ofConfined();
                ParquetWriter w = ParquetWriter.create(target, List.of(new ColumnSpec("x", DType.FLOAT32, 1),
                        new ColumnSpec("y", DType.FLOAT32, 2)), WriterOptions.defaults())) {
            var x = Vectors.of(arena, ValueType.FLOAT32, Arrays.asList(1f, 2f));
            var y = Vectors.of(arena, ValueType.FLOAT32, Arrays.asList(1f, 2f));
            IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> w.write(List.of(x, y)));
            assertTrue(type.getMessage().contains("column 'y' is list<float32> but the vector holds float32"), type.getMessage());
            var shortList = Vectors.lists(arena, ValueType.FLOAT32, List.of(List.of(1f)));
            IllegalArgumentException length = assertThrows(IllegalArgumentException.class, () -> w.write(List.of(x, shortList)));
            assertTrue(length.getMessage().contains("column 'y' has 1 rows but column 'x' has 2"), length.getMessage());
            assertThrows(IllegalArgumentException.class, () -> w.write(List.of(x)));
            // nothing was written: the writer is still usable
            w.write(List.of(x, Vectors.lists(arena, ValueType.FLOAT32, List.of(List.of(1f, 2f), List.of(3f, 4f)))));
            assertEquals(2, w.finish().rows());
            assertThrows(IllegalStateException.class, w::finish);
        }
        assertTrue(Files.exists(target));
    }

    @Test
    void badSchemasAndOptions_areRejected() {
        Path target = dir.resolve("x.parquet");
        assertThrows(IllegalArgumentException.class, () -> ParquetWriter.create(target, List.of(), WriterOptions.defaults()));
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> ParquetWriter.create(target,
                List.of(new ColumnSpec("a", DType.BOOL, 1), new ColumnSpec("a", DType.INT8, 1)), WriterOptions.defaults()));
        assertTrue(dup.getMessage().contains("'a' appears twice"));
        IllegalArgumentException lz4 = assertThrows(IllegalArgumentException.class,
                () -> WriterOptions.defaults().withCodec(CompressionCodec.LZ4));
        assertTrue(lz4.getMessage().contains("LZ4_RAW"), lz4.getMessage());
        IllegalArgumentException level = assertThrows(IllegalArgumentException.class, () -> ParquetWriter.create(target,
                SCHEMA, WriterOptions.defaults().withCodec(CompressionCodec.ZSTD, 99)));
        assertTrue(level.getMessage().contains("level 99"), level.getMessage());
        assertFalse(Files.exists(target));
        assertThrows(IllegalArgumentException.class, () -> WriterOptions.defaults().withTargetPageBytes(4));
    }
}
