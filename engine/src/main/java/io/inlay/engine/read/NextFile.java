package io.inlay.engine.read;

import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.internal.io.IoFile;
import io.inlay.engine.internal.io.IoSession;
import io.inlay.engine.internal.memory.NativeMemory;
import io.inlay.engine.internal.metadata.FileStructure;
import io.inlay.engine.internal.metadata.LeafColumn;
import io.inlay.engine.internal.os.Posix;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A file a worker reads after the current one ({@link ReadBuffers#readAhead}): opened now, its head
 * and footer read through the worker's queue while the current file decodes; once those are in and
 * everything planned before it is started, its footer is parsed, its engine chosen and its
 * projected ranges planned after what came before ({@link #plan}), so that they are in flight (or
 * advised) when the worker opens it ({@link ParquetFile#open(Path, ReadOptions, ReadBuffers)}).
 * Anything that goes wrong here is left for that open to find and report. Confined to the worker's
 * thread.
 */
final class NextFile {
    /** Bytes read from the end of the file in one go: the footer and its length, mostly. */
    private static final long TAIL = 64 << 10;
    private static final long HEAD = 4096;

    /** Memory for heads and tails of files read ahead, reused from file to file (one worker's). */
    static final class Tails implements AutoCloseable {
        private final ArrayDeque<MemorySegment> free = new ArrayDeque<>();
        private Arena arena;

        synchronized MemorySegment take() {
            MemorySegment m = free.poll();
            if (m != null) {
                return m;
            }
            if (arena == null) {
                arena = Arena.ofShared();
            }
            return NativeMemory.allocate(arena, HEAD + TAIL, 4096);
        }

        synchronized void give(MemorySegment m) {
            if (arena != null) {
                free.push(m);
            }
        }

        @Override
        public synchronized void close() {
            free.clear();
            if (arena != null) {
                arena.close();
                arena = null;
            }
        }
    }

    final Path path;
    final ReadOptions options;
    final List<String> columns;
    private final IoSession session;
    private final Tails tails;
    private IoFile io;
    private MemorySegment memory;
    private IoSession.SideRead tailRead;
    private IoSession.SideRead headRead;
    private MemorySegment tail;
    private MemorySegment head;
    private long tailStart;
    private FileStructure structure;
    private boolean planned;
    private boolean failed;

    NextFile(Path path, ReadOptions options, List<String> columns, IoSession session, Tails tails) {
        this.path = path;
        this.options = options;
        this.columns = List.copyOf(columns);
        this.session = session;
        this.tails = tails;
        try {
            io = IoFile.open(path);
            long size = io.size();
            long n = Math.min(size, TAIL);
            tailStart = size - n;
            memory = tails.take();
            tail = memory.asSlice(HEAD, n);
            if (n > 0) {
                tailRead = session.sideRead(io, tailStart, tail);
            }
            if (tailStart > 0) {
                head = memory.asSlice(0, 4);
                headRead = session.sideRead(io, 0, head);
            }
        } catch (IOException | RuntimeException e) {
            failed = true;
        }
    }

    /** Whether this file's ranges are planned (a plan made later may have dropped them: then not). */
    boolean planned() {
        if (planned && io != null && !session.hasPlanned(io)) {
            planned = false;
        }
        return planned;
    }

    /** Whether the read-ahead of this file failed (its open reads it afresh and reports the problem). */
    boolean failed() {
        return failed;
    }

    /** Plans this file's projected ranges after what is planned, if its footer is in; false if it is not yet. */
    boolean plan(IoSession s) {
        if (failed || planned()) {
            return true;
        }
        if (!readsDone()) {
            return false;
        }
        planned = true;
        try {
            parse();
            List<LeafColumn> leaves = new ArrayList<>();
            for (String c : columns) {
                var d = structure.parsed().schema().column(c);
                if (d.isEmpty() || !d.get().isSupported()) {
                    return true; // the open reports it
                }
                leaves.add(structure.parsed().leaf(c));
            }
            long[] ranges = ChunkReads.ranges(structure, leaves, 0, structure.rowGroupCount(), 1);
            s.append(io, ranges, ranges.length / 2);
        } catch (IOException | RuntimeException e) {
            failed = true;
        }
        return true;
    }

    private boolean readsDone() {
        return (tailRead == null || tailRead.done()) && (headRead == null || headRead.done());
    }

    /** Parses the footer from the bytes read ahead (reading the rest of a footer longer than them), and sets up the engine. */
    private void parse() throws IOException {
        if (structure != null) {
            return;
        }
        if (tailRead != null && tailRead.result() != tail.byteSize() || headRead != null && headRead.result() != 4) {
            throw new IOException("read ahead came back short");
        }
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment state = Posix.newCallState(scratch);
            FileStructure.Source source = (offset, length) -> {
                if (offset >= tailStart) {
                    return tail.asSlice(offset - tailStart, length);
                }
                if (offset == 0 && length <= 4 && head != null) {
                    return head.asSlice(0, length);
                }
                MemorySegment m = scratch.allocate(Math.max(1, length), 8).asSlice(0, length);
                if (io.readFully(offset, m, state) < length) {
                    throw new ParquetCorruptionException(io.name() + ": the file changed or was truncated while being read");
                }
                return m;
            };
            structure = FileStructure.read(io.name(), io.size(), source, options.maxFooterBytes());
        }
        io.use(Footer.resolveEngine(options.ioEngine(), io, structure));
    }

    /**
     * Hands the file over to an opener: its descriptors, engine and parsed footer (waiting for the
     * footer's reads if they are still in flight).
     *
     * @return null if the read-ahead did not get that far (the opener opens the file itself)
     */
    Prepared take() {
        if (failed || io == null) {
            close();
            return null;
        }
        try {
            awaitReads();
            parse();
            // planned now if it was not yet, before any later file (whose reads must not come first)
            plan(session);
        } catch (IOException | RuntimeException e) {
            close();
            return null;
        }
        Prepared p = new Prepared(io, structure);
        io = null;
        giveMemory();
        return p;
    }

    private void awaitReads() throws IOException {
        if (tailRead != null) {
            session.await(tailRead);
        }
        if (headRead != null) {
            session.await(headRead);
        }
    }

    private void giveMemory() {
        if (memory != null) {
            tails.give(memory);
            memory = null;
        }
    }

    /** A file opened ahead, handed to {@link ParquetFile}: it owns the reference now. */
    record Prepared(IoFile io, FileStructure structure) {}

    /** Gives up the read-ahead of this file (another comes next, or the buffers close). */
    void close() {
        if (io != null) {
            // reads of it still in flight hold references of their own
            io.unmap();
            io.release();
            io = null;
        }
        if (memory != null) {
            // the kernel may still write into it: wait for those reads first
            try {
                awaitReads();
                giveMemory();
            } catch (IOException | RuntimeException e) {
                memory = null; // not reused: a read of it may be in flight still
            }
        }
    }
}
