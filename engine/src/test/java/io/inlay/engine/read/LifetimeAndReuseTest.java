package io.inlay.engine.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.inlay.engine.conformance.Corpus;
import io.inlay.engine.vector.ColumnVector;
import io.inlay.engine.vector.JsonFormat;
import io.inlay.engine.vector.MappedValues;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Buffers reused across files decode the same values; memory used after its owner closed fails cleanly. */
class LifetimeAndReuseTest {

    static List<String> render(List<RowGroupData> groups, List<String> columns) {
        List<String> out = new ArrayList<>();
        for (RowGroupData g : groups) {
            out.addAll(render(g, columns));
        }
        return out;
    }

    static List<String> render(RowGroupData g, List<String> columns) {
        List<String> out = new ArrayList<>();
        for (long r = 0; r < g.rows(); r++) {
            StringBuilder sb = new StringBuilder();
            for (String c : columns) {
                JsonFormat.appendValue(sb, g.column(c), r);
                sb.append('|');
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void sharedReadBuffers_fileAfterFile_sameValuesAsFreshReads() throws Exception {
        List<Path> files = List.of(
                Corpus.file("gap/data/pa_nullable_v2_plain_gzip.parquet"),
                Corpus.file("gap/data/dlio_vectors_zstd.parquet"),
                Corpus.file("gap/data/pj_v2_dict_fallback_zstd_crc.parquet"),
                Corpus.file("gap/data/pa_nullable_v2_plain_gzip.parquet"));
        try (ReadBuffers buffers = new ReadBuffers()) {
            for (Path f : files) {
                try (ParquetFile pf = ParquetFile.open(f); Arena arena = Arena.ofConfined()) {
                    List<String> columns = pf.supportedColumns();
                    List<String> fresh = render(pf.readAll(columns, DecodeTarget.arena(arena)), columns);
                    List<String> reused = new ArrayList<>();
                    try (RowGroupReader reader = pf.rowGroups(columns, buffers)) {
                        while (reader.hasNext()) {
                            reused.addAll(render(reader.next(), columns));
                        }
                    }
                    assertEquals(fresh, reused, f.toString());
                    // default mode into the same buffers, file after file: the values of a fresh read
                    assertEquals(fresh, render(pf.readAll(columns, buffers), columns), f + " (readAll into buffers)");
                }
            }
        }
    }

    @Test
    void readAllIntoBuffers_vectorsAfterClose_failWithIllegalState() throws Exception {
        Path f = Corpus.file("gap/data/dlio_vectors_zstd.parquet");
        ColumnVector v;
        try (ParquetFile pf = ParquetFile.open(f); ReadBuffers buffers = new ReadBuffers()) {
            v = pf.readAll(List.of("clip"), buffers).get(0).column("clip");
            v.child().getFloat(0);
        }
        ColumnVector closed = v;
        assertThrows(IllegalStateException.class, () -> closed.child().getFloat(0));
        ReadBuffers gone = new ReadBuffers();
        gone.close();
        try (ParquetFile pf = ParquetFile.open(f)) {
            assertThrows(IllegalStateException.class, () -> pf.readAll(List.of("clip"), gone));
        }
    }

    @Test
    void vectorFromClosedReader_failsWithIllegalState() throws Exception {
        Path f = Corpus.file("gap/data/dlio_vectors_zstd.parquet");
        ColumnVector v;
        try (ParquetFile pf = ParquetFile.open(f); RowGroupReader reader = pf.rowGroups(List.of("clip"))) {
            v = reader.next().column("clip");
            v.child().getFloat(0);
        }
        ColumnVector closed = v;
        assertThrows(IllegalStateException.class, () -> closed.child().getFloat(0));
    }

    @Test
    void mappedSlicesAfterFileClose_failWithIllegalState(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("plain.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT i::FLOAT AS x FROM range(0, 1000) r(i)) TO '" + f
                    + "' (FORMAT parquet, COMPRESSION uncompressed, PARQUET_VERSION V1)");
        }
        MemorySegment page;
        try (ParquetFile pf = ParquetFile.open(f)) {
            MappedValues m = pf.mappedValues("x", 0);
            assertEquals(1000, m.valueCount());
            page = m.pages().get(0);
            assertEquals(0.0f, page.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 0));
        }
        MemorySegment unmapped = page;
        assertThrows(IllegalStateException.class, () -> unmapped.get(ValueLayout.JAVA_BYTE, 0));
    }
}
