package io.inlay.engine.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.inlay.engine.internal.write.FileOutput;
import io.inlay.engine.read.PageCache;
import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import io.inlay.engine.testing.PageWalk;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WriterOptions#direct()}: O_DIRECT files hold exactly the bytes of the same file written
 * through the page cache (lengths that are not a multiple of the alignment, writes that straddle
 * the 4 MiB buffers), are not left in the page cache, and fail the way buffered files do (nothing
 * left under either name).
 */
class DirectWriteTest {
    @TempDir
    Path dir;

    private static boolean directWorksIn(Path dir) throws IOException {
        try (FileOutput probe = FileOutput.create(dir.resolve("probe"), UnaryOperator.identity(), true)) {
            return probe.direct();
        }
    }

    private static void writeBlobs(Path file, WriterOptions o) throws Exception {
        try (ParquetWriter w = ParquetWriter.create(file, List.of(BlobColumnTest.DATA), o)) {
            w.writeRowGroup(5, List.of(new BlobColumnTest.Source()));
            w.writeRowGroup(BlobColumnTest.SIZES.length - 5, List.of(new BlobColumnTest.Source()));
            w.finish();
        }
    }

    private static void writeFloats(Path file, WriterOptions o, long rows) throws Exception {
        try (ParquetWriter w = ParquetWriter.create(file, ParquetWriterFailureTest.SCHEMA, o.withRowGroupRows(3000))) {
            w.write(rows, List.of(ParquetWriterFailureTest.ids(), ParquetWriterFailureTest.rowIndex(256)));
            w.finish();
        }
    }

    @Test
    void directFiles_areTheBufferedFilesBytes_andLeaveNothingCached() throws Exception {
        Assumptions.assumeTrue(directWorksIn(dir), "the temporary directory's file system refuses O_DIRECT");
        // blobs: pages of 1 MiB chunks plus headers, so no write is aligned; floats: many small pages
        for (WriterOptions o : List.of(WriterOptions.defaults(), WriterOptions.defaults().withPageVersion(PageVersion.V2),
                WriterOptions.defaults().withTargetPageBytes(100_000))) {
            Path buffered = dir.resolve("buffered.parquet");
            Path direct = dir.resolve("direct.parquet");
            writeBlobs(buffered, o);
            writeBlobs(direct, o.withDirect(true));
            byte[] expected = Files.readAllBytes(buffered);
            assertTrue(expected.length > 2 * FileOutput.DIRECT_BUFFER, "the file spans several direct buffers");
            assertTrue(expected.length % 4096 != 0, "the last direct write is padded and truncated");
            assertEquals(0, PageCache.residentBytes(direct), "an O_DIRECT file is not in the page cache");
            assertArrayEquals(expected, Files.readAllBytes(direct), o.toString());
            PageWalk.assertCrcs(direct); // and it parses: every page header, its CRC, the footer

            writeFloats(buffered, o, 20_001);
            writeFloats(direct, o.withDirect(true), 20_001);
            assertArrayEquals(Files.readAllBytes(buffered), Files.readAllBytes(direct), o.toString());
        }
    }

    @Test
    void filesOfEveryLengthAroundTheBuffers_areWrittenExactly() throws Exception {
        Assumptions.assumeTrue(directWorksIn(dir), "the temporary directory's file system refuses O_DIRECT");
        int b = FileOutput.DIRECT_BUFFER;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(2L * b + 8192);
            for (long i = 0; i < src.byteSize(); i++) {
                src.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31 + (i >>> 11)));
            }
            for (long length : new long[] {0, 1, 4095, 4096, 4097, b - 1, b, b + 1, 2L * b + 8191}) {
                Path target = dir.resolve("f" + length);
                try (FileOutput out = FileOutput.create(target, UnaryOperator.identity(), true)) {
                    // pieces of odd sizes, from a segment and from a heap array
                    long done = 0;
                    int piece = 0;
                    while (done < length) {
                        long n = Math.min(length - done, 1 + (piece++ * 7919L) % 3_000_000);
                        if (piece % 3 == 0 && n < 65536) {
                            byte[] a = src.asSlice(done, n).toArray(ValueLayout.JAVA_BYTE);
                            out.write(a, 0, a.length);
                        } else {
                            out.write(src, done, n);
                        }
                        done += n;
                    }
                    assertEquals(length, out.position());
                    out.commit(true);
                }
                assertArrayEquals(src.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE), Files.readAllBytes(target),
                        "length " + length);
            }
        }
    }

    @Test
    void onTmpfs_theFileHasTheSameBytes() throws Exception {
        // tmpfs refused O_DIRECT before Linux 6.6 (the writer then goes through the page cache) and takes it since
        Path shm = Path.of("/dev/shm");
        Assumptions.assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "no tmpfs at /dev/shm");
        Path d = Files.createTempDirectory(shm, "inlay-direct-test");
        try {
            Path target = d.resolve("t.parquet");
            writeBlobs(target, WriterOptions.defaults().withDirect(true));
            Path reference = dir.resolve("reference.parquet");
            writeBlobs(reference, WriterOptions.defaults());
            assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(target));
        } finally {
            try (Stream<Path> s = Files.list(d)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(d);
        }
    }

    @Test
    void diskFullInABackgroundWrite_failsTheWriter_andLeavesNothing() throws Exception {
        Assumptions.assumeTrue(directWorksIn(dir), "the temporary directory's file system refuses O_DIRECT");
        Path target = dir.resolve("full.parquet");
        ParquetWriter w = new ParquetWriter(target, ParquetWriterFailureTest.SCHEMA,
                WriterOptions.defaults().withDirect(true).withRowGroupRows(3000),
                ParquetWriterFailureTest.failAfter(9L << 20));
        IOException e = assertThrows(IOException.class, () -> {
            try (w) {
                w.write(40_000, List.of(ParquetWriterFailureTest.ids(), ParquetWriterFailureTest.rowIndex(256)));
                w.finish();
            }
        });
        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("No space left on device (injected)"), e.getMessage());
        // the channel refuses the 4 MiB write that would pass 9 MiB: the one from 8 MiB, written in the
        // background while the writer was further on; the message names what those bytes were (row groups
        // of 3000 rows of 8 + 1024 bytes: 3.1 MB each, so 8 MiB is in row group 2, in column 'v')
        assertTrue(e.getMessage().contains("column 'v', row group 2:"), e.getMessage());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> !p.getFileName().toString().equals("probe")).toList(),
                    "neither the file nor its temporary file remains");
        }
    }
}
