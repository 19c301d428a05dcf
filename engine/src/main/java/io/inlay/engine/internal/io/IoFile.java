package io.inlay.engine.internal.io;

import io.inlay.engine.error.StorageException;
import io.inlay.engine.internal.os.Posix;
import io.inlay.engine.io.IoEngine;
import io.inlay.engine.trace.EngineEvents;
import io.inlay.engine.trace.Trace;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open file as the I/O layer reads it: its size, a buffered descriptor (the footer, small
 * reads, {@code cachestat}), and what its engine needs: a mapping ({@code mmap}), or an
 * {@code O_DIRECT} descriptor and its alignment ({@code direct}, {@code io_uring}).
 *
 * <p><b>Lifetime.</b> Counted references: the {@code ParquetFile} holds one, and each
 * {@link IoSession} that has ranges of the file planned or reads of it in flight holds one, so a
 * descriptor is never closed (and its number reused) under a read. The mapping is the exception:
 * it belongs to the {@code ParquetFile}, which unmaps it when it closes (its own lifetime keeps
 * decoders out of unmapped memory); sessions only give it advice. Thread-safe.
 */
public final class IoFile {
    /** How this file's bytes are read. */
    public enum Kind { MAPPED, PREAD, DIRECT }

    /** O_DIRECT offset and buffer alignment used when the file system does not say (statx). */
    static final int DEFAULT_DIRECT_ALIGN = 4096;

    private final Path path;
    private final String name;
    private final long size;
    private final int fd;
    private final FileChannel channel;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final int dioAlign;
    private volatile Kind kind = Kind.PREAD;
    private volatile int directFd = -1;
    private volatile boolean uring;
    private IoEngine engine = IoEngine.PREAD;
    private Arena mapArena;
    private volatile MemorySegment mapping;

    /** Bytes read from storage for this file by the pread/direct engines (mmap: estimated, see {@link IoSession}). */
    final AtomicLong storageBytes = new AtomicLong();
    /** Reads submitted for this file (mmap: ranges advised). */
    final AtomicLong reads = new AtomicLong();
    /** Time readers waited for this file's bytes. */
    final AtomicLong waitNanos = new AtomicLong();
    /** Of {@link #reads}, those submitted through io_uring. */
    final AtomicLong uringReads = new AtomicLong();
    /** Whether {@link #use} has set the engine (a file read ahead is not set up until its footer is in). */
    private volatile boolean chosen;

    private IoFile(Path path, long size, int fd, FileChannel channel, int dioAlign) {
        this.path = path;
        this.name = path.toString();
        this.size = size;
        this.fd = fd;
        this.channel = channel;
        this.dioAlign = dioAlign;
    }

    /**
     * Opens a file for reading (a buffered descriptor and its size); the engine is chosen later with
     * {@link #use}.
     *
     * @throws NoSuchFileException if it does not exist; IOException with the reason otherwise
     */
    public static IoFile open(Path path) throws IOException {
        String name = path.toString();
        if (!Posix.available()) {
            FileChannel ch;
            try {
                ch = FileChannel.open(path, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                throw new NoSuchFileException(name, null, "no such file");
            }
            return new IoFile(path, ch.size(), -1, ch, 0);
        }
        int fd = Posix.open(name, 0);
        if (fd < 0) {
            throw openError(name, -fd);
        }
        int[] err = new int[1];
        Posix.FileStat st = Posix.statx(fd, err);
        if (st == null) {
            Posix.close(fd);
            throw new IOException(name + ": cannot stat: " + Posix.strerror(err[0]));
        }
        int align = Math.max(st.dioMemAlign(), st.dioOffsetAlign());
        return new IoFile(path, st.size(), fd, null, align);
    }

    private static IOException openError(String name, int errno) {
        return switch (errno) {
            case 2 -> new NoSuchFileException(name, null, "no such file");
            case 13 -> new AccessDeniedException(name, null, "permission denied");
            default -> new IOException(name + ": cannot open: " + Posix.strerror(errno));
        };
    }

    public Path path() {
        return path;
    }

    public String name() {
        return name;
    }

    public long size() {
        return size;
    }

    public Kind kind() {
        return kind;
    }

    /** The engine reads of this file actually use (after fallbacks): mmap, pread, direct or io_uring. */
    public IoEngine engine() {
        return engine;
    }

    /** Whether reads of this file are submitted through io_uring. */
    boolean uring() {
        return uring;
    }

    /** Whether the engine is set ({@link #use}); before that only footer reads of it are made. */
    boolean engineChosen() {
        return chosen;
    }

    /** The buffered descriptor (footers, small reads). */
    int bufferedFd() {
        return fd;
    }

    /** The descriptor ring reads go through. */
    int readFd() {
        int d = directFd;
        return d >= 0 ? d : fd;
    }

    /** The alignment of offsets, lengths and buffers of ring reads: the O_DIRECT alignment, or 1. */
    int readAlign() {
        return directFd >= 0 ? Math.max(DEFAULT_DIRECT_ALIGN, dioAlign) : 1;
    }

    /**
     * Sets how the file is read. {@link IoEngine#MMAP} maps it now; {@link IoEngine#DIRECT} and
     * {@link IoEngine#IO_URING} open an O_DIRECT descriptor, or, where the file system refuses one,
     * read through the page cache after a one-line notice. Called once, by the opener, before any read.
     */
    public void use(IoEngine wanted) throws IOException {
        switch (wanted) {
            case MMAP -> {
                MemorySegment m = map();
                if (m.byteSize() > 0) {
                    // no read-around on faults: the session asks for exactly the ranges it will decode
                    // (WILLNEED ahead, POPULATE_READ before decoding); read-around fetched whole
                    // unprojected chunks (a 4 MB skipped column of selective_read, measured)
                    Posix.madvise(m, 0, m.byteSize(), Posix.MADV_RANDOM);
                }
                kind = Kind.MAPPED;
                engine = IoEngine.MMAP;
            }
            case PREAD -> {
                kind = Kind.PREAD;
                engine = IoEngine.PREAD;
            }
            case DIRECT, IO_URING -> {
                uring = wanted == IoEngine.IO_URING;
                engine = wanted;
                if (openDirect()) {
                    kind = Kind.DIRECT;
                } else {
                    kind = Kind.PREAD;
                }
            }
            case AUTO -> throw new IllegalArgumentException("resolve AUTO before use");
        }
        if (fd < 0 && kind != Kind.MAPPED) {
            map();
            kind = Kind.MAPPED;
            engine = IoEngine.MMAP;
        }
        chosen = true;
    }

    /**
     * For tests: an errno that opening with O_DIRECT fails with, as on a file system that refuses it
     * (tmpfs did before Linux 6.6; this project's test machines accept it everywhere), or 0.
     */
    static volatile int refuseDirectForTests;

    private boolean openDirect() {
        if (fd < 0) {
            return false;
        }
        int refused = refuseDirectForTests;
        int d = refused != 0 ? -refused : Posix.open(name, Posix.O_DIRECT);
        if (d < 0) {
            Notices.once("odirect:" + path.getParent(), name + ": the file system refuses O_DIRECT ("
                    + Posix.strerror(-d) + "); reading through the page cache with pread instead");
            return false;
        }
        directFd = d;
        return true;
    }

    /**
     * A direct read was refused (EINVAL: an alignment the file system did not report): the file is
     * read with pread from now on, after a one-line notice.
     */
    void directRefused(int errno) {
        int d = directFd;
        if (d >= 0) {
            directFd = -1;
            kind = Kind.PREAD;
            Notices.once("odirect-read:" + path.getParent(), name + ": an O_DIRECT read was refused ("
                    + Posix.strerror(errno) + "); reading through the page cache with pread instead");
            // closed with the file, not now: another session's read may be in flight on it
            lateDirectFd.set(d);
        }
    }

    private final AtomicInteger lateDirectFd = new AtomicInteger(-1);

    /** The whole file mapped read-only (mapped on first use), valid until the owner unmaps it. */
    public synchronized MemorySegment map() throws IOException {
        MemorySegment m = mapping;
        if (m != null) {
            return m;
        }
        Arena arena = Arena.ofShared();
        try {
            if (size == 0) {
                m = MemorySegment.NULL;
            } else if (channel != null) {
                m = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            } else {
                try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                    m = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
                }
            }
        } catch (IOException | RuntimeException e) {
            arena.close();
            long now = -1;
            try {
                now = java.nio.file.Files.size(path);
            } catch (IOException gone) {
                // reported below
            }
            if (now < size) {
                throw new io.inlay.engine.error.ParquetCorruptionException(name + ": the file changed or was truncated while"
                        + " being opened (" + size + " bytes when opened, " + (now < 0 ? "gone" : now + " bytes") + " now)", e);
            }
            throw e;
        }
        mapArena = arena;
        mapping = m;
        return m;
    }

    /** The mapping, or null if the file is not mapped. */
    public MemorySegment mapping() {
        return mapping;
    }

    /**
     * Unmaps the file (the owner's close, once no decoder is inside).
     *
     * @throws IllegalStateException if a JDK operation on a slice of it holds the mapping
     */
    public synchronized void unmap() {
        Arena a = mapArena;
        if (a != null) {
            try {
                a.close();
            } catch (IllegalStateException e) {
                if (a.scope().isAlive()) {
                    throw new IllegalStateException(name + " cannot be unmapped while its memory is in use: " + e.getMessage(), e);
                }
            }
            mapArena = null;
            mapping = null;
        }
    }

    /**
     * Reads {@code dst.byteSize()} bytes at {@code offset} through the page cache, now.
     *
     * @return the bytes read (fewer only at end of file)
     */
    public long readFully(long offset, MemorySegment dst, MemorySegment callState) throws IOException {
        long t0 = Trace.start();
        try {
            return readFullyUntraced(offset, dst, callState);
        } finally {
            Trace.end(EngineEvents.READ, t0, name, IoEngine.PREAD.configName(), offset,
                    dst.byteSize(), 0, 0);
        }
    }

    private long readFullyUntraced(long offset, MemorySegment dst, MemorySegment callState) throws IOException {
        long done = 0;
        long n = dst.byteSize();
        if (channel != null) {
            var buf = dst.asByteBuffer();
            while (buf.hasRemaining()) {
                int r = channel.read(buf, offset + buf.position());
                if (r < 0) {
                    break;
                }
            }
            return buf.position();
        }
        while (done < n) {
            long r = Posix.pread(callState, fd, dst.address() + done, n - done, offset + done);
            if (r < 0) {
                throw new StorageException(name + ": reading " + (n - done) + " bytes at offset " + (offset + done) + ": "
                        + Posix.strerror((int) -r));
            }
            if (r == 0) {
                break;
            }
            done += r;
        }
        storageBytes.addAndGet(done);
        reads.incrementAndGet();
        return done;
    }

    /** Whether cachestat answered for this file (else the session does not ask it on the hot path). */
    private volatile boolean cachestatWorks = true;

    /** As {@link #cachedBytes(long, long)} with cachestat alone, allocating nothing; -1 when unknown. */
    long cachedBytesQuick(long offset, long length, MemorySegment scratch) {
        if (fd < 0 || !cachestatWorks) {
            return -1;
        }
        long c = Posix.cachedBytes(fd, offset, length, scratch);
        if (c < 0) {
            cachestatWorks = false;
        }
        return c;
    }

    /**
     * Bytes of {@code [offset, offset + length)} in the page cache ({@code cachestat}, else
     * {@code mincore} of a mapping), or -1 when unknown.
     */
    public long cachedBytes(long offset, long length) {
        if (length <= 0) {
            return 0;
        }
        if (fd >= 0) {
            long c = Posix.cachedBytes(fd, offset, length);
            if (c >= 0) {
                return c;
            }
        }
        MemorySegment m = mapping;
        if (m != null && m.byteSize() > 0) {
            long start = offset & -Posix.PAGE_SIZE;
            return Posix.residentBytes(m.asSlice(start, offset + length - start));
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            long start = offset & -Posix.PAGE_SIZE;
            MemorySegment window = ch.map(FileChannel.MapMode.READ_ONLY, start, offset + length - start, arena);
            return Posix.residentBytes(window);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** What reading this file cost so far, over every thread that read it. */
    public io.inlay.engine.io.IoStats stats() {
        return new io.inlay.engine.io.IoStats(storageBytes.get(), reads.get(), waitNanos.get(), uringReads.get());
    }

    /** Takes another reference (a session planning reads of the file). */
    void retain() {
        for (;;) {
            int r = refs.get();
            if (r <= 0) {
                throw new IllegalStateException(name + " is closed");
            }
            if (refs.compareAndSet(r, r + 1)) {
                return;
            }
        }
    }

    /** Drops a reference; the last one closes the descriptors. */
    public void release() {
        if (refs.decrementAndGet() == 0) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // read-only: nothing lost
                }
            }
            Posix.close(fd);
            Posix.close(directFd);
            Posix.close(lateDirectFd.get());
        }
    }

    @Override
    public String toString() {
        return "IoFile[" + name + ", " + engine + "]";
    }
}
