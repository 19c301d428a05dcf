package io.inlay.engine.internal.io;

import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.error.StorageException;
import io.inlay.engine.internal.io.queue.ReadQueue;
import io.inlay.engine.internal.memory.GrowableBuffer;
import io.inlay.engine.internal.memory.NativeMemory;
import io.inlay.engine.internal.os.Posix;
import io.inlay.engine.io.IoEngine;
import io.inlay.engine.io.IoStats;
import io.inlay.engine.trace.EngineEvents;
import io.inlay.engine.trace.Trace;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * One reading thread's I/O: the plan of byte ranges it will consume, in order, and the reads that
 * bring them in ahead of the decoder.
 *
 * <p><b>The plan.</b> Callers say which ranges come next ({@link #expect}, in the order they will be
 * consumed); adjacent ranges closer than {@link #COALESCE_GAP} are merged into one extent (the gap
 * is read too: fewer, larger reads). Consumers then ask for bytes of those ranges
 * ({@link ByteRanges#bytes}) and release them as they move on. Asking for a range further on skips
 * what lies between; asking for one that is not planned plans it on the spot.
 *
 * <p><b>pread, direct, io_uring.</b> Extents are read into one ring buffer of
 * {@code 2 x ioDepth x transferSize} bytes (allocated once, aligned for O_DIRECT), in reads of
 * {@code transferSize} with up to {@code ioDepth} in flight, as far ahead of the consumer as the
 * ring allows. The consumer gets views of the ring (a range that wraps around its end is copied
 * once into a side buffer); a range larger than the ring is read on its own into a buffer of its size.
 * For O_DIRECT, extents are widened to the file's alignment at both ends.
 *
 * <p><b>mmap.</b> Extents of a mapped file take no ring space: the next {@code ioDepth x
 * transferSize} bytes of them are asked for with {@code MADV_WILLNEED}, and each range is faulted in
 * with {@code MADV_POPULATE_READ} (at least {@code transferSize} at a time) when the consumer asks
 * for it, so the decoder itself takes no page faults.
 *
 * <p><b>Threads and memory.</b> Confined to one thread at a time. Holds a reference to each file it
 * has extents or reads of; {@link #close()} waits for reads in flight, then frees the ring.
 */
public final class IoSession implements AutoCloseable {
    /**
     * Projected ranges closer than this are read as one (the bytes between included), as long as the
     * bytes between stay under 1/{@link #COALESCE_WASTE} of the extent's wanted bytes: fewer, larger
     * reads, at most 12.5% more bytes.
     */
    public static final long COALESCE_GAP = 128 << 10;
    /** An extent's gaps are at most 1/8 of its wanted bytes. */
    static final long COALESCE_WASTE = 8;
    /** Bytes after a chunk's declared end read with it: some writers leave a page header out of the chunk size. */
    public static final long CHUNK_SLACK = 256;
    /** The smallest ring: files with small pages but one large one do not fall to the one-off path. */
    private static final long MIN_RING = 4L << 20;
    /**
     * A worker's (long-lived) ring is backed by transparent huge pages
     * ({@link NativeMemory#allocateHugePages}), so that each O_DIRECT read lands in physically contiguous memory: on 4 KiB
     * pages a 1 MiB read is up to 256 scattered pages, more than a virtio disk's 254 segments per
     * request here, and the rate then depends on how fragmented the memory the ring got is. Measured
     * (bench/README.md, "Huge pages for the ring"): 1 GiB cold, 1 thread, every engine 2.5-3.1 GB/s
     * in each of three JVMs with huge pages against 1.3-2.6 GB/s without, varying from JVM to JVM.
     * Paid once per worker (the ring is reused file after file; a huge page fault can compact
     * memory synchronously, see {@code NativeMemory}); short-lived sessions keep 4 KiB pages.
     * {@code -Dinlay.io.hugeRing=false} turns it off, for that comparison.
     */
    private static final boolean HUGE_RING = !"false".equals(System.getProperty("inlay.io.hugeRing"));
    /** No bytes, at a real address. */
    private static final MemorySegment EMPTY = Arena.global().allocate(8, 8).asSlice(0, 0);
    /** Tags of reads that are not ring pieces (footers read ahead) have this bit. */
    private static final long SIDE_TAG = 1L << 62;

    private final int depth;
    private final long transfer;
    private final boolean readAhead;
    private final long ringLimit;

    private ReadQueue queue;
    private boolean queueUring;
    /** The thread that opened {@link #queue}: an io_uring queue works only there. */
    private Thread queueThread;

    private Arena ringArena;
    private MemorySegment ring;
    private long cap;
    private long mask;
    private final GrowableBuffer straddle = new GrowableBuffer();
    private Arena largeArena;
    private MemorySegment large;

    /** The plan: extents from {@code qh} on, in consumption order; those with a stream position come first. */
    private final ArrayList<Extent> q = new ArrayList<>();
    private int qh;
    /** The next stream offset to hand out; stream offset s lives at ring position s & mask. */
    private long submitHead;
    /** Stream bytes below this are no longer needed by the consumer. */
    private long lowWater;

    /** Ring reads not yet retired, oldest first (retired from the head once done, in stream order). */
    private final Piece[] pieces;
    private int pHead;
    private int pCount;
    private int inKernel;

    private long storageBytes;
    private long readRequests;
    private long uringReads;
    private long waitNanos;
    private boolean closed;

    /** A range of the plan: one file's [start, end), widened to [aStart, aEnd) for O_DIRECT. */
    static final class Extent {
        final IoFile file;
        final boolean mapped;
        final long start;
        final long end;
        final long aStart;
        final long aEnd;
        /** Where aStart sits in the stream, or -1 before its first read is submitted. */
        long streamStart = -1;
        /** File offset up to which reads were submitted (mapped: advised). */
        long submitted;
        /** File offset up to which a mapped extent is faulted in. */
        long populated;
        int inFlight;
        boolean removed;
        /** An errno of a read of it, or 0. */
        int errno;
        /** Where a read found the file ending early (truncated while read), or -1. */
        long shortAt = -1;

        Extent(IoFile file, long start, long end) {
            this.file = file;
            this.mapped = file.kind() == IoFile.Kind.MAPPED;
            this.start = start;
            this.end = end;
            int a = mapped ? 1 : file.readAlign();
            this.aStart = start - start % a;
            long e = end + (a - end % a) % a;
            this.aEnd = e;
            this.submitted = aStart;
            this.populated = start;
        }

        boolean contains(IoFile f, long off, long len) {
            return file == f && off >= start && off + len <= end;
        }
    }

    /** One ring read. */
    static final class Piece {
        Extent extent;
        long fileOffset;
        long length;
        long streamStart;
        long ringPos;
        boolean done;
        /** When its read was submitted ({@link Trace#start()}: 0 when not traced). */
        long traceStart;
    }

    /**
     * @param depth reads in flight at most
     * @param transfer bytes per read (a multiple of 4 KiB)
     * @param readAhead false: read a range only when it is asked for
     * @param longLived whether the ring is made full-size at once (a worker's session, used file after
     *     file) rather than sized to the first plan
     */
    public IoSession(int depth, long transfer, boolean readAhead, boolean longLived) {
        this.depth = depth;
        this.transfer = transfer;
        this.readAhead = readAhead;
        this.ringLimit = Math.max(MIN_RING, Long.highestOneBit(2L * depth * transfer - 1) << 1);
        this.pieces = new Piece[depth];
        this.sideInFlight = new SideRead[depth];
        for (int i = 0; i < depth; i++) {
            pieces[i] = new Piece();
        }
        this.longLived = longLived;
    }

    private final boolean longLived;

    /** The ranges of {@code file} the consumer reads through this session. */
    public ByteRanges input(IoFile file) {
        return new Input(file);
    }

    private final class Input implements ByteRanges {
        private final IoFile file;

        Input(IoFile file) {
            this.file = file;
        }

        @Override
        public MemorySegment bytes(long offset, long length) throws IOException {
            return IoSession.this.bytes(file, offset, length, false);
        }

        @Override
        public MemorySegment bytesAtMost(long offset, long length) throws IOException {
            return IoSession.this.bytes(file, offset, length, true);
        }

        @Override
        public void release(long offset) {
            IoSession.this.release(file, offset);
        }

        @Override
        public boolean stable() {
            return file.kind() != IoFile.Kind.MAPPED;
        }
    }

    // ---- the plan ----

    /**
     * Says which ranges of {@code file} come next, in the order they will be read:
     * {@code ranges[2i]} to {@code ranges[2i + 1]} for i below {@code count}. Ranges already planned
     * (and being read) in that order are kept; the rest replaces whatever was planned after them
     * and not started yet.
     */
    public void expect(IoFile file, long[] ranges, int count) {
        checkOpen();
        checkThread();
        // the leading ranges that planned extents (started or not) already cover, in order
        int i = qh;
        int last = -1;
        int j = 0;
        while (j < count) {
            long s = ranges[2 * j];
            long len = ranges[2 * j + 1] - s;
            if (len <= 0) {
                j++;
                continue;
            }
            // the first range may be found anywhere ahead (what lies before it is skipped); the
            // others in the same extent or the next: a plan that matches only with extents between
            // (every other row group of a plan in file order) is not the plan asked for, and would
            // read what lies between
            int k = i;
            int limit = last < 0 ? q.size() : Math.min(q.size(), i + 2);
            while (k < limit && !q.get(k).contains(file, s, len)) {
                k++;
            }
            if (k >= limit) {
                break;
            }
            i = k;
            last = k;
            j++;
        }
        if (j == count) {
            pump(Long.MAX_VALUE);
            return; // all planned already, in this order
        }
        dropUnstartedAfter(last);
        expectInto(file, ranges, j, count);
        pump(Long.MAX_VALUE);
    }

    /** Coalesces ranges [from, count) into extents at the end of the plan. */
    private void expectInto(IoFile file, long[] ranges, int from, int count) {
        int j = from;
        Extent open = null;
        long openData = 0;
        long openGaps = 0;
        boolean ringExtents = false;
        for (; j < count; j++) {
            long s = ranges[2 * j];
            long e = ranges[2 * j + 1];
            if (e <= s) {
                continue;
            }
            if (open != null && s >= open.start && s <= open.end) {
                // overlapping or adjacent: one extent
                if (e > open.end) {
                    openData += e - open.end;
                    open = new Extent(file, open.start, e); // shares the reference of the one it replaces
                    q.set(q.size() - 1, open);
                }
                continue;
            }
            long gap = s - (open == null ? 0 : open.end);
            if (open != null && s > open.end && gap <= COALESCE_GAP
                    && (openGaps + gap) * COALESCE_WASTE <= openData + (e - s)) {
                openData += e - s;
                openGaps += gap;
                open = new Extent(file, open.start, e);
                q.set(q.size() - 1, open);
                continue;
            }
            openData = e - s;
            openGaps = 0;
            file.retain();
            open = new Extent(file, s, e);
            ringExtents |= !open.mapped;
            q.add(open);
        }
        if (ringExtents) {
            ensureRing(0);
        }
    }

    /** Whether extents of {@code file} are planned and not consumed yet. */
    public boolean hasPlanned(IoFile file) {
        for (int k = qh; k < q.size(); k++) {
            if (q.get(k).file == file) {
                return true;
            }
        }
        return false;
    }

    /** Drops the extents after index {@code keep} that are not started yet (a new plan replaces them). */
    private void dropUnstartedAfter(int keep) {
        for (int k = q.size() - 1; k > keep && k >= qh && q.get(k).streamStart < 0; k--) {
            Extent e = q.remove(k);
            e.removed = true;
            e.file.release();
        }
        pumpIdx = Math.min(pumpIdx, q.size());
    }

    /**
     * Appends ranges of {@code file} to the plan after everything planned (read ahead of the next
     * file: nothing planned is replaced).
     */
    public void append(IoFile file, long[] ranges, int count) {
        checkOpen();
        checkThread();
        expectInto(file, ranges, 0, count);
        pump(Long.MAX_VALUE);
    }

    /** A read into memory of the caller's (a footer read ahead), outside the ring. */
    public static final class SideRead {
        final IoFile file;
        final long offset;
        final MemorySegment dst;
        boolean submitted;
        boolean done;
        long result;
        long traceStart;

        SideRead(IoFile file, long offset, MemorySegment dst) {
            this.file = file;
            this.offset = offset;
            this.dst = dst;
        }

        public boolean done() {
            return done;
        }

        /** Bytes read, or {@code -errno}. */
        public long result() {
            return result;
        }
    }

    /** Side reads not yet submitted, and those in the kernel by slot. */
    private final java.util.ArrayDeque<SideRead> sideWaiting = new java.util.ArrayDeque<>();
    private final SideRead[] sideInFlight;

    /**
     * Starts reading {@code dst.byteSize()} bytes at {@code offset} of {@code file} through the page
     * cache into {@code dst}, as soon as the queue has room (before ring reads). The session holds a
     * reference to the file until it is done.
     */
    public SideRead sideRead(IoFile file, long offset, MemorySegment dst) {
        checkOpen();
        checkThread();
        file.retain();
        SideRead r = new SideRead(file, offset, dst);
        sideWaiting.add(r);
        pump(Long.MAX_VALUE);
        return r;
    }

    /** Waits for a side read. */
    public void await(SideRead r) throws IOException {
        checkThread();
        if (r.done) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            while (!r.done) {
                pump(Long.MAX_VALUE);
                if (inKernel == 0) {
                    throw new IllegalStateException("a side read of " + r.file.name() + " is neither done nor in flight");
                }
                reap();
            }
        } finally {
            long t1 = System.nanoTime();
            waitNanos += t1 - t0;
            Trace.complete(EngineEvents.READ, t0, t1, r.file.name(), bufferedEngine(), r.offset, r.dst.byteSize(), 0, 0);
        }
    }

    private void submitSide() {
        while (!sideWaiting.isEmpty() && inKernel < depth) {
            int slot = 0;
            while (sideInFlight[slot] != null) {
                slot++;
            }
            SideRead r = sideWaiting.poll();
            ReadQueue rq = queueFor(r.file);
            sideInFlight[slot] = r;
            r.submitted = true;
            r.traceStart = Trace.start();
            rq.submit(SIDE_TAG | slot, r.file.bufferedFd(), r.offset, r.dst);
            inKernel++;
            countRead(r.file);
        }
    }

    private void completeSide(int slot, long r) {
        SideRead side = sideInFlight[slot];
        sideInFlight[slot] = null;
        side.result = r;
        side.done = true;
        if (side.traceStart != 0) {
            Trace.complete(EngineEvents.PREFETCH, side.traceStart, System.nanoTime(), side.file.name(), bufferedEngine(), side.offset,
                    side.dst.byteSize(), 0, 0);
        }
        if (r > 0) {
            storageBytes += r;
            side.file.storageBytes.addAndGet(r);
        }
        side.file.release();
    }

    /** What the session asks for more of the plan when it has started reading everything planned. */
    public interface Continuation {
        /** Called when every planned extent has been started; may {@link #append} more. */
        void planRunsOut(IoSession session);
    }

    private Continuation continuation;

    /** Sets (or, with null, clears) the continuation: read ahead into what comes after the plan. */
    public void continueWith(Continuation c) {
        continuation = c;
    }

    // ---- consuming ----

    MemorySegment bytes(IoFile file, long offset, long length, boolean atMost) throws IOException {
        checkOpen();
        if (queueThread != Thread.currentThread() && queue != null) {
            checkThread();
        }
        if (length <= 0) {
            // not MemorySegment.NULL: native code handed a buffer at address 0 fails (lz4-java: "Out of memory")
            return EMPTY;
        }
        Extent e = locate(file, offset, atMost ? 1 : length);
        if (e == null) {
            e = planMiss(file, offset, length);
        }
        skipTo(e);
        long len = atMost ? Math.min(length, e.end - offset) : length;
        if (e.mapped) {
            return mappedBytes(e, offset, len);
        }
        ensureRing(len);
        if (len > cap / 2) {
            return oneOff(e, offset, len);
        }
        while (e.streamStart < 0) {
            // the reads of what was skipped still hold the ring: let them finish
            pump(Long.MAX_VALUE);
            if (e.streamStart >= 0) {
                break;
            }
            if (inKernel == 0) {
                throw new IllegalStateException("the read of " + file.name() + " at " + offset + " could not be started");
            }
            reapTimed();
        }
        long needEnd = e.streamStart + (offset + len - e.aStart);
        if (needEnd - lowWater > cap) {
            return oneOff(e, offset, len);
        }
        if (needEnd > completeUpTo()) {
            waitFor(e, needEnd, offset, len);
        }
        checkRead(e, offset, len);
        return view(e.streamStart + (offset - e.aStart), len);
    }

    private Extent locate(IoFile file, long offset, long need) {
        for (int k = qh; k < q.size(); k++) {
            Extent e = q.get(k);
            if (e.contains(file, offset, need)) {
                return e;
            }
        }
        return null;
    }

    /** A range nobody planned: planned now, right after what was started (which is skipped). */
    private Extent planMiss(IoFile file, long offset, long length) {
        int at = q.size();
        while (at > qh && q.get(at - 1).streamStart < 0) {
            at--;
        }
        file.retain();
        Extent e = new Extent(file, offset, offset + length);
        q.add(at, e);
        pumpIdx = Math.min(pumpIdx, at);
        return e;
    }

    /** Makes {@code e} the consumer's extent: those before it are done with. */
    private void skipTo(Extent e) {
        while (q.get(qh) != e) {
            Extent gone = q.get(qh++);
            retire(gone);
        }
        if (e.streamStart >= 0) {
            lowWater = Math.max(lowWater, e.streamStart);
        } else {
            lowWater = Math.max(lowWater, submitHead);
        }
        if (qh > 64 && qh > q.size() / 2) {
            q.subList(0, qh).clear();
            pumpIdx = Math.max(0, pumpIdx - qh);
            qh = 0;
        }
    }

    private void retire(Extent gone) {
        gone.removed = true;
        if (gone.inFlight == 0) {
            gone.file.release();
        }
    }

    void release(IoFile file, long offset) {
        if (qh >= q.size()) {
            return;
        }
        Extent e = q.get(qh);
        if (e.file == file && !e.mapped && e.streamStart >= 0 && offset >= e.aStart) {
            long s = e.streamStart + (Math.min(offset, e.aEnd) - e.aStart);
            if (s > lowWater) {
                lowWater = s;
                if (readAhead && pCount < depth) {
                    pump(Long.MAX_VALUE);
                }
            }
        }
    }

    /** The stream offset below which every submitted read is complete. */
    private long completeUpTo() {
        return pCount == 0 ? submitHead : pieces[pHead].streamStart;
    }

    /** Ring positions below this may be reused: nothing the consumer holds, nothing being written. */
    private long floor() {
        return pCount == 0 ? lowWater : Math.min(lowWater, pieces[pHead].streamStart);
    }

    /** Waits until the stream is read up to {@code needEnd} (the consumer's range {@code [offset, offset + len)} of e's file). */
    private void waitFor(Extent e, long needEnd, long offset, long len) throws IOException {
        long t0 = System.nanoTime();
        try {
            while (completeUpTo() < needEnd) {
                pump(needEnd);
                if (inKernel == 0) {
                    if (completeUpTo() < needEnd) {
                        throw new IllegalStateException("no read in flight for " + e.file.name() + " although "
                                + (needEnd - completeUpTo()) + " bytes are awaited");
                    }
                    break;
                }
                reap();
                if (e.errno != 0 || e.shortAt >= 0) {
                    return; // checkRead reports it
                }
            }
        } finally {
            long t1 = System.nanoTime();
            long dt = t1 - t0;
            waitNanos += dt;
            e.file.waitNanos.addAndGet(dt);
            Trace.complete(EngineEvents.READ, t0, t1, e.file.name(), engineName(e.file), offset, len, 0, 0);
        }
    }

    /**
     * The engine a ring read of {@code file} goes through, for traces: io_uring when this session's
     * queue is a ring (else, where io_uring was refused or the session is not a worker's, io_uring's
     * reads go through I/O threads, as direct's do).
     */
    private String engineName(IoFile file) {
        IoEngine en = file.engine();
        if (queue != null && ReadQueues.confined(queue)) {
            return IoEngine.IO_URING.configName();
        }
        return (en == IoEngine.IO_URING ? IoEngine.DIRECT : en).configName();
    }

    /** The engine of a read through the page cache (footers): pread, through io_uring when the queue is a ring. */
    private String bufferedEngine() {
        return (queue != null && ReadQueues.confined(queue) ? IoEngine.IO_URING : IoEngine.PREAD).configName();
    }

    private void reapTimed() throws IOException {
        long t0 = System.nanoTime();
        try {
            reap();
        } finally {
            waitNanos += System.nanoTime() - t0;
        }
    }

    /** Waits for one read to complete and books it. */
    private void reap() throws IOException {
        long tag;
        try {
            tag = queue.await();
        } catch (InterruptedIOException ie) {
            throw new StorageException("interrupted while waiting for storage", ie);
        }
        long r = queue.result();
        inKernel--;
        if ((tag & SIDE_TAG) != 0) {
            completeSide((int) (tag & ~SIDE_TAG), r);
            return;
        }
        int slot = (int) tag;
        Piece p = pieces[slot];
        Extent e = p.extent;
        if (p.traceStart != 0) {
            Trace.complete(EngineEvents.PREFETCH, p.traceStart, System.nanoTime(), e.file.name(), engineName(e.file), p.fileOffset,
                    p.length, 0, 0);
        }
        if (r > 0) {
            storageBytes += r;
            e.file.storageBytes.addAndGet(r);
        }
        if (r == -Posix.EINVAL && e.file.kind() == IoFile.Kind.DIRECT && e.errno == 0) {
            // the file system wants another alignment than it reported: read through the page cache
            e.file.directRefused(Posix.EINVAL);
            submitRead(p, slot, e.file.readFd());
            return;
        }
        if (r < 0) {
            e.errno = (int) -r;
        } else if (r < p.length) {
            long reached = p.fileOffset + r;
            int a = Math.max(1, e.file.readAlign());
            if (reached < e.file.size()) {
                if (r > 0 && r % a == 0) {
                    // a short read before the end: read the rest
                    p.fileOffset += r;
                    p.ringPos += r;
                    p.length -= r;
                    submitRead(p, slot, e.file.readFd());
                    return;
                }
                // the file ends before the size it had at open: it was truncated
                e.shortAt = e.shortAt < 0 ? reached : Math.min(e.shortAt, reached);
            }
        }
        p.done = true;
        e.inFlight--;
        if (e.removed && e.inFlight == 0) {
            e.file.release();
        }
        while (pCount > 0 && pieces[pHead].done) {
            pieces[pHead].extent = null;
            pHead = pHead + 1 == depth ? 0 : pHead + 1;
            pCount--;
        }
    }

    private void checkRead(Extent e, long offset, long len) throws IOException {
        if (e.errno != 0) {
            throw new StorageException(e.file.name() + ": reading at offset " + offset + ": " + Posix.strerror(e.errno));
        }
        if (e.shortAt >= 0 && e.shortAt < offset + len) {
            throw new ParquetCorruptionException(e.file.name() + ": the file changed or was truncated while being read"
                    + " (it ends at offset " + e.shortAt + ", the footer read at open placed data up to "
                    + (offset + len) + ")");
        }
    }

    // ---- reading ahead ----

    /** Submits reads and read-ahead advice as far as the ring, the queue and the window allow. */
    private void pump(long needEnd) {
        if (closed) {
            return;
        }
        if (!sideWaiting.isEmpty()) {
            if (queue == null) {
                queueFor(sideWaiting.peek().file);
            }
            submitSide();
        }
        int k = Math.max(qh, pumpIdx);
        for (; k < q.size(); k++) {
            Extent e = q.get(k);
            if (e.submitted >= e.aEnd) {
                if (k == pumpIdx) {
                    pumpIdx++;
                }
                continue;
            }
            boolean more = e.mapped ? advise(e, needEnd) : submitPieces(e, needEnd);
            if (!more) {
                break;
            }
        }
        if (pumpIdx < qh) {
            pumpIdx = qh;
        }
        if (k >= q.size() && continuation != null && readAhead && !inContinuation) {
            inContinuation = true;
            try {
                continuation.planRunsOut(this);
            } finally {
                inContinuation = false;
            }
        }
    }

    private boolean inContinuation;

    /** The first extent not read (or advised) to its end. */
    private int pumpIdx;

    /** Submits e's reads; false when something (depth, ring, window) stopped it. */
    private boolean submitPieces(Extent e, long needEnd) {
        if (ring == null) {
            return false;
        }
        if (e.streamStart < 0) {
            long a = Math.max(1, e.file.readAlign());
            long s = (submitHead + a - 1) / a * a;
            s = (s + 4095) & -4096L;
            e.streamStart = s;
            submitHead = s;
        }
        while (e.submitted < e.aEnd) {
            if (pCount == depth || inKernel >= depth) {
                return false;
            }
            long s = submitHead;
            if (!readAhead && s >= needEnd) {
                return false;
            }
            long pos = s & mask;
            long len = Math.min(Math.min(transfer, e.aEnd - e.submitted), cap - pos);
            if (s + len - floor() > cap) {
                return false;
            }
            queueFor(e.file);
            int slot = pHead + pCount;
            if (slot >= depth) {
                slot -= depth;
            }
            Piece p = pieces[slot];
            p.extent = e;
            p.fileOffset = e.submitted;
            p.length = len;
            p.streamStart = s;
            p.ringPos = pos;
            p.done = false;
            pCount++;
            e.inFlight++;
            e.submitted += len;
            submitHead = s + len;
            countRead(e.file);
            submitRead(p, slot, e.file.readFd());
        }
        return true;
    }

    private void submitRead(Piece p, int slot, int fd) {
        p.traceStart = Trace.start();
        queue.submit(slot, fd, p.fileOffset, ring.asSlice(p.ringPos, p.length));
        inKernel++;
    }

    /** Advises the next part of a mapped extent inside the read-ahead window; false when the window is full. */
    private boolean advise(Extent e, long needEnd) {
        MemorySegment m = e.file.mapping();
        if (m == null) {
            e.submitted = e.aEnd;
            return true;
        }
        if (e.streamStart < 0) {
            e.streamStart = submitHead;
        }
        long window = readAhead ? (long) depth * transfer : 0;
        while (e.submitted < e.aEnd) {
            long s = e.streamStart + (e.submitted - e.aStart);
            if (s - lowWater >= window && s >= needEnd) {
                return false;
            }
            long len = Math.min(transfer, e.aEnd - e.submitted);
            long cached = e.file.cachedBytesQuick(e.submitted, len, scratch());
            if (cached >= 0 && cached < len) {
                storageBytes += len - cached;
                e.file.storageBytes.addAndGet(len - cached);
            }
            if (cached < len) {
                long t0 = Trace.start();
                Posix.madviseQuiet(m.address() + e.submitted, len, Posix.MADV_WILLNEED);
                if (t0 != 0) {
                    Trace.complete(EngineEvents.PREFETCH, t0, System.nanoTime(), e.file.name(), IoEngine.MMAP.configName(),
                            e.submitted, len, 0, 0);
                }
            }
            readRequests++;
            e.file.reads.incrementAndGet();
            e.submitted += len;
            submitHead = Math.max(submitHead, s + len);
        }
        return true;
    }

    private static volatile boolean populateWorks = true;
    private Arena scratchArena;
    private MemorySegment cachestatScratch;

    private MemorySegment scratch() {
        if (cachestatScratch == null) {
            scratchArena = Arena.ofShared();
            cachestatScratch = Posix.newCachestatScratch(scratchArena);
        }
        return cachestatScratch;
    }

    private MemorySegment mappedBytes(Extent e, long offset, long len) throws IOException {
        MemorySegment m = e.file.mapping();
        if (m == null) {
            throw new IllegalStateException(e.file.name() + " is not mapped");
        }
        if (offset + len > m.byteSize()) {
            throw new ParquetCorruptionException(e.file.name() + ": the range at " + offset + " of " + len
                    + " bytes is beyond the mapping of " + m.byteSize());
        }
        lowWater = Math.max(lowWater, e.streamStart < 0 ? submitHead : e.streamStart + (offset - e.aStart));
        pump(Long.MAX_VALUE);
        if (offset + len > e.populated && populateWorks) {
            long from = Math.max(offset, e.populated);
            long to = Math.min(e.end, Math.max(offset + len, from + transfer));
            to = Math.max(to, offset + len);
            long t0 = System.nanoTime();
            int r = Posix.madviseQuiet(m.address() + from, to - from, Posix.MADV_POPULATE_READ);
            long t1 = System.nanoTime();
            long dt = t1 - t0;
            waitNanos += dt;
            e.file.waitNanos.addAndGet(dt);
            Trace.complete(EngineEvents.READ, t0, t1, e.file.name(), IoEngine.MMAP.configName(), from, to - from, 0, 0);
            if (r != 0 && !probePopulate()) {
                // a kernel before 5.14 (EINVAL); otherwise the range is gone (the file shrank), and the
                // decoder's own access reports it as the JVM turns the fault into an error
                populateWorks = false;
            }
            e.populated = to;
        }
        return m.asSlice(offset, len);
    }

    private static boolean probePopulate() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(8192, 4096);
            return Posix.madviseQuiet(s.address(), 4096, Posix.MADV_POPULATE_READ) == 0;
        }
    }

    // ---- memory ----

    private void ensureRing(long need) {
        if (ring != null && (cap >= ringLimit || pCount > 0 || submittedExtentsLive())) {
            return;
        }
        long want = longLived ? ringLimit : Math.min(ringLimit, Math.max(MIN_RING, plannedRingBytes() + need));
        want = Long.highestOneBit(Math.max(want, MIN_RING) - 1) << 1;
        if (ring != null && cap >= want) {
            return;
        }
        Arena next = Arena.ofShared();
        MemorySegment bigger;
        try {
            bigger = longLived && HUGE_RING ? NativeMemory.allocateHugePages(next, want) : NativeMemory.allocate(next, want, 4096);
        } catch (RuntimeException e) {
            next.close();
            throw e;
        }
        if (ringArena != null) {
            ringArena.close();
        }
        ringArena = next;
        ring = bigger;
        cap = want;
        mask = want - 1;
    }

    /** The ring's address and size (0, 0 before the first read), for tests. */
    long[] ringForTest() {
        return ring == null ? new long[] {0, 0} : new long[] {ring.address(), cap};
    }

    private boolean submittedExtentsLive() {
        for (int k = qh; k < q.size(); k++) {
            if (q.get(k).streamStart >= 0 && !q.get(k).mapped) {
                return true;
            }
        }
        return false;
    }

    private long plannedRingBytes() {
        long n = 0;
        for (int k = qh; k < q.size(); k++) {
            Extent e = q.get(k);
            if (!e.mapped) {
                n += e.aEnd - e.aStart;
            }
        }
        return n;
    }

    private MemorySegment view(long s, long len) {
        long p = s & mask;
        if (p + len <= cap) {
            return ring.asSlice(p, len);
        }
        MemorySegment st = straddle.ensure(len, 0);
        long first = cap - p;
        MemorySegment.copy(ring, p, st, 0, first);
        MemorySegment.copy(ring, 0, st, first, len - first);
        return st.asSlice(0, len);
    }

    /**
     * A range larger than the ring: every read in flight is waited for, the range is read into a
     * buffer of its own, and the ring starts again after it.
     */
    private MemorySegment oneOff(Extent e, long offset, long len) throws IOException {
        drain();
        long t0 = System.nanoTime();
        int a = Math.max(1, e.file.readAlign());
        long from = offset - offset % a;
        long to = offset + len;
        to = to + (a - to % a) % a;
        if (large == null || large.byteSize() < to - from) {
            Arena next = Arena.ofShared();
            MemorySegment m;
            try {
                m = NativeMemory.allocate(next, to - from, 4096);
            } catch (RuntimeException ex) {
                next.close();
                throw ex;
            }
            if (largeArena != null) {
                largeArena.close();
            }
            largeArena = next;
            large = m;
        }
        // the ring and everything planned restart after this range
        for (int k = qh; k < q.size(); k++) {
            Extent x = q.get(k);
            if (!x.mapped) {
                x.streamStart = -1;
                x.submitted = x.aStart;
            }
        }
        lowWater = submitHead;
        pumpIdx = qh;
        // the extent goes on after this range (its bytes before it are done), or is done
        int at = q.indexOf(e);
        if (e.end > offset + len) {
            q.set(at, new Extent(e.file, offset + len, e.end)); // shares e's reference
        } else {
            q.remove(at);
            retire(e);
        }
        ReadQueue rq = queueFor(e.file);
        int fd = e.file.readFd();
        int slots = rq.depth();
        long[] slotOffset = new long[slots];
        long[] slotLength = new long[slots];
        long[] slotTrace = new long[slots];
        String engine = engineName(e.file);
        boolean[] busy = new boolean[slots];
        int inFlightHere = 0;
        long next = from;
        long end = Math.min(to, e.file.size() + (a - e.file.size() % a) % a);
        long endOfData = Math.min(to, e.file.size());
        long truncatedAt = -1;
        int errno = 0;
        while (next < end || inFlightHere > 0) {
            while (next < end && inFlightHere < slots) {
                long n = Math.min(transfer, end - next);
                int slot = 0;
                while (busy[slot]) {
                    slot++;
                }
                busy[slot] = true;
                slotOffset[slot] = next;
                slotLength[slot] = n;
                slotTrace[slot] = Trace.start();
                rq.submit(SIDE_TAG | slot, fd, next, large.asSlice(next - from, n));
                countRead(e.file);
                next += n;
                inFlightHere++;
            }
            long tag;
            try {
                tag = rq.await();
            } catch (InterruptedIOException ie) {
                drainOneOff(rq, inFlightHere);
                throw new StorageException("interrupted while waiting for storage", ie);
            }
            long r = rq.result();
            int slot = (int) (tag & ~SIDE_TAG);
            inFlightHere--;
            if (slotTrace[slot] != 0) {
                Trace.complete(EngineEvents.PREFETCH, slotTrace[slot], System.nanoTime(), e.file.name(), engine, slotOffset[slot],
                        slotLength[slot], 0, 0);
            }
            if (r < 0) {
                errno = (int) -r;
                busy[slot] = false;
                continue;
            }
            storageBytes += r;
            e.file.storageBytes.addAndGet(r);
            long reached = slotOffset[slot] + r;
            if (r < slotLength[slot] && reached < endOfData) {
                if (r > 0 && r % a == 0) {
                    slotOffset[slot] += r;
                    slotLength[slot] -= r;
                    slotTrace[slot] = Trace.start();
                    rq.submit(SIDE_TAG | slot, fd, slotOffset[slot], large.asSlice(slotOffset[slot] - from, slotLength[slot]));
                    inFlightHere++;
                    continue;
                }
                truncatedAt = truncatedAt < 0 ? reached : Math.min(truncatedAt, reached);
            }
            busy[slot] = false;
        }
        long t1 = System.nanoTime();
        long dt = t1 - t0;
        waitNanos += dt;
        e.file.waitNanos.addAndGet(dt);
        Trace.complete(EngineEvents.READ, t0, t1, e.file.name(), engine, offset, len, 0, 0);
        if (errno != 0) {
            throw new StorageException(e.file.name() + ": reading " + len + " bytes at offset " + offset + ": "
                    + Posix.strerror(errno));
        }
        if (truncatedAt >= 0 && truncatedAt < offset + len) {
            throw new ParquetCorruptionException(e.file.name() + ": the file changed or was truncated while being read"
                    + " (it ends at offset " + truncatedAt + ", the footer read at open placed data up to "
                    + (offset + len) + ")");
        }
        return large.asSlice(offset - from, len);
    }

    private static void drainOneOff(ReadQueue rq, int n) {
        for (int i = 0; i < n; i++) {
            try {
                rq.await();
            } catch (InterruptedIOException again) {
                Thread.interrupted();
                i--;
            }
        }
        Thread.currentThread().interrupt();
    }

    /** Waits for every ring read in flight. */
    private void drain() throws IOException {
        while (inKernel > 0) {
            reap();
        }
    }

    /** Books one read submitted through {@link #queue} (a queue read: not mmap advice). */
    private void countRead(IoFile file) {
        readRequests++;
        file.reads.incrementAndGet();
        if (ReadQueues.confined(queue)) {
            uringReads++;
            file.uringReads.incrementAndGet();
        }
    }

    /**
     * Whether reads of files whose engine is not set yet (the footers of files read ahead) go through
     * io_uring when no queue is open: what the worker's files will mostly be read with
     * ({@code io_uring}, or {@code auto}, which picks it for files not in the page cache). Without it
     * those footer reads opened a pread-thread queue that the files' own reads then had to use
     * (a queue is switched only with nothing in flight).
     */
    public void preferUring(boolean prefer) {
        preferUring = prefer;
    }

    private boolean preferUring;

    private ReadQueue queueFor(IoFile file) {
        // io_uring only in a worker's own session: its queue is confined to one thread, and a
        // session for one call, or a row-group reader's, may be handed on or closed elsewhere.
        // A file whose engine is not set yet (its footer read ahead) takes the queue that is open,
        // or the one the session's files will use: it never makes the queue switch.
        boolean uring = longLived && (file.engineChosen() ? file.uring() : queue != null ? queueUring : preferUring);
        if (queue != null && queueUring != uring && queue.pending() == 0) {
            // one mechanism at a time; switched when nothing is in flight
            queue.close();
            queue = null;
        }
        if (queue == null) {
            queue = ReadQueues.open(depth, uring);
            queueUring = uring;
            queueThread = Thread.currentThread();
        }
        return queue;
    }

    /**
     * Makes sure the queue may be used on this thread: an io_uring queue opened on another thread
     * with nothing in flight is left to that thread to close (a new one is opened here when needed);
     * with reads in flight it cannot be used here at all.
     *
     * @throws IllegalStateException if io_uring reads of this session are in flight on another thread
     */
    private void checkThread() {
        ReadQueues.closeOrphansOfThisThread();
        if (queue == null || queueThread == Thread.currentThread() || !ReadQueues.confined(queue)) {
            return;
        }
        if (inKernel > 0) {
            throw new IllegalStateException("reads through io_uring are in flight on thread '" + queueThread.getName()
                    + "': a reader that uses io_uring must stay on one thread while its reads are in flight");
        }
        ReadQueue old = queue;
        queue = null;
        ReadQueues.orphan(queueThread, old::close);
    }

    // ---- accounting and lifetime ----

    /** What this session read so far. */
    public IoStats stats() {
        return new IoStats(storageBytes, readRequests, waitNanos, uringReads);
    }

    /** The mechanism reads go through ("pread-threads", "io_uring"), or "none" before the first read. */
    public String queueKind() {
        return queue == null ? "none" : queue.kind();
    }

    /** Forgets the plan (waiting for reads in flight): the next read starts afresh. */
    public void reset() {
        checkThread();
        for (SideRead r : sideWaiting) {
            r.done = true;
            r.result = -Posix.EINTR;
            r.file.release();
        }
        sideWaiting.clear();
        continuation = null;
        try {
            drain();
        } catch (IOException e) {
            // the reads are back; their errors concern a plan that is gone
        }
        for (int k = qh; k < q.size(); k++) {
            retire(q.get(k));
        }
        q.clear();
        qh = 0;
        pumpIdx = 0;
        lowWater = submitHead;
        lastOwner = null;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the I/O session is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (queue != null && queueThread != Thread.currentThread() && ReadQueues.confined(queue) && inKernel > 0) {
            orphanAll();
            return;
        }
        reset();
        closed = true;
        if (queue != null) {
            queue.close();
            queue = null;
        }
        if (ringArena != null) {
            ringArena.close();
            ringArena = null;
            ring = null;
        }
        if (largeArena != null) {
            largeArena.close();
            largeArena = null;
            large = null;
        }
        straddle.close();
        if (scratchArena != null) {
            scratchArena.close();
            scratchArena = null;
            cachestatScratch = null;
        }
    }

    private Object lastOwner;
    private int lastIndex = -2;
    private int lastStride;

    /**
     * The stride of a caller going through a file's row groups at a fixed step: 1 when the call
     * before this one on the session read {@code index - 1} of {@code owner}; k when the two before
     * read {@code index - 2k} and {@code index - k} (a thread's share of a file read by k threads);
     * else 0. Records this call.
     */
    public int follows(Object owner, int index) {
        int step = owner == lastOwner ? index - lastIndex : 0;
        int stride = step == 1 || step > 1 && step == lastStride ? step : 0;
        lastStride = owner == lastOwner ? step : 0;
        lastOwner = owner;
        lastIndex = index;
        return stride;
    }

    // ---- sessions for one call ----

    private static final int POOLED = 4;
    private static final java.util.ArrayDeque<IoSession> IDLE = new java.util.ArrayDeque<>();

    /** Whether this session reads as these settings say. */
    public boolean matches(int depth, long transfer, boolean readAhead) {
        return this.depth == depth && this.transfer == transfer && this.readAhead == readAhead;
    }

    /**
     * A session for one read call (a reader without a worker's {@code ReadBuffers}): an idle one of
     * the same settings if there is one (its ring and queue already made), else a new one. Give it
     * back with {@link #giveBack}.
     */
    public static IoSession borrow(int depth, long transfer, boolean readAhead) {
        synchronized (IDLE) {
            for (var it = IDLE.iterator(); it.hasNext(); ) {
                IoSession s = it.next();
                if (s.matches(depth, transfer, readAhead)) {
                    it.remove();
                    return s;
                }
            }
        }
        return new IoSession(depth, transfer, readAhead, false);
    }

    /** Returns a borrowed session: its plan is dropped; it is kept for the next call, or closed. */
    public static void giveBack(IoSession s) {
        if (s.queue != null && ReadQueues.confined(s.queue) && s.queueThread != Thread.currentThread()) {
            // handed back on another thread (a reader closed from elsewhere): not reused
            s.close();
            return;
        }
        s.reset();
        if (s.closed) {
            return;
        }
        IoSession evicted = null;
        synchronized (IDLE) {
            IDLE.addFirst(s);
            if (IDLE.size() > POOLED) {
                evicted = IDLE.pollLast();
            }
        }
        if (evicted != null) {
            evicted.close();
        }
    }

    /**
     * Closing on another thread than the one whose io_uring queue has reads in flight: everything
     * those reads hold (the queue, the ring they write into, the files they read) is left to that
     * thread, which closes it when it next uses a read queue.
     */
    private void orphanAll() {
        closed = true;
        ReadQueue rq = queue;
        Arena ring0 = ringArena;
        List<IoFile> held = new ArrayList<>();
        java.util.Set<Extent> reading = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < pCount; i++) {
            Piece p = pieces[(pHead + i) % depth];
            if (!p.done && p.extent != null && reading.add(p.extent)) {
                held.add(p.extent.file); // the extent's one reference, released by the owner after the reads
            }
        }
        for (SideRead r : sideInFlight) {
            if (r != null) {
                held.add(r.file);
            }
        }
        for (int k = qh; k < q.size(); k++) {
            Extent e = q.get(k);
            e.removed = true;
            if (!reading.contains(e)) {
                e.file.release();
            }
        }
        q.clear();
        for (SideRead r : sideWaiting) {
            r.file.release();
        }
        sideWaiting.clear();
        queue = null;
        ringArena = null;
        ring = null;
        if (largeArena != null) {
            largeArena.close();
            largeArena = null;
        }
        straddle.close();
        if (scratchArena != null) {
            scratchArena.close();
            scratchArena = null;
        }
        ReadQueues.orphan(queueThread, () -> {
            rq.close();
            if (ring0 != null) {
                ring0.close();
            }
            held.forEach(IoFile::release);
        });
    }

    /** Extents planned and not consumed (for tests). */
    List<Extent> planned() {
        return List.copyOf(q.subList(qh, q.size()));
    }
}
