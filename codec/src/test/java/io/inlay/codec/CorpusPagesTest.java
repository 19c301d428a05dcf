package io.inlay.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cross-implementation: pages written by parquet-java, parquet-cpp (pyarrow), DuckDB and others
 * decompress through Inlay's codecs to exactly the size their page headers declare. The pages are
 * found with parquet-format-structures' own Thrift reader, independently of Inlay's reader.
 */
class CorpusPagesTest {

    static Path corpus() {
        Path dir = Path.of(System.getProperty("corpus.dir", "../shared/corpus"));
        assumeTrue(Files.isDirectory(dir.resolve("parquet-testing")),
                "conformance corpus not found at " + dir.toAbsolutePath() + " (set -Dcorpus.dir)");
        return dir;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "parquet-testing/data/alltypes_plain.snappy.parquet",
        "parquet-testing/data/datapage_v2.snappy.parquet",
        "parquet-testing/data/concatenated_gzip_members.parquet",
        "parquet-testing/data/byte_stream_split_extended.gzip.parquet",
        "parquet-testing/data/byte_stream_split.zstd.parquet",
        "parquet-testing/data/lz4_raw_compressed.parquet",
        "parquet-testing/data/lz4_raw_compressed_larger.parquet",
        "parquet-testing/data/hadoop_lz4_compressed.parquet",
        "parquet-testing/data/hadoop_lz4_compressed_larger.parquet",
        "parquet-testing/data/non_hadoop_lz4_compressed.parquet",
        "gap/data/pj_lz4_v1_plain.parquet",
        "gap/data/pj_lz4_v1_dict_crc.parquet",
        "gap/data/duck_v2_lz4raw.parquet",
        "gap/data/pa_bss_v2_zstd.parquet",
        "gap/data/dlio_gzip.parquet",
    })
    void namedFile_everyPageDecompressesToItsDeclaredSize(String file) throws Exception {
        Map<CompressionCodec, Integer> pages = walk(corpus().resolve(file));
        assertTrue(pages.values().stream().mapToInt(Integer::intValue).sum() > 0, "no pages in " + file);
        assertTrue(pages.keySet().stream().anyMatch(c -> c != CompressionCodec.UNCOMPRESSED),
                file + " has no compressed pages: " + pages);
    }

    @Test
    void wholeCorpus_everyCodecSeen_everyPageDecompresses() throws Exception {
        Path dir = corpus();
        Map<CompressionCodec, Integer> total = new EnumMap<>(CompressionCodec.class);
        List<Path> files;
        try (Stream<Path> s = Stream.concat(Files.walk(dir.resolve("parquet-testing/data")), Files.walk(dir.resolve("gap/data")))) {
            files = s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
        }
        int walked = 0;
        List<String> skipped = new ArrayList<>();
        for (Path f : files) {
            Map<CompressionCodec, Integer> pages;
            try {
                pages = walk(f);
            } catch (UnreadableByThrift e) {
                skipped.add(dir.relativize(f) + ": " + e.getMessage());
                continue;
            }
            walked++;
            pages.forEach((c, n) -> total.merge(c, n, Integer::sum));
        }
        System.out.printf("codec corpus walk: %d files, pages per codec %s, not walkable by Thrift: %s%n", walked, total, skipped);
        for (CompressionCodec c : List.of(CompressionCodec.UNCOMPRESSED, CompressionCodec.SNAPPY, CompressionCodec.GZIP,
                CompressionCodec.LZ4, CompressionCodec.ZSTD, CompressionCodec.LZ4_RAW)) {
            assertTrue(total.getOrDefault(c, 0) > 0, "no " + c + " pages found in the corpus");
        }
    }

    /** The file's metadata or page headers do not parse with parquet-format's own reader. */
    static final class UnreadableByThrift extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableByThrift(String m) {
            super(m);
        }
    }

    /** Decompresses every page of every chunk whose codec Inlay implements; returns pages per codec. */
    static Map<CompressionCodec, Integer> walk(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int footerLen = bb.getInt(bytes.length - 8);
        FileMetaData meta;
        try {
            meta = Util.readFileMetaData(new ByteArrayInputStream(bytes, bytes.length - 8 - footerLen, footerLen));
        } catch (IOException | RuntimeException e) {
            throw new UnreadableByThrift("footer: " + e.getMessage());
        }
        Map<CompressionCodec, Integer> pages = new EnumMap<>(CompressionCodec.class);
        try (Arena arena = Arena.ofConfined()) {
            for (RowGroup rg : meta.getRow_groups()) {
                for (ColumnChunk cc : rg.getColumns()) {
                    ColumnMetaData md = cc.getMeta_data();
                    CompressionCodec codec = CompressionCodec.fromThriftId(md.getCodec().getValue());
                    if (!CodecRegistry.standard().isAvailable(codec) || codec == CompressionCodec.LZO) {
                        continue;
                    }
                    walkChunk(file, bytes, md, codec, arena, pages);
                }
            }
        }
        return pages;
    }

    private static void walkChunk(Path file, byte[] bytes, ColumnMetaData md, CompressionCodec codec, Arena arena,
            Map<CompressionCodec, Integer> pages) throws Exception {
        long pos = md.getData_page_offset();
        if (md.isSetDictionary_page_offset() && md.getDictionary_page_offset() > 0 && md.getDictionary_page_offset() < pos) {
            pos = md.getDictionary_page_offset();
        }
        long valuesSeen = 0;
        try (Decompressor d = CodecRegistry.standard().provider(codec).newDecompressor()) {
            while (valuesSeen < md.getNum_values()) {
                ByteArrayInputStream in = new ByteArrayInputStream(bytes, (int) pos, bytes.length - (int) pos);
                PageHeader h;
                try {
                    h = Util.readPageHeader(in);
                } catch (IOException | RuntimeException e) {
                    throw new UnreadableByThrift("page header at " + pos + ": " + e.getMessage());
                }
                long headerLen = bytes.length - pos - in.available();
                long dataStart = pos + headerLen;
                int compressed = h.getCompressed_page_size();
                int uncompressed = h.getUncompressed_page_size();
                boolean isCompressed = true;
                int levels = 0;
                if (h.isSetData_page_header()) {
                    valuesSeen += h.getData_page_header().getNum_values();
                } else if (h.isSetData_page_header_v2()) {
                    var v2 = h.getData_page_header_v2();
                    valuesSeen += v2.getNum_values();
                    levels = v2.getDefinition_levels_byte_length() + v2.getRepetition_levels_byte_length();
                    isCompressed = !v2.isSetIs_compressed() || v2.isIs_compressed();
                }
                if (isCompressed) {
                    MemorySegment src = arena.allocate(Math.max(1, compressed - levels)).asSlice(0, compressed - levels);
                    MemorySegment.copy(MemorySegment.ofArray(bytes), dataStart + levels, src, 0, compressed - levels);
                    MemorySegment dst = arena.allocate(Math.max(1, uncompressed - levels)).asSlice(0, uncompressed - levels);
                    try {
                        d.decompress(src, dst);
                    } catch (CodecException e) {
                        throw new AssertionError(file.getFileName() + ": " + md.getPath_in_schema() + " page at " + pos + ": " + e.getMessage(), e);
                    }
                    assertEquals(uncompressed - levels, dst.byteSize());
                    pages.merge(codec, 1, Integer::sum);
                } else {
                    pages.merge(CompressionCodec.UNCOMPRESSED, 1, Integer::sum);
                }
                pos = dataStart + compressed;
            }
        }
    }
}
