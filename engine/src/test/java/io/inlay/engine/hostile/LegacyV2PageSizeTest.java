package io.inlay.engine.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.dataset.DatasetGenerator;
import io.inlay.engine.dataset.DatasetSpec;
import io.inlay.engine.dataset.GenerateOptions;
import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.read.PageInfo;
import io.inlay.engine.read.ParquetFile;
import io.inlay.engine.read.RowGroupData;
import io.inlay.engine.read.RowGroupReader;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import io.inlay.engine.testing.ParquetJava;
import io.inlay.engine.vector.JsonFormat;
import io.inlay.engine.write.PageVersion;
import io.inlay.engine.write.WriterOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * parquet-cpp 1.5.x (old pyarrow) wrote DATA_PAGE_V2 headers whose {@code uncompressed_page_size}
 * left out the level sections, so that for a page whose values are stored uncompressed the header
 * says fewer bytes than the page holds ("uncompressed v2 values of 22 bytes, header says 20").
 * pyarrow and DuckDB read such files; so must Inlay: when the values are not compressed, the
 * levels' and values' own lengths decide. These files are made here from Inlay-written v2 files
 * by rewriting those headers (parquet-format's Thrift classes, later offsets shifted), and read
 * back against the original (and DuckDB where DuckDB reads the file). What cannot be decoded is
 * still refused.
 */
class LegacyV2PageSizeTest {
    @TempDir
    Path dir;

    private static final List<String> COLUMNS = List.of("v", "s", "d");

    /** A v2 file of 5,000 rows: a float32 vector (levels), a string and a double (no levels). */
    private Path original(CompressionCodec codec) throws Exception {
        Path folder = dir.resolve(codec.configName());
        DatasetSpec spec = DatasetSpec.builder(folder).numFilesTrain(1).numSamplesPerFile(5000).rowGroupSize(5000)
                .compression(codec).columns(List.of(new ColumnSpec("v", DType.FLOAT32, 4), new ColumnSpec("s", DType.STRING, 1),
                        new ColumnSpec("d", DType.FLOAT64, 1))).build();
        GenerateOptions o = GenerateOptions.defaults().withWriter(WriterOptions.defaults().withPageVersion(PageVersion.V2)
                .withTargetPageBytes(16 << 10));
        DatasetGenerator.generate(spec, o);
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
    }

    /** {@code file} with every v2 data page header that {@code which} selects rewritten by {@code change}. */
    private static byte[] rewriteHeaders(byte[] file, Predicate<PageHeader> which, UnaryOperator<PageHeader> change)
            throws Exception {
        byte[] bytes = file;
        int changed = 0;
        for (int i = 0; ; i++) {
            FileLayout layout = FileLayout.of(bytes);
            if (i >= layout.pages().size()) {
                break;
            }
            FileLayout.Page page = layout.pages().get(i);
            if (page.header().getType() == PageType.DATA_PAGE_V2 && which.test(page.header())) {
                bytes = ThriftMutator.withPageHeader(layout, page, change.apply(page.header().deepCopy()));
                changed++;
            }
        }
        assertTrue(changed > 0, "some page was rewritten");
        return bytes;
    }

    private static boolean hasLevels(PageHeader h) {
        var v2 = h.getData_page_header_v2();
        return v2.getRepetition_levels_byte_length() + v2.getDefinition_levels_byte_length() > 0;
    }

    /** What parquet-cpp 1.5.x wrote: uncompressed_page_size without the level sections. */
    private static PageHeader levelsLeftOut(PageHeader h) {
        var v2 = h.getData_page_header_v2();
        h.setUncompressed_page_size(h.getUncompressed_page_size() - v2.getRepetition_levels_byte_length()
                - v2.getDefinition_levels_byte_length());
        return h;
    }

    /** Every row as the corpus JSON format, read with Inlay's default mode and row_group mode. */
    private static List<String> rows(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        try (ParquetFile pf = ParquetFile.open(file); RowGroupReader r = pf.rowGroups(COLUMNS)) {
            while (r.hasNext()) {
                RowGroupData g = r.next();
                for (long row = 0; row < g.rows(); row++) {
                    StringBuilder sb = new StringBuilder();
                    for (String c : COLUMNS) {
                        JsonFormat.appendValue(sb.append(c).append('='), g.column(c), row);
                        sb.append(' ');
                    }
                    out.add(sb.toString());
                }
            }
            pf.verify();
        }
        return out;
    }

    @Test
    void uncompressedChunk_sizeWithoutLevels_readsAsTheOriginal() throws Exception {
        Path original = original(CompressionCodec.UNCOMPRESSED);
        byte[] legacy = rewriteHeaders(Files.readAllBytes(original), LegacyV2PageSizeTest::hasLevels,
                LegacyV2PageSizeTest::levelsLeftOut);
        Path file = dir.resolve("legacy-uncompressed.parquet");
        Files.write(file, legacy);
        assertEquals(rows(original), rows(file));
        assertEquals(ParquetJava.read(original).columns(), ParquetJava.read(file).columns(), "parquet-java reads it as the original");
        if (System.getProperty("legacy.out") != null) {
            Files.copy(file, Path.of(System.getProperty("legacy.out"), "legacy-uncompressed.parquet"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try (ParquetFile pf = ParquetFile.open(file)) {
            List<PageInfo> pages = pf.pages(0, 0);
            assertTrue(pages.stream().anyMatch(p -> p.uncompressedSize() < p.compressedSize()),
                    "the listing shows the header's (smaller) size as it is");
        }
    }

    @Test
    void valuesNotCompressedInASnappyChunk_sizeWithoutLevels_readsAsTheOriginal() throws Exception {
        Path original = original(CompressionCodec.UNCOMPRESSED);
        byte[] legacy = rewriteHeaders(Files.readAllBytes(original), LegacyV2PageSizeTest::hasLevels,
                LegacyV2PageSizeTest::levelsLeftOut);
        // the chunks say SNAPPY; every page says is_compressed=false, as a writer may when compression does not pay
        FileMetaData meta = ThriftMutator.footerOf(legacy);
        meta.getRow_groups().forEach(g -> g.getColumns().forEach(c -> c.getMeta_data().setCodec(org.apache.parquet.format.CompressionCodec.SNAPPY)));
        byte[] snappy = ThriftMutator.withFooter(legacy, (int) FileLayout.of(legacy).footerStart(), meta);
        Path file = dir.resolve("legacy-snappy.parquet");
        Files.write(file, snappy);
        assertEquals(rows(original), rows(file));
        assertEquals(ParquetJava.read(original).columns(), ParquetJava.read(file).columns(), "parquet-java reads it as the original");
        if (System.getProperty("legacy.out") != null) {
            Files.copy(file, Path.of(System.getProperty("legacy.out"), "legacy-snappy.parquet"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void compressedValues_sizeUnderstated_stillRefused() throws Exception {
        Path original = original(CompressionCodec.SNAPPY);
        byte[] bad = rewriteHeaders(Files.readAllBytes(original),
                h -> h.getData_page_header_v2().isIs_compressed() && hasLevels(h), LegacyV2PageSizeTest::levelsLeftOut);
        Path file = dir.resolve("understated-snappy.parquet");
        Files.write(file, bad);
        ParquetCorruptionException e = assertThrows(ParquetCorruptionException.class, () -> rows(file));
        assertTrue(e.getMessage().contains("column 'v'") || e.getMessage().contains("v.list.element"), e.getMessage());
    }

    @Test
    void levelsLongerThanThePage_stillRefused() throws Exception {
        Path original = original(CompressionCodec.UNCOMPRESSED);
        byte[] bad = rewriteHeaders(Files.readAllBytes(original), LegacyV2PageSizeTest::hasLevels, h -> {
            h.getData_page_header_v2().setDefinition_levels_byte_length(h.getCompressed_page_size() + 1);
            return h;
        });
        Path file = dir.resolve("levels-too-long.parquet");
        Files.write(file, bad);
        ParquetCorruptionException e = assertThrows(ParquetCorruptionException.class, () -> rows(file));
        assertTrue(e.getMessage().contains("level sections"), e.getMessage());
    }
}
