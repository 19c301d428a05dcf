package io.inlay.engine.trace;

import io.inlay.engine.internal.memory.NativeMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The session's events taken out of the threads' rings and not yet written: records copied as
 * they are (64 bytes each, {@link Ring}'s layout) into off-heap chunks of {@value #CHUNK_RECORDS}
 * records, their two reference arguments numbered by the session's {@link Symbols} and kept as
 * numbers in the record's spare bytes (offsets 56 and 60), so that the stash holds no reference to
 * any event's objects. Taking a ring's events into the stash is a bulk memory copy of their bytes
 * and, per event, the two numbers (a few recent arguments matched by identity, others a hash lookup);
 * formatting it as JSON and writing it to the file, which costs a few hundred nanoseconds and a
 * share of a page-cache page per event, waits for {@link TraceSession#close()} (after the run)
 * unless the stash holds more than its budget.
 *
 * <p>Chunks are allocated as the stash grows, kept when it is written out, and freed with the
 * session's arena at close; their memory is not zero-filled ({@link NativeMemory}: a chunk's records
 * are copied in before they are read), since {@code Arena.allocate}'s zeroing, a Java loop in JDK 25
 * that stays interpreted while the JIT is busy with the run, cost the thread at an epoch's end some
 * 5 ms per chunk. Used by one thread at a time: the filling stash under the session's lock, a
 * full one being written out under the file's (see {@link TraceSession}).
 */
final class Stash {
    static final int CHUNK_RECORDS = 1 << 14;
    static final long CHUNK_BYTES = (long) CHUNK_RECORDS * Ring.RECORD;
    /** Chunks are page-aligned, so that the {@link Spool} writes them with {@code O_DIRECT} as they are. */
    static final long CHUNK_ALIGN = io.inlay.engine.internal.os.DirectFiles.MIN_ALIGN;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    /** Where a stashed record keeps its reference arguments' numbers (the ring's record leaves these bytes unused). */
    static final long REF0 = 56;
    static final long REF1 = 60;

    private final Arena arena;
    private final long budget;
    private final List<MemorySegment> chunks = new ArrayList<>();
    /** This stash's numbering, begun anew at each write-out, so that names of files long done are not kept. */
    private Symbols symbols = new Symbols();
    /** Runs of records from one ring: where each starts in the stash, and its ring. */
    private long[] runStart = new long[16];
    private Ring[] runRing = new Ring[16];
    private int runs;
    private long size;

    /**
     * @param arena where the chunks come from (the session's; closing it frees them)
     * @param budget the records held before the stash asks to be written out ({@link #full()})
     */
    Stash(Arena arena, long budget) {
        this.arena = arena;
        this.budget = budget;
    }

    /** Distinct reference arguments numbered so far (for tests). */
    int symbols() {
        return symbols.size();
    }

    /** Records held. */
    long size() {
        return size;
    }

    /**
     * Whether the stash holds {@link TraceSession#OVERDRAFT} times its budget or more: the writer
     * has not swapped it out in time, and nothing more goes in until it does.
     */
    boolean overdrawn() {
        return size >= TraceSession.OVERDRAFT * budget;
    }

    /** Whether the stash holds its budget or more: time to write it out. */
    boolean full() {
        return size >= budget;
    }

    /**
     * Copies {@code n} records of {@code ring}, from its slot {@code slot} on (not wrapping): the
     * records' bytes in bulk with {@code MemorySegment.copy}, then each one's reference arguments
     * (in {@code ringRefs}, two slots a record) as their numbers.
     */
    void take(Ring ring, MemorySegment records, Object[] ringRefs, long slot, long n) {
        if (n <= 0) {
            return;
        }
        if (runs == 0 || runRing[runs - 1] != ring) {
            if (runs == runStart.length) {
                runStart = Arrays.copyOf(runStart, 2 * runs);
                runRing = Arrays.copyOf(runRing, 2 * runs);
            }
            runStart[runs] = size;
            runRing[runs] = ring;
            runs++;
        }
        while (n > 0) {
            int c = (int) (size / CHUNK_RECORDS);
            int i = (int) (size % CHUNK_RECORDS);
            if (c == chunks.size()) {
                chunks.add(NativeMemory.allocate(arena, CHUNK_BYTES, CHUNK_ALIGN));
            }
            int k = (int) Math.min(n, CHUNK_RECORDS - i);
            MemorySegment chunk = chunks.get(c);
            MemorySegment.copy(records, slot * Ring.RECORD, chunk, (long) i * Ring.RECORD, (long) k * Ring.RECORD);
            int r = (int) (2 * slot);
            for (long o = (long) i * Ring.RECORD, end = o + (long) k * Ring.RECORD; o < end; o += Ring.RECORD, r += 2) {
                chunk.set(INT, o + REF0, symbols.id(ringRefs[r], 0));
                chunk.set(INT, o + REF1, symbols.id(ringRefs[r + 1], 1));
            }
            size += k;
            slot += k;
            n -= k;
        }
    }

    /** Hands every record held to {@code sink}, oldest first, and empties the stash (its chunks are kept). */
    long drain(Ring.Sink sink) {
        long n = size;
        int run = 0;
        Ring ring = null;
        for (long k = 0; k < n; k++) {
            while (run < runs && runStart[run] <= k) {
                ring = runRing[run++];
            }
            int c = (int) (k / CHUNK_RECORDS);
            int i = (int) (k % CHUNK_RECORDS);
            MemorySegment m = chunks.get(c);
            long o = (long) i * Ring.RECORD;
            sink.event(ring.tid, ring.threadName, m.get(INT, o + 16), m.get(LONG, o), m.get(LONG, o + 8), symbols.get(m.get(INT, o + REF0)),
                    symbols.get(m.get(INT, o + REF1)), m.get(LONG, o + 24), m.get(LONG, o + 32), m.get(LONG, o + 40),
                    m.get(LONG, o + 48));
        }
        clear();
        return n;
    }

    /** Empties the stash (its chunks are kept; its numbering begins anew): after {@link #drain} or the spool's write. */
    void clear() {
        Arrays.fill(runRing, 0, runs, null);
        runs = 0;
        if (size > 0) {
            symbols = new Symbols();
        }
        size = 0;
    }

    // what the spool writes (under the file's lock, as drain)

    /** Chunk {@code i} (records {@code i * CHUNK_RECORDS} on), for the first {@code ceil(size / CHUNK_RECORDS)}. */
    MemorySegment chunk(int i) {
        return chunks.get(i);
    }

    /** Runs of records from one ring. */
    int runs() {
        return runs;
    }

    /** The index of run {@code i}'s first record. */
    long runStart(int i) {
        return runStart[i];
    }

    /** The ring run {@code i}'s records came from. */
    Ring runRing(int i) {
        return runRing[i];
    }

    /** The numbering of the held records' reference arguments. */
    Symbols numbering() {
        return symbols;
    }
}
