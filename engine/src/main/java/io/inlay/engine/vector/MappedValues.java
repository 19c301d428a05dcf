package io.inlay.engine.vector;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The values of one column chunk as slices of the file mapping, without copying: one slice per
 * data page, each holding that page's values back to back (little-endian, unaligned). Only for
 * uncompressed PLAIN pages of non-null fixed-width values, including the elements of lists that
 * have no null or empty lists and no null elements (fixed-length vectors).
 *
 * <p>The slices live as long as the {@link ParquetFile} they come from is open; after it is closed,
 * access fails with {@link IllegalStateException}. They may be read by any thread.
 *
 * @param valueType the type of each value
 * @param pages one slice per data page
 * @param valueCount the values over all pages
 * @param rows the rows of the row group (for lists, valueCount / rows values per row when regular)
 */
public record MappedValues(ValueType valueType, List<MemorySegment> pages, long valueCount, long rows) {

    public MappedValues {
        pages = List.copyOf(pages);
    }
}
