package io.inlay.engine.internal.encode;

import io.inlay.engine.internal.memory.GrowableBuffer;
import io.inlay.engine.internal.memory.Layouts;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The dictionary of a byte-array column chunk being written: distinct values in first-seen order,
 * stored as the PLAIN body of the dictionary page itself ({@code [len][bytes]...}), with an
 * open-addressing hash table of ids beside it. Looking a value up allocates nothing.
 *
 * <p>The dictionary refuses to grow past a byte limit; the chunk writer then writes the dictionary
 * and falls back to PLAIN for the rest of the chunk. Confined to the writer's thread; owns its
 * buffers.
 */
public final class StringDictionary implements AutoCloseable {

    private final GrowableBuffer page = GrowableBuffer.zeroed(1 << 16);
    private int[] start = new int[1024];
    private int[] length = new int[1024];
    private int[] hashes = new int[1024];
    private int[] table = new int[2048];
    private int size;
    private long byteLimit;

    /** Empties the dictionary; it will hold at most {@code limit} bytes of page body. */
    public void reset(long limit) {
        page.clear();
        Arrays.fill(table, 0);
        size = 0;
        byteLimit = limit;
    }

    /** Distinct values. */
    public int size() {
        return size;
    }

    /** The dictionary page body (PLAIN), {@link #pageBytes()} long; valid until the next add. */
    public MemorySegment pageSegment() {
        return page.segment();
    }

    public long pageBytes() {
        return page.size();
    }

    /**
     * The id of the value {@code data[offset, offset + len)}, added if new.
     *
     * @return the id, or -1 when adding it would take the dictionary past its byte limit
     */
    public int idOf(MemorySegment data, long offset, int len) {
        int h = hash(data, offset, len);
        int m = table.length - 1;
        int slot = h & m;
        MemorySegment stored = page.segment();
        while (true) {
            int entry = table[slot];
            if (entry == 0) {
                break;
            }
            int id = entry - 1;
            if (hashes[id] == h && length[id] == len
                    && MemorySegment.mismatch(stored, start[id], start[id] + len, data, offset, offset + len) == -1) {
                return id;
            }
            slot = (slot + 1) & m;
        }
        if (page.size() + 4 + len > byteLimit || size == Integer.MAX_VALUE - 1) {
            return -1;
        }
        int id = size++;
        if (id == start.length) {
            start = Arrays.copyOf(start, id * 2);
            length = Arrays.copyOf(length, id * 2);
            hashes = Arrays.copyOf(hashes, id * 2);
        }
        page.putIntLE(len);
        start[id] = Math.toIntExact(page.size());
        length[id] = len;
        hashes[id] = h;
        page.put(data, offset, len);
        table[slot] = id + 1;
        if (size * 2L > table.length) {
            rehash();
        }
        return id;
    }

    private void rehash() {
        int[] bigger = new int[table.length * 2];
        int m = bigger.length - 1;
        for (int id = 0; id < size; id++) {
            int slot = hashes[id] & m;
            while (bigger[slot] != 0) {
                slot = (slot + 1) & m;
            }
            bigger[slot] = id + 1;
        }
        table = bigger;
    }

    private static int hash(MemorySegment data, long offset, int len) {
        long h = 0x9E3779B97F4A7C15L ^ len;
        long p = offset;
        long end = offset + len;
        for (; p + 8 <= end; p += 8) {
            h = Long.rotateLeft((h ^ data.get(Layouts.LE_LONG, p)) * 0xBF58476D1CE4E5B9L, 29);
        }
        for (; p < end; p++) {
            h = (h ^ (data.get(ValueLayout.JAVA_BYTE, p) & 0xff)) * 0x94D049BB133111EBL;
        }
        h ^= h >>> 31;
        h *= 0xD6E8FEB86659FD93L;
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public void close() {
        page.close();
    }
}
