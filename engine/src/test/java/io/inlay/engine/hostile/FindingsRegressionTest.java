package io.inlay.engine.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.decode.BinaryDeltaLengthByteArrayDecoder;
import io.inlay.engine.internal.memory.NativeMemory;
import io.inlay.engine.read.DecodeTarget;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.FileMetaData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One test per defect the hostile-input tests found in the reader, each on the smallest input that
 * showed it (TESTING.md lists them). They fail on the reader as it was before each fix.
 */
@Tag("hostile")
class FindingsRegressionTest {
    @TempDir
    Path dir;

    private static Subjects.Subject subject(String name) throws Exception {
        return Subjects.all().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * Finding 1: a chunk's {@code total_uncompressed_size}, which nothing checks, sized the up-front
     * buffer of a string column: a footer claiming 2^63 made every read ask for 2 GiB per column
     * (kept until the caller's arena closed). The plan is now capped by what the stored bytes can
     * plausibly expand to, and the values are read exactly as before.
     */
    @ParameterizedTest
    @ValueSource(longs = {Integer.MAX_VALUE, 1L << 40, Long.MAX_VALUE})
    void hugeUncompressedSizeInFooter_plansNoGiantBuffer(long claimed) throws Exception {
        Subjects.Subject s = subject("duck_v1_snappy.parquet");
        FileMetaData meta = s.layout().meta().deepCopy();
        for (ColumnChunk cc : meta.getRow_groups().get(0).getColumns()) {
            cc.getMeta_data().setTotal_uncompressed_size(claimed);
        }
        Path f = dir.resolve("claims.parquet");
        byte[] bytes = ThriftMutator.withFooter(s.bytes(), (int) s.layout().footerStart(), meta);
        Files.write(f, bytes);
        long before = NativeMemory.requestedByCurrentThread();
        NativeMemory.resetLargestRequest();
        ReadProbe.Result r = ReadProbe.probe(f, Subjects.OPTIONS);
        long largest = NativeMemory.largestRequestOfCurrentThread();
        long total = NativeMemory.requestedByCurrentThread() - before;
        assertTrue(largest <= Subjects.largestRequestLimit(bytes.length), "largest request " + largest);
        assertTrue(total <= Subjects.offHeapLimit(bytes.length), "requested " + total);
        assertTrue(r.clean(), r.toString());
        assertEquals(s.digests(), r.digests());
    }

    /**
     * Finding 3 (fuzzing, ChunkFuzzTest and DecoderFuzzTest#delta): a DELTA_BINARY_PACKED header with
     * a block size beyond 2^31 made the int values-per-miniblock wrap negative, so the scan for the end
     * of the lengths stepped backwards and read before the page: IndexOutOfBoundsException. Block sizes
     * that do not fit the format's 32 bits are now refused.
     */
    @Test
    void deltaBlockSizeBeyond32Bits_isRefused() throws Exception {
        // block size 20,935,868,416 (varint 80 80 80 ff 4d, a multiple of 128), 1 miniblock, 4 values, first value 0
        byte[] page = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0xff, 0x4d, 1, 4, 0, 1, 1};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(page.length);
            MemorySegment.copy(page, 0, s, ValueLayout.JAVA_BYTE, 0, page.length);
            DecodeException e = assertThrows(DecodeException.class,
                    () -> new BinaryDeltaLengthByteArrayDecoder().init(s, 0, page.length, 4));
            assertTrue(e.getMessage().contains("block size"), e.getMessage());
        }
    }

    /**
     * Finding 4 (ConcurrentReadTest): a read of a file closed by another thread was reported as a
     * corrupt file ("the page header does not parse: IllegalStateException: Already closed"), or as
     * unsupported when the closed arena was hit while decoding values — a caller could have
     * quarantined a good file. Every entry point now fails with IllegalStateException naming the file.
     */
    @Test
    void readsOfAClosedFile_areIllegalState_notCorruption() throws Exception {
        Subjects.Subject s = subject("duck_v1_snappy.parquet");
        Path f = dir.resolve("closed.parquet");
        Files.write(f, s.bytes());
        io.inlay.engine.read.ParquetFile pf = io.inlay.engine.read.ParquetFile.open(f);
        java.util.List<String> columns = pf.supportedColumns();
        pf.close();
        java.util.List<org.junit.jupiter.api.function.Executable> reads = java.util.List.of(
                () -> {
                    try (Arena arena = Arena.ofConfined()) {
                        pf.readAll(columns, DecodeTarget.arena(arena));
                    }
                },
                () -> {
                    try (var reader = pf.rowGroups(columns)) {
                        reader.next();
                    }
                },
                pf::verify,
                () -> pf.pages(0, 0),
                () -> pf.mappedValues("f", 0));
        for (var read : reads) {
            IllegalStateException e = assertThrows(IllegalStateException.class, read);
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("closed"), e.getMessage());
        }
    }

    /**
     * Finding 7 (issue 13, the hostile tests run under {@code -Dhostile.engine=pread}): a page whose
     * header says {@code compressed_page_size} 0 was handed to the decompressor as a buffer at
     * address 0 by the pread/direct engines (a mapping's empty slice has a real address), and
     * lz4-java's native decompressor answered that with {@code OutOfMemoryError}. Empty ranges now
     * have a real address under every engine, and the page is refused as corrupt.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mmap", "pread", "direct", "io_uring"})
    void anEmptyCompressedPage_isCorruption_underEveryEngine(String engine) throws Exception {
        // ThriftFieldMutationTest's mutation 649 of seed 32285: page 13 of pa_single_row_v2_lz4.parquet,
        // compressed_page_size 5 -> 0 (replayed: the mutations before it draw from the same random stream)
        java.util.List<Subjects.Subject> subjects = Subjects.all();
        java.util.SplittableRandom r = new java.util.SplittableRandom(32285);
        ThriftMutator.Mutation m = null;
        Subjects.Subject s = null;
        for (int i = 0; i <= 649; i++) {
            s = subjects.get(r.nextInt(subjects.size()));
            m = ThriftMutator.mutate(s.layout(), r);
        }
        assertEquals("pa_single_row_v2_lz4.parquet", s.name());
        assertTrue(m.description().contains("compressed_page_size 5 -> 0"), m.description());
        Path f = dir.resolve("empty-page.parquet");
        Files.write(f, m.bytes());
        var options = Subjects.OPTIONS.withIoEngine(io.inlay.engine.io.IoEngine.parse(engine));
        try (var pf = io.inlay.engine.read.ParquetFile.open(f, options)) {
            var e = assertThrows(io.inlay.engine.error.ParquetCorruptionException.class, pf::verify);
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        }
    }
}
