package io.inlay.engine.trace;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The session's events taken out of the threads' rings and not yet written: records copied as
 * they are (64 bytes each, {@link Ring}'s layout) into off-heap chunks of {@value #CHUNK_RECORDS}
 * records, their reference arguments and ring beside them on the heap. Taking an event out of a
 * ring into the stash is a copy of a few words; formatting it as JSON and writing it to the file,
 * which costs a few hundred nanoseconds and a share of a page-cache page per event, waits for
 * {@link TraceSession#close()} (after the run) unless the stash holds more than its budget.
 *
 * <p>Chunks are allocated as the stash grows, kept when it is written out, and freed with the
 * session's arena at close. Used under the session's lock only.
 */
final class Stash implements Ring.Sink {
    static final int CHUNK_RECORDS = 1 << 14;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    private final Arena arena;
    private final long budget;
    private final List<MemorySegment> chunks = new ArrayList<>();
    /** Per chunk: r0, r1 and the ring of each record, three slots a record. */
    private final List<Object[]> refs = new ArrayList<>();
    private long size;

    /**
     * @param arena where the chunks come from (the session's; closing it frees them)
     * @param budget the records held before the stash asks to be written out ({@link #full()})
     */
    Stash(Arena arena, long budget) {
        this.arena = arena;
        this.budget = budget;
    }

    /** Records held. */
    long size() {
        return size;
    }

    /** Whether the stash holds its budget or more: time to write it out. */
    boolean full() {
        return size >= budget;
    }

    @Override
    public void event(Ring ring, int kind, long start, long end, Object r0, Object r1, long n0, long n1, long n2, long n3) {
        int c = (int) (size / CHUNK_RECORDS);
        int i = (int) (size % CHUNK_RECORDS);
        if (c == chunks.size()) {
            chunks.add(arena.allocate((long) CHUNK_RECORDS * Ring.RECORD, Ring.RECORD));
            refs.add(new Object[3 * CHUNK_RECORDS]);
        }
        MemorySegment m = chunks.get(c);
        long o = (long) i * Ring.RECORD;
        m.set(LONG, o, start);
        m.set(LONG, o + 8, end);
        m.set(INT, o + 16, kind);
        m.set(LONG, o + 24, n0);
        m.set(LONG, o + 32, n1);
        m.set(LONG, o + 40, n2);
        m.set(LONG, o + 48, n3);
        Object[] r = refs.get(c);
        r[3 * i] = r0;
        r[3 * i + 1] = r1;
        r[3 * i + 2] = ring;
        size++;
    }

    /** Hands every record held to {@code sink}, oldest first, and empties the stash (its chunks are kept). */
    long drain(Ring.Sink sink) {
        long n = size;
        for (long k = 0; k < n; k++) {
            int c = (int) (k / CHUNK_RECORDS);
            int i = (int) (k % CHUNK_RECORDS);
            MemorySegment m = chunks.get(c);
            Object[] r = refs.get(c);
            long o = (long) i * Ring.RECORD;
            sink.event((Ring) r[3 * i + 2], m.get(INT, o + 16), m.get(LONG, o), m.get(LONG, o + 8), r[3 * i], r[3 * i + 1],
                    m.get(LONG, o + 24), m.get(LONG, o + 32), m.get(LONG, o + 40), m.get(LONG, o + 48));
            r[3 * i] = null;
            r[3 * i + 1] = null;
            r[3 * i + 2] = null;
        }
        size = 0;
        return n;
    }
}
