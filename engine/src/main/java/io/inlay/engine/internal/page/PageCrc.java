package io.inlay.engine.internal.page;

import io.inlay.engine.internal.memory.GrowableBuffer;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * The CRC-32 of one page's stored bytes, computed so that native code (the CRC intrinsic) never
 * reads a mapping: bytes that may vanish with a truncated file go through a small bounce buffer,
 * or are summed from the copy made of them. What is checked, and what a mismatch means, is
 * {@link PageReader}'s. Confined to the reader's thread; nothing allocated per page.
 */
final class PageCrc {
    /** The bounce buffer for CRCs of mapped bytes, small enough to stay in the CPU's cache. */
    private static final long CHUNK = 32 << 10;

    private final CRC32 crc = new CRC32();
    private final GrowableBuffer bounceMemory;
    private ByteBuffer bounce;
    private MemorySegment bounceSegment;

    PageCrc(GrowableBuffer bounceMemory) {
        this.bounceMemory = bounceMemory;
    }

    /** Starts a page's CRC over {@code prefix} (v2 level sections; may be null); returns its length. */
    long start(MemorySegment prefix, boolean stable) {
        crc.reset();
        if (prefix == null) {
            return 0;
        }
        update(prefix, stable);
        return prefix.byteSize();
    }

    /** Feeds {@code bytes} to the CRC: as they are when stable, else through the bounce buffer. */
    void update(MemorySegment bytes, boolean stable) {
        if (stable) {
            crc.update(bytes.asByteBuffer());
            return;
        }
        if (bounce == null) {
            bounceSegment = bounceMemory.ensure(CHUNK, 0);
            bounce = bounceSegment.asByteBuffer();
        }
        long n = bytes.byteSize();
        for (long at = 0; at < n; at += CHUNK) {
            int len = (int) Math.min(CHUNK, n - at);
            MemorySegment.copy(bytes, at, bounceSegment, 0, len);
            bounce.clear().limit(len);
            crc.update(bounce);
        }
    }

    /**
     * Copies {@code stored} into {@code out} in pieces, feeding each piece, from {@code out}, to the
     * CRC: the page is read once, and the CRC reads only memory of Inlay's own.
     */
    void copyAndUpdate(MemorySegment stored, MemorySegment out) {
        long n = stored.byteSize();
        ByteBuffer view = out.asByteBuffer();
        for (long at = 0; at < n; at += CHUNK) {
            int len = (int) Math.min(CHUNK, n - at);
            MemorySegment.copy(stored, at, out, at, len);
            view.limit((int) (at + len)).position((int) at);
            crc.update(view);
        }
    }

    /** The CRC of what was fed since {@link #start}. */
    int value() {
        return (int) crc.getValue();
    }

    static String hex(int v) {
        return String.format("0x%08x", v);
    }
}
