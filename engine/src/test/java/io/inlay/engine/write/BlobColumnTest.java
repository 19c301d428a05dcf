package io.inlay.engine.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.read.DecodeTarget;
import io.inlay.engine.read.ParquetFile;
import io.inlay.engine.read.RowGroupData;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import io.inlay.engine.testing.DuckDb;
import io.inlay.engine.testing.PageWalk;
import io.inlay.engine.testing.ParquetJava;
import io.inlay.engine.testing.Pyarrow;
import io.inlay.engine.vector.ColumnType;
import io.inlay.engine.vector.ColumnVector;
import io.inlay.engine.vector.ValueHasher;
import io.inlay.engine.vector.ValueType;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Array;
import java.sql.Blob;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.parquet.format.PageType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Blob columns: samples of any size as a LIST of BYTE_ARRAY chunks of 1 MiB, written from a
 * {@link BlobSource} a page at a time. v1 pages split samples where a page is full (a sample spans
 * pages), v2 pages hold whole samples. Every independent reader (parquet-java, DuckDB, pyarrow)
 * and Inlay's own read back each sample's exact bytes, across row groups.
 */
class BlobColumnTest {
    static final int C = ColumnSpec.BLOB_CHUNK;
    /** Sample sizes around the chunk size, an empty sample, and several chunks. */
    static final long[] SIZES = {1, 5, C - 1, C, C + 1, 3L * C + 17, 0, 2, 2L * C};
    static final ColumnSpec DATA = new ColumnSpec("data", DType.BLOB, C);

    @TempDir
    Path dir;

    static byte at(long row, long i) {
        return (byte) (ValueHasher.mix64(row * 0x2545F4914F6CDD1DL + (i >>> 3)) >>> ((i & 7) << 3));
    }

    static byte[] sample(long row) {
        byte[] b = new byte[(int) SIZES[(int) row]];
        for (int i = 0; i < b.length; i++) {
            b[i] = at(row, i);
        }
        return b;
    }

    /** Counts the bytes it hands out, to show what the writer asked for. */
    static final class Source implements BlobSource {
        long handedOut;
        long largestCall;

        @Override
        public long length(long row) {
            return SIZES[(int) row];
        }

        @Override
        public void bytes(long row, long offset, MemorySegment out) {
            for (long i = 0; i < out.byteSize(); i++) {
                out.set(ValueLayout.JAVA_BYTE, i, at(row, offset + i));
            }
            handedOut += out.byteSize();
            largestCall = Math.max(largestCall, out.byteSize());
        }
    }

    static Stream<Arguments> layouts() {
        return Stream.of(
                Arguments.of(PageVersion.V1, 1 << 20, CompressionCodec.UNCOMPRESSED),
                Arguments.of(PageVersion.V1, 3 << 20, CompressionCodec.ZSTD),
                Arguments.of(PageVersion.V2, 1 << 20, CompressionCodec.UNCOMPRESSED),
                Arguments.of(PageVersion.V2, 1 << 20, CompressionCodec.SNAPPY));
    }

    private Path write(PageVersion version, int pageBytes, CompressionCodec codec, Source source) throws Exception {
        Path file = dir.resolve(version + "-" + pageBytes + "-" + codec + ".parquet");
        WriterOptions o = WriterOptions.defaults().withPageVersion(version).withTargetPageBytes(pageBytes).withCodec(codec);
        try (ParquetWriter w = ParquetWriter.create(file, List.of(DATA), o)) {
            w.writeRowGroup(5, List.of(source)); // two row groups: rows 0..4 and 5..8
            w.writeRowGroup(SIZES.length - 5, List.of(source));
            w.finish();
        }
        return file;
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void samplesOfEverySize_readBackExactly_byEveryReader(PageVersion version, int pageBytes, CompressionCodec codec)
            throws Exception {
        Source source = new Source();
        Path file = write(version, pageBytes, codec, source);
        long total = 0;
        for (long s : SIZES) {
            total += s;
        }
        assertEquals(total, source.handedOut, "every byte asked for once");
        assertTrue(source.largestCall <= C, "the writer asks a chunk at a time");

        // pages: v1 splits samples at page boundaries (chunks per page = page size / 1 MiB)
        List<PageWalk.Page> pages = PageWalk.assertCrcs(file).pages().stream()
                .filter(p -> p.header().getType() == PageType.DATA_PAGE || p.header().getType() == PageType.DATA_PAGE_V2).toList();
        int perPage = pageBytes / C;
        for (PageWalk.Page p : pages) {
            int levels = version == PageVersion.V1 ? p.header().getData_page_header().getNum_values()
                    : p.header().getData_page_header_v2().getNum_values();
            if (version == PageVersion.V1) {
                // chunks, plus the level of the empty sample where it falls
                assertTrue(levels <= perPage + 1, "a v1 page holds at most " + perPage + " chunks: " + levels);
            }
        }
        if (version == PageVersion.V1 && perPage == 1) {
            // one chunk per page: 13 chunks and the empty sample's level (on a page of its own or shared)
            assertTrue(pages.size() >= 13, "samples span pages: " + pages.size() + " pages");
        }

        List<byte[]> expected = new ArrayList<>();
        for (int r = 0; r < SIZES.length; r++) {
            expected.add(sample(r));
        }
        // Inlay
        try (ParquetFile f = ParquetFile.open(file); Arena arena = Arena.ofConfined()) {
            f.validate(List.of(DATA));
            assertEquals(ColumnType.listOf(ValueType.BINARY), f.schema().column("data").orElseThrow().type());
            int row = 0;
            for (RowGroupData g : f.readAll(List.of("data"), DecodeTarget.arena(arena))) {
                ColumnVector v = g.column("data");
                for (long r = 0; r < g.rows(); r++, row++) {
                    ByteArrayOutputStream joined = new ByteArrayOutputStream();
                    for (long e = v.offset(r); e < v.offset(r + 1); e++) {
                        joined.writeBytes(v.child().getBytes(e).toArray(ValueLayout.JAVA_BYTE));
                    }
                    assertArrayEquals(expected.get(row), joined.toByteArray(), "Inlay, row " + row);
                }
            }
            assertEquals(SIZES.length, row);
        }
        // parquet-java
        List<Object> pj = ParquetJava.read(file).columns().get("data");
        assertEquals(SIZES.length, pj.size());
        for (int r = 0; r < SIZES.length; r++) {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (Object chunk : (List<?>) pj.get(r)) {
                byte[] b = (byte[]) chunk;
                assertTrue(b.length <= C);
                joined.writeBytes(b);
            }
            assertArrayEquals(expected.get(r), joined.toByteArray(), "parquet-java, row " + r);
        }
        // DuckDB
        try (DuckDb db = new DuckDb()) {
            List<Object[]> rows = db.query("SELECT data FROM read_parquet(" + DuckDb.literal(file) + ")");
            assertEquals(SIZES.length, rows.size());
            for (int r = 0; r < SIZES.length; r++) {
                ByteArrayOutputStream joined = new ByteArrayOutputStream();
                for (Object chunk : (Object[]) ((Array) rows.get(r)[0]).getArray()) {
                    joined.writeBytes(chunk instanceof Blob b ? b.getBytes(1, (int) b.length()) : (byte[]) chunk);
                }
                assertArrayEquals(expected.get(r), joined.toByteArray(), "DuckDB, row " + r);
            }
        }
        // pyarrow
        Assumptions.assumeTrue(Pyarrow.available(), () -> "pyarrow not checked: " + Pyarrow.unavailableReason());
        Pyarrow.Result py = Pyarrow.run("""
                import sys, hashlib, pyarrow.parquet as pq
                t = pq.read_table(sys.argv[1])
                print(t.schema.field('data').type)
                for row in t.column('data').to_pylist():
                    b = b''.join(row)
                    print(len(b), hashlib.sha256(b).hexdigest())
                """, file);
        assertEquals(0, py.exit(), py.err());
        List<String> lines = py.lines();
        assertEquals("list<element: binary>", lines.get(0));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int r = 0; r < SIZES.length; r++) {
            assertEquals(SIZES[r] + " " + HexFormat.of().formatHex(sha.digest(expected.get(r))), lines.get(r + 1), "pyarrow, row " + r);
        }
    }

    @Test
    void aSampleOfManyPages_isOneRowOfChunks() throws Exception {
        // 48 MiB in one sample, 1 MiB pages (the memory bound is shown in a child JVM by the dataset tests)
        long size = 48L << 20;
        Path file = dir.resolve("big.parquet");
        BlobSource big = new BlobSource() {
            @Override
            public long length(long row) {
                return size;
            }

            @Override
            public void bytes(long row, long offset, MemorySegment out) {
                out.fill((byte) (offset >>> 20));
            }
        };
        try (ParquetWriter w = ParquetWriter.create(file, List.of(new ColumnSpec("data", DType.BLOB, (int) size)),
                WriterOptions.defaults())) {
            w.write(1, List.of(big));
            w.finish();
        }
        assertEquals(48, PageWalk.walk(file).pages().stream().filter(p -> p.header().getType() == PageType.DATA_PAGE).count());
        try (ParquetFile f = ParquetFile.open(file); Arena arena = Arena.ofConfined()) {
            ColumnVector v = f.readAll(List.of("data"), DecodeTarget.arena(arena)).get(0).column("data");
            assertEquals(48, v.offset(1) - v.offset(0));
            for (int e = 0; e < 48; e++) {
                MemorySegment chunk = v.child().getBytes(e);
                assertEquals(C, chunk.byteSize());
                assertEquals((byte) e, chunk.get(ValueLayout.JAVA_BYTE, C / 2));
            }
        }
    }
}
