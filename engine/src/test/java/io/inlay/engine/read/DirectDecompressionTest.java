package io.inlay.engine.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.engine.vector.ColumnVector;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compressed PLAIN pages decompressed straight into the output vector (ChunkDecoder's direct
 * path), against files parquet-java writes with small pages: v1 pages, whose levels are
 * compressed with the values and vary in size from page to page (the decoder's guess of the next
 * page's level bytes is right, too small and too large in turn), and v2 pages, whose levels are
 * stored apart; pages with nulls, empty lists and null elements between pages without (those are
 * decoded as usual); a required column (a v1 page with no levels); an INT(8) column (stored wider
 * than it is output: never direct); a row group of one page (no room to place it: decoded as
 * usual). Every value is compared with what was written, in both read modes, and the test checks
 * that the direct path did run where it applies.
 */
class DirectDecompressionTest {

    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message m {
              optional group vec (LIST) { repeated group list { optional float element; } }
              optional double opt;
              required int64 req;
              required int32 small (INTEGER(8, true));
            }""");
    private static final List<String> COLUMNS = List.of("vec", "opt", "req", "small");

    @TempDir
    Path dir;

    static Stream<Arguments> files() {
        List<Arguments> out = new ArrayList<>();
        for (CompressionCodecName codec : List.of(CompressionCodecName.SNAPPY, CompressionCodecName.ZSTD,
                CompressionCodecName.GZIP, CompressionCodecName.LZ4_RAW)) {
            for (WriterVersion version : WriterVersion.values()) {
                out.add(Arguments.of(codec, version));
            }
        }
        return out.stream();
    }

    /** Row r's list: null, empty, or floats (null elements among them), in stretches of different shapes. */
    static List<Float> vec(int r) {
        int length;
        if (r < 1000) {
            length = 8;
        } else if (r < 2000) {
            length = 1 + r * 7 % 13;
        } else if (r < 2400) {
            if (r % 17 == 0) {
                return null;
            }
            length = r % 19 == 0 ? 0 : 5;
        } else {
            length = 3 + r % 18;
        }
        List<Float> row = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            boolean nullElement = r >= 2000 && r < 2400 && (r + i) % 11 == 0;
            row.add(nullElement ? null : r * 31 + i * 0.5f);
        }
        return row;
    }

    static Double opt(int r) {
        return r >= 3000 && r < 3500 && r % 97 == 0 ? null : r * 1.25;
    }

    static long req(int r) {
        return r * 1_000_003L;
    }

    static byte small(int r) {
        return (byte) r;
    }

    private Path write(CompressionCodecName codec, WriterVersion version, int rows, int rowGroupRows) throws IOException {
        Path file = dir.resolve(codec + "-" + version + "-" + rows + ".parquet");
        Files.deleteIfExists(file);
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withType(SCHEMA)
                .withConf(new Configuration(false))
                .withCompressionCodec(codec)
                .withWriterVersion(version)
                .withDictionaryEncoding(false)
                .withPageSize(2048)
                .withPageRowCountLimit(97)
                .withRowGroupRowCountLimit(rowGroupRows)
                .withRowGroupSize(Long.MAX_VALUE)
                .build()) {
            for (int r = 0; r < rows; r++) {
                Group g = groups.newGroup();
                List<Float> v = vec(r);
                if (v != null) {
                    Group list = g.addGroup("vec");
                    for (Float f : v) {
                        Group element = list.addGroup("list");
                        if (f != null) {
                            element.append("element", f);
                        }
                    }
                }
                Double d = opt(r);
                if (d != null) {
                    g.append("opt", d);
                }
                g.append("req", req(r));
                g.append("small", (int) small(r));
                w.write(g);
            }
        }
        return file;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("files")
    void pagesDecompressedIntoTheVector_readBackExactly(CompressionCodecName codec, WriterVersion version)
            throws Exception {
        int rows = 6000;
        int perGroup = 2500;
        Path file = write(codec, version, rows, perGroup);
        try (ParquetFile f = ParquetFile.open(file); ReadBuffers buffers = new ReadBuffers();
                RowGroupReader reader = f.rowGroups(COLUMNS, buffers)) {
            assertEquals(3, f.rowGroupCount());
            for (int g = 0; g < f.rowGroupCount(); g++) {
                check(reader.read(g), g * perGroup);
                assertTrue(reader.pagesDecompressedInPlace() > 0, "row group " + g + ": no page was decompressed in place");
            }
            try (Arena arena = Arena.ofConfined()) {
                for (int g = 0; g < f.rowGroupCount(); g++) {
                    check(f.readRowGroup(g, COLUMNS, DecodeTarget.arena(arena)), g * perGroup);
                }
            }
            // default mode into reused buffers: every row group's vectors alive at once, twice over
            for (int pass = 0; pass < 2; pass++) {
                List<RowGroupData> all = f.readAll(COLUMNS, buffers);
                for (int g = 0; g < all.size(); g++) {
                    check(all.get(g), g * perGroup);
                }
            }
            RowGroupData last = f.readRowGroup(2, COLUMNS, buffers);
            RowGroupData first = f.readRowGroup(0, COLUMNS, buffers);
            check(last, 2 * perGroup);
            check(first, 0);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("files")
    void onlyColumnsStoredAsOutputQualify(CompressionCodecName codec, WriterVersion version) throws Exception {
        Path file = write(codec, version, 1000, 1000);
        try (ParquetFile f = ParquetFile.open(file); RowGroupReader small = f.rowGroups(List.of("small"));
                RowGroupReader vec = f.rowGroups(List.of("vec"))) {
            check(small.read(0), 0, List.of("small"));
            assertEquals(0, small.pagesDecompressedInPlace(), "INT(8) values are narrowed, never placed");
            check(vec.read(0), 0, List.of("vec"));
            assertTrue(vec.pagesDecompressedInPlace() > 1, "a chunk of all-present float lists is placed page by page");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("files")
    void aChunkOfOnePage_isDecodedAsUsual(CompressionCodecName codec, WriterVersion version) throws Exception {
        Path file = write(codec, version, 20, 20);
        try (ParquetFile f = ParquetFile.open(file); RowGroupReader reader = f.rowGroups(COLUMNS)) {
            check(reader.read(0), 0);
            try (Arena arena = Arena.ofConfined()) {
                check(f.readRowGroup(0, COLUMNS, DecodeTarget.arena(arena)), 0);
            }
        }
    }

    private static void check(RowGroupData data, int firstRow) {
        check(data, firstRow, COLUMNS);
    }

    private static void check(RowGroupData data, int firstRow, List<String> columns) {
        long n = data.rows();
        for (String name : columns) {
            ColumnVector c = data.column(name);
            assertNotNull(c, name);
            assertEquals(n, c.length(), name + " length");
        }
        for (int i = 0; i < n; i++) {
            int r = firstRow + i;
            if (columns.contains("vec")) {
                ColumnVector vec = data.column("vec");
                List<Float> want = vec(r);
                if (want == null) {
                    assertTrue(vec.isNull(i), "vec row " + r + " is null");
                } else {
                    assertFalse(vec.isNull(i), "vec row " + r + " is not null");
                    int from = vec.offset(i);
                    int to = vec.offset(i + 1);
                    assertEquals(want.size(), to - from, "vec row " + r + " length");
                    ColumnVector child = vec.child();
                    for (int j = 0; j < want.size(); j++) {
                        Float w = want.get(j);
                        if (w == null) {
                            assertTrue(child.isNull(from + j), "vec row " + r + " element " + j + " is null");
                        } else {
                            assertFalse(child.isNull(from + j), "vec row " + r + " element " + j);
                            assertEquals(w, child.getFloat(from + j), "vec row " + r + " element " + j);
                        }
                    }
                }
            }
            if (columns.contains("opt")) {
                Double want = opt(r);
                ColumnVector opt = data.column("opt");
                if (want == null) {
                    assertTrue(opt.isNull(i), "opt row " + r + " is null");
                } else {
                    assertFalse(opt.isNull(i), "opt row " + r);
                    assertEquals(want, opt.getDouble(i), "opt row " + r);
                }
            }
            if (columns.contains("req")) {
                assertEquals(req(r), data.column("req").getLong(i), "req row " + r);
            }
            if (columns.contains("small")) {
                assertEquals(small(r), data.column("small").getLong(i), "small row " + r);
            }
        }
    }
}
