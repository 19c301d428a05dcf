package io.inlay.engine.internal.os;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Files written with {@code O_DIRECT}: opening one, and the alignment its writes need (offsets,
 * lengths and buffer addresses). Shared by the Parquet writer's output and the trace file.
 */
public final class DirectFiles {
    /** The least alignment of direct writes: 4096 covers 512-byte and 4K devices. */
    public static final long MIN_ALIGN = 4096;

    private DirectFiles() {}

    /** {@code file} (existing) opened for O_DIRECT writes, or null when its file system refuses O_DIRECT. */
    public static FileChannel openForWrite(Path file) {
        try {
            return FileChannel.open(file, StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /**
     * Writes all of {@code b} at {@code at} (positional writes, as many as it takes).
     *
     * @param what the file in words, for the error ({@code "/r/t.pfw: the trace file"})
     * @throws IOException when the channel takes no more bytes, or fails
     */
    public static void writeFully(FileChannel channel, ByteBuffer b, long at, String what) throws IOException {
        while (b.hasRemaining()) {
            int n = channel.write(b, at);
            if (n <= 0) {
                throw new IOException(what + " takes no more bytes");
            }
            at += n;
        }
    }

    /**
     * The alignment direct writes to {@code file} need: its file store's block size when that is a
     * power of two no larger than {@code max}, and at least {@link #MIN_ALIGN}; else {@link #MIN_ALIGN}.
     */
    public static long alignment(Path file, long max) {
        try {
            long b = Files.getFileStore(file).getBlockSize();
            return b > 0 && Long.bitCount(b) == 1 && b <= max ? Math.max(b, MIN_ALIGN) : MIN_ALIGN;
        } catch (IOException | UnsupportedOperationException e) {
            return MIN_ALIGN;
        }
    }
}
