package io.inlay.engine.trace;

import java.util.Arrays;
import java.util.HashMap;

/**
 * The distinct reference arguments of a session's stashed events (file names, paths, column and
 * codec names), each numbered once: the stash keeps an event's arguments as two numbers in its
 * record, not as references to the objects the recording thread passed. A run over thousands of
 * files makes new name objects for every file it opens (its path, its footer's column names);
 * held by the stash until written, half a million events' worth of them survived young
 * collections and were promoted, which multiplied the GC's time by five in a traced steady-state
 * read (TracedReadBenchmark, dlrm: 772 ms against 155 ms); numbered, the stash holds one object per
 * distinct name. Equal arguments share a number (the first object seen is kept and
 * rendered, which is the same text: arguments are immutable, see {@link Trace}).
 *
 * <p>Numbering is a hash lookup, done when events leave a ring for the stash (at an epoch's end,
 * or by the writer thread), not on the recording path; a few recent arguments are matched by
 * identity first, since a thread's consecutive events repeat them (a file's name in its open,
 * reads and prefetches; a column's in its decode and decompress). Each of an event's two
 * argument places has its own recent ones ({@code lane}): the first is a file's or column's name,
 * new from file to file, the second mostly one of a few engine or codec names, which a shared
 * list let the file's own names push out (a dlrm file's events carry its path, three column
 * names, an engine's and a codec's: with one list of four places, the engine's and codec's names
 * were looked up again in every file; {@code Symbols.id} was 2.1% of a traced pread read's
 * samples). Number 0 is null. One per stash, begun anew at each write-out; used by its stash's
 * thread (see {@link Stash}).
 */
final class Symbols {
    private static final int RECENT = 4;
    private final HashMap<Object, Integer> ids = new HashMap<>();
    private Object[] byId = new Object[64];
    private int size = 1; // 0 is null
    /** Two lanes of {@link #RECENT} places each: lane {@code l}'s recent arguments at {@code l * RECENT} on. */
    private final Object[] recent = new Object[2 * RECENT];
    private final int[] recentId = new int[2 * RECENT];
    private final int[] next = new int[2];
    /** Hash lookups made (for tests). */
    long lookups;

    /** The number of {@code o}, numbering it when new; 0 for null. */
    int id(Object o) {
        return id(o, 0);
    }

    /** {@link #id(Object)}, the recent arguments of {@code lane} (0 or 1: the event's argument place) matched first. */
    int id(Object o, int lane) {
        if (o == null) {
            return 0;
        }
        int base = lane * RECENT;
        for (int i = base; i < base + RECENT; i++) {
            if (recent[i] == o) {
                return recentId[i];
            }
        }
        lookups++;
        Integer known = ids.get(o);
        int id;
        if (known != null) {
            id = known;
        } else {
            id = size++;
            if (id == byId.length) {
                byId = Arrays.copyOf(byId, 2 * byId.length);
            }
            byId[id] = o;
            ids.put(o, id);
        }
        int slot = next[lane];
        next[lane] = (slot + 1) & (RECENT - 1);
        recent[base + slot] = o;
        recentId[base + slot] = id;
        return id;
    }

    /** The argument numbered {@code id} (null for 0). */
    Object get(int id) {
        return byId[id];
    }

    /** Distinct arguments numbered so far. */
    int size() {
        return size - 1;
    }
}
