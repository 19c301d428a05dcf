package io.inlay.engine.internal.page;

import io.inlay.codec.CompressionCodec;
import io.inlay.codec.Decompressor;
import io.inlay.engine.internal.memory.GrowableBuffer;
import java.util.EnumMap;
import java.util.Map;

/**
 * The memory and codec state page reading reuses: a decompression buffer, a buffer for stable
 * copies of mapped pages that native code reads, and one decompressor per codec.
 */
public final class PageScratch implements AutoCloseable {
    final GrowableBuffer buffer;
    final GrowableBuffer stable;
    /** Bounce buffer for CRCs of mapped pages. */
    final GrowableBuffer crc;
    final Map<CompressionCodec, Decompressor> decompressors = new EnumMap<>(CompressionCodec.class);

    public PageScratch() {
        this(false);
    }

    /** @param confined whether only the creating thread uses and closes it (see {@link GrowableBuffer#GrowableBuffer(boolean)}) */
    public PageScratch(boolean confined) {
        buffer = new GrowableBuffer(confined);
        stable = new GrowableBuffer(confined);
        crc = new GrowableBuffer(confined);
    }

    @Override
    public void close() {
        for (Decompressor d : decompressors.values()) {
            d.close();
        }
        decompressors.clear();
        buffer.close();
        stable.close();
        crc.close();
    }
}
