package io.inlay.engine.trace;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The reference arguments of a session's stashed events (file names, paths, column and codec
 * names) as numbered texts: the stash keeps an event's arguments as two numbers in its record,
 * and each number's text (the argument's {@code toString()}, UTF-8) here, not the objects the
 * recording thread passed. A run over thousands of files makes new name objects for every file it
 * opens (its path, its footer's column names); held until written, half a million events' worth
 * of them survived young collections and were promoted, which multiplied the GC's time by five in
 * a traced steady-state read (TracedReadBenchmark, dlrm: 772 ms against 155 ms).
 *
 * <p>Numbering is done when events leave a ring for the stash (at an epoch's end, or by the writer
 * thread), not on the recording path: an argument is matched first by identity against the last
 * and the recent arguments of its place in the event ({@code lane} 0: a file's or column's name;
 * lane 1: mostly one of a few engine or codec names), since a thread's consecutive events repeat
 * them; then by value in a small direct-mapped table ({@link #TABLE} entries, by {@code hashCode}:
 * a new file's column names are equal to the last file's); and only then rendered as a new
 * number. Equal arguments usually share a number; when two collide in the table, or one falls out
 * of it, the same text gets a second number, which changes nothing written. The table holds at
 * most {@link #TABLE} objects, where a map numbering every distinct value once held every file's
 * name until the stash was written out, and allocates nothing but the texts. What numbering costs
 * at an epoch's end is mostly the first touch of arguments just made by other threads on other
 * cores (a dlrm epoch with {@code pread}: 4,096 files, 16,384 lookups, 4,096 renderings, 3.8-4.4 ms
 * of the collect's CPU with this table or with a map alike, 0.9 ms when nothing was looked up).
 *
 * <p>Number 0 is null. One per stash, begun anew at each write-out; used by its stash's thread
 * (see {@link Stash}).
 */
final class Symbols {
    private static final int RECENT = 8;
    static final int TABLE = 1024;
    /** Two lanes of {@link #RECENT} places each: lane {@code l}'s recent arguments at {@code l * RECENT} on. */
    private final Object[] recent = new Object[2 * RECENT];
    private final int[] recentId = new int[2 * RECENT];
    private final int[] next = new int[2];
    /** Each place's last argument and its number. */
    private final Object[] last = new Object[2];
    private final int[] lastId = new int[2];
    /** Arguments by value: the last one whose hash fell in each entry, and its number. */
    private final Object[] table = new Object[TABLE];
    private final int[] tableId = new int[TABLE];
    private final int[] tableHash = new int[TABLE];
    /** The texts, back to back: number n's from {@code start[n]} to {@code start[n + 1]}. */
    private byte[] text = new byte[4096];
    private int[] start = new int[64];
    private int size = 1; // 0 is null
    /** The texts as strings, made when the stash is formatted (see {@link #get}). */
    private String[] strings;
    /** Arguments rendered as a new number (for tests). */
    long rendered;

    /**
     * The number of {@code o}, numbering it when new; 0 for null. {@code lane}: the argument's
     * place in its event (0 or 1), whose last and recent arguments are matched first.
     */
    int id(Object o, int lane) {
        if (o == null) {
            return 0;
        }
        if (last[lane] == o) { // mostly: the place's argument in the thread's previous event
            return lastId[lane];
        }
        int id = known(o, lane);
        last[lane] = o;
        lastId[lane] = id;
        return id;
    }

    private int known(Object o, int lane) {
        int base = lane * RECENT;
        for (int i = base; i < base + RECENT; i++) {
            if (recent[i] == o) {
                return recentId[i];
            }
        }
        int h = o.hashCode();
        int slot = (h ^ (h >>> 16)) & (TABLE - 1);
        Object known = table[slot];
        int id;
        // the hashes first: a slot's object is mostly another file's name, cold in memory
        if (known == o || (known != null && tableHash[slot] == h && known.equals(o))) {
            id = tableId[slot];
        } else {
            id = render(o);
            table[slot] = o;
            tableHash[slot] = h;
            tableId[slot] = id;
        }
        int r = next[lane];
        next[lane] = (r + 1) & (RECENT - 1);
        recent[base + r] = o;
        recentId[base + r] = id;
        return id;
    }

    /** A new number for {@code o}'s text. */
    private int render(Object o) {
        byte[] t = String.valueOf(o).getBytes(StandardCharsets.UTF_8);
        int id = size++;
        if (id + 1 >= start.length) {
            start = Arrays.copyOf(start, 2 * start.length);
        }
        int from = start[id];
        if (from + t.length > text.length) {
            text = Arrays.copyOf(text, Math.max(2 * text.length, from + t.length));
        }
        System.arraycopy(t, 0, text, from, t.length);
        start[id + 1] = from + t.length;
        rendered++;
        strings = null;
        return id;
    }

    /** The text numbered {@code id} (null for 0), as a string made once per number. */
    String get(int id) {
        if (id == 0) {
            return null;
        }
        if (strings == null) {
            strings = new String[size];
        }
        String s = strings[id];
        if (s == null) {
            s = new String(text, start[id], start[id + 1] - start[id], StandardCharsets.UTF_8);
            strings[id] = s;
        }
        return s;
    }

    /** All texts, back to back (see {@link #textStart}); not to be changed. */
    byte[] texts() {
        return text;
    }

    /** Where number {@code id}'s text starts in {@link #texts()} (for 1 to {@link #size()}; {@code textStart(id + 1)} is its end). */
    int textStart(int id) {
        return start[id];
    }

    /** Numbers given so far (1 to this). */
    int size() {
        return size - 1;
    }
}
