package io.inlay.engine.trace;

import io.inlay.engine.internal.os.DirectFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The trace file's bytes, written with {@code O_DIRECT} where the file system takes it, else
 * through the page cache ({@link #open}).
 *
 * <p>Why direct: a trace written while the run goes on (a stash past its budget) is some 190
 * bytes an event, and through the page cache each byte is copied into a page the kernel must
 * first find and zero: 0.5 us an event of the writer thread's 0.65 here, CPU taken from the run's
 * own threads on a small host. With {@code O_DIRECT} the device reads the bytes from this
 * buffer: the writer thread waits for the device instead (some 1 ms a MiB), using no CPU.
 *
 * <p>Layout: one aligned off-heap buffer of {@link #BUFFER} bytes holds the bytes from the file
 * offset {@code base} on; a full buffer is written at {@code base} and emptied. {@link #flush}
 * writes the partial buffer zero-padded to the alignment and truncates the file to its true
 * length, keeping the bytes, so that the next write of the buffer (from the same aligned offset)
 * writes them again with what follows: the file is at every flush exactly the bytes written.
 *
 * <p>Used under the session's file lock only (one thread at a time, any thread).
 */
final class TraceFile extends OutputStream {
    /** The buffer: 1 MiB, written in one call (1 to 2 ms of the device's time here). */
    static final int BUFFER = 1 << 20;

    private final Path path;
    private final FileChannel channel;
    private final long align;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer;
    private final ByteBuffer view;
    private int filled;
    private long base;
    private boolean closed;

    private TraceFile(Path path, FileChannel channel, long align) {
        this.path = path;
        this.channel = channel;
        this.align = align;
        this.buffer = arena.allocate(BUFFER, align);
        this.view = buffer.asByteBuffer();
    }

    /**
     * {@code file} created (or truncated) for writing: with {@code O_DIRECT} when {@code direct}
     * and the file system takes it (tmpfs does not), else buffered through the page cache.
     */
    static OutputStream open(Path file, boolean direct) throws IOException {
        OutputStream plain = Files.newOutputStream(file); // creates and truncates, with the usual errors
        if (!direct) {
            return new BufferedOutputStream(plain, 1 << 16);
        }
        FileChannel d = DirectFiles.openForWrite(file);
        if (d == null) {
            return new BufferedOutputStream(plain, 1 << 16); // no O_DIRECT here
        }
        plain.close();
        try {
            return new TraceFile(file, d, DirectFiles.alignment(file, BUFFER));
        } catch (RuntimeException | Error e) {
            d.close();
            throw e;
        }
    }

    /** Whether {@code out} (from {@link #open}) writes with {@code O_DIRECT}. */
    static boolean direct(OutputStream out) {
        return out instanceof TraceFile;
    }

    @Override
    public void write(int b) throws IOException {
        open();
        buffer.set(ValueLayout.JAVA_BYTE, filled++, (byte) b);
        if (filled == BUFFER) {
            writeBuffer();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        open();
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            int n = Math.min(len, BUFFER - filled);
            MemorySegment.copy(b, off, buffer, ValueLayout.JAVA_BYTE, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == BUFFER) {
                writeBuffer();
            }
        }
    }

    /** The full buffer at {@code base}; then empty, from the next offset. */
    private void writeBuffer() throws IOException {
        writeAt(BUFFER);
        base += BUFFER;
        filled = 0;
    }

    /** The buffer's first {@code length} bytes (a multiple of the alignment) at {@code base}. */
    private void writeAt(int length) throws IOException {
        DirectFiles.writeFully(channel, view.duplicate().limit(length).position(0), base, path + ": the trace file");
    }

    /** Writes the bytes so far; the file is then exactly them (the partial buffer stays, to be written again). */
    @Override
    public void flush() throws IOException {
        open();
        if (filled == 0) {
            return;
        }
        int padded = (int) ((filled + align - 1) & -align);
        buffer.asSlice(filled, padded - filled).fill((byte) 0);
        writeAt(padded);
        channel.truncate(base + filled);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            try {
                channel.close();
            } finally {
                arena.close();
            }
        }
    }

    private void open() throws IOException {
        if (closed) {
            throw new IOException(path + ": the trace file is closed");
        }
    }
}
