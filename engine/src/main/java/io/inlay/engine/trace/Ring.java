package io.inlay.engine.trace;

import io.inlay.engine.internal.memory.NativeMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One thread's events, waiting to be written: a single-producer, single-consumer ring of
 * fixed-size records in off-heap memory, allocated once when the thread records its first event
 * of a session. The owning thread alone writes records ({@link #put}); whoever drains (the
 * session's writer thread, the thread calling {@link TraceSession#flush()}, or the owner itself
 * when the ring is full) reads them under the session's lock. Nothing is allocated per event.
 *
 * <pre>
 * record (64 bytes)
 *  0        8        16    20    24       32       40       48       56       64
 *  +--------+--------+-----+-----+--------+--------+--------+--------+--------+
 *  | start  | end    |kind | -   | n0     | n1     | n2     | n3     | -      |
 *  +--------+--------+-----+-----+--------+--------+--------+--------+--------+
 *  start, end: System.nanoTime; kind: TraceKind id; n0..n3: numeric arguments
 *  the two reference arguments sit in refs[2 * slot], refs[2 * slot + 1] (heap, preallocated);
 *  in the stash, bytes 56-64 hold their numbers instead ({@link Symbols})
 * </pre>
 *
 * The memory comes from an automatic arena: a thread still recording into a ring while its
 * session closes writes into memory that stays valid until the ring is unreachable. It is not
 * zero-filled ({@link NativeMemory}): every record's fields are written before they are read, and
 * {@code Arena.allocate}'s zeroing is a Java loop in JDK 25 that a JIT busy with the run's own code
 * left interpreted, some 5 ms per MiB on the 2-core VM (4 MiB per recording thread, at its first
 * event); the kernel now gives the pages as the ring first reaches them.
 */
final class Ring {
    static final int RECORD = 64;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(Ring.class, "head", long.class);
            TAIL = l.findVarHandle(Ring.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final TraceSession session;
    final Thread thread;
    final long tid;
    final String threadName;
    private final MemorySegment records;
    private final Object[] refs;
    private final int capacity;
    private final long mask;
    private final long wakeAt;
    /** Records written: the owner's, published with release semantics. */
    private long head;
    /** Records drained: the drainer's, published with release semantics. */
    private long tail;

    Ring(TraceSession session, Thread thread, int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity " + capacity + " is not a power of two");
        }
        this.session = session;
        this.thread = thread;
        this.tid = thread.threadId();
        this.threadName = thread.getName();
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.wakeAt = capacity - capacity / 4;
        this.records = NativeMemory.allocate(Arena.ofAuto(), (long) capacity * RECORD, RECORD);
        this.refs = new Object[2 * capacity];
    }

    /** Owner only. Returns false when the ring is full (the caller drains it and tries again). */
    boolean put(int kind, long start, long end, Object r0, Object r1, long n0, long n1, long n2, long n3) {
        long h = head;
        long t = (long) TAIL.getAcquire(this);
        if (h - t >= capacity) {
            return false;
        }
        long slot = h & mask;
        long o = slot * RECORD;
        records.set(LONG, o, start);
        records.set(LONG, o + 8, end);
        records.set(INT, o + 16, kind);
        records.set(LONG, o + 24, n0);
        records.set(LONG, o + 32, n1);
        records.set(LONG, o + 40, n2);
        records.set(LONG, o + 48, n3);
        int r = (int) slot << 1;
        refs[r] = r0;
        refs[r + 1] = r1;
        HEAD.setRelease(this, h + 1);
        if (h + 1 - t == wakeAt) {
            session.wake();
        }
        return true;
    }

    /** Records waiting. Any thread. */
    long pending() {
        return (long) HEAD.getAcquire(this) - (long) TAIL.getAcquire(this);
    }

    /** What a drainer sees of one record: the recording thread's id and name, then the record. */
    interface Sink {
        void event(long tid, String thread, int kind, long start, long end, Object r0, Object r1, long n0, long n1, long n2,
                long n3);
    }

    /** Moves every record written so far into {@code stash} in bulk, oldest first, and frees their slots. Drainer only. */
    long drainTo(Stash stash) {
        long h = (long) HEAD.getAcquire(this);
        long t = tail;
        long n = h - t;
        while (t < h) {
            long slot = t & mask;
            long k = Math.min(h - t, capacity - slot);
            stash.take(this, records, refs, slot, k);
            java.util.Arrays.fill(refs, (int) (2 * slot), (int) (2 * (slot + k)), null);
            t += k;
        }
        TAIL.setRelease(this, t);
        return n;
    }

    /** Hands every record written so far to {@code sink}, oldest first, and frees their slots. Drainer only. */
    long drain(Sink sink) {
        long h = (long) HEAD.getAcquire(this);
        long t = tail;
        long n = h - t;
        for (; t < h; t++) {
            long slot = t & mask;
            long o = slot * RECORD;
            int r = (int) slot << 1;
            sink.event(tid, threadName, records.get(INT, o + 16), records.get(LONG, o), records.get(LONG, o + 8), refs[r], refs[r + 1],
                    records.get(LONG, o + 24), records.get(LONG, o + 32), records.get(LONG, o + 40), records.get(LONG, o + 48));
            refs[r] = null;
            refs[r + 1] = null;
        }
        TAIL.setRelease(this, t);
        return n;
    }
}
