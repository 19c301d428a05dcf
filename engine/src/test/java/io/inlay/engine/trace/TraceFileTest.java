package io.inlay.engine.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TraceFile}: with O_DIRECT the file holds exactly the bytes written, at every flush (the
 * zero padding of the partial block truncated away and written over later) and at close, across
 * the buffer's boundary; not asked for, the file is the same bytes written through the page cache;
 * on tmpfs (which refuses O_DIRECT before Linux 6.6) the same bytes either way.
 */
class TraceFileTest {
    @TempDir
    Path dir;

    /** Writes lines of random lengths, single bytes among them, flushing now and then; checks the file at each flush. */
    private static byte[] writeAndCheck(OutputStream out, Path file, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        int flushes = 0;
        while (expected.size() < 3 * TraceFile.BUFFER + 12_345) {
            int n = r.nextInt(10) == 0 ? 1 : r.nextInt(1, 700);
            byte[] line = new byte[n];
            for (int i = 0; i < n; i++) {
                line[i] = (byte) r.nextInt(32, 127);
            }
            if (n == 1) {
                out.write(line[0]);
            } else {
                out.write(line, 0, n);
            }
            expected.write(line, 0, n);
            if (r.nextInt(500) == 0) {
                out.flush();
                flushes++;
                assertArrayEquals(expected.toByteArray(), Files.readAllBytes(file), "the file after flush " + flushes);
            }
        }
        // one large write across the buffer's end from a partial buffer
        byte[] big = new byte[TraceFile.BUFFER + 777];
        Arrays.fill(big, (byte) 'x');
        out.write(big, 3, big.length - 3);
        expected.write(big, 3, big.length - 3);
        out.close();
        return expected.toByteArray();
    }

    @Test
    void direct_fileIsExactlyTheBytesWritten_atEveryFlushAndAtClose() throws IOException {
        Path file = dir.resolve("t.pfw");
        OutputStream out = TraceFile.open(file, true);
        Assumptions.assumeTrue(TraceFile.direct(out), "the temporary directory's file system refuses O_DIRECT");
        byte[] expected = writeAndCheck(out, file, 17);
        assertArrayEquals(expected, Files.readAllBytes(file));
        assertThrows(IOException.class, () -> out.write('x'), "a closed trace file takes no more bytes");
        out.close(); // idempotent
    }

    @Test
    void buffered_whenNotAsked_isTheSameBytes() throws IOException {
        Path file = dir.resolve("b.pfw");
        OutputStream out = TraceFile.open(file, false);
        assertFalse(TraceFile.direct(out));
        byte[] expected = writeAndCheck(out, file, 17);
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    void openTruncatesAnOldFile() throws IOException {
        Path file = dir.resolve("old.pfw");
        Files.write(file, new byte[100_000]);
        try (OutputStream out = TraceFile.open(file, true)) {
            out.write("[\n".getBytes());
        }
        assertEquals("[\n", Files.readString(file));
    }

    @Test
    void tmpfs_holdsTheSameBytes_directOrNot() throws IOException {
        // tmpfs takes O_DIRECT since Linux 6.6 and refuses it before: either way the bytes are the same
        Path shm = Path.of("/dev/shm");
        Assumptions.assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "no writable /dev/shm (tmpfs) here");
        Path file = Files.createTempFile(shm, "inlay-trace-", ".pfw");
        try {
            OutputStream out = TraceFile.open(file, true);
            byte[] expected = writeAndCheck(out, file, 5);
            assertArrayEquals(expected, Files.readAllBytes(file));
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
