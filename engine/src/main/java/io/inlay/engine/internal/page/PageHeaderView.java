package io.inlay.engine.internal.page;

import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.PageType;

/**
 * The fields of a page header the reader uses, filled in place by {@link PageHeaderParser} so that
 * reading a page allocates nothing. Reused from page to page; confined to one thread.
 */
public final class PageHeaderView {
    PageType type;
    int uncompressedSize;
    int compressedSize;
    boolean hasCrc;
    int crc;
    /** Which of the type-specific headers was present (a PageType, or null). */
    PageType typeHeader;
    int numValues;
    Encoding encoding;
    Encoding definitionLevelEncoding;
    Encoding repetitionLevelEncoding;
    int numNulls;
    int numRows;
    int definitionLevelsLength;
    int repetitionLevelsLength;
    boolean isCompressed;
    int encodedLength;

    void clear() {
        type = null;
        uncompressedSize = -1;
        compressedSize = -1;
        hasCrc = false;
        crc = 0;
        typeHeader = null;
        numValues = 0;
        encoding = null;
        definitionLevelEncoding = null;
        repetitionLevelEncoding = null;
        numNulls = 0;
        numRows = 0;
        definitionLevelsLength = 0;
        repetitionLevelsLength = 0;
        isCompressed = true;
        encodedLength = 0;
    }

    public PageType type() {
        return type;
    }

    public int uncompressedSize() {
        return uncompressedSize;
    }

    public int compressedSize() {
        return compressedSize;
    }

    public boolean hasCrc() {
        return hasCrc;
    }

    public int crc() {
        return crc;
    }

    /** Values (levels) of a data page, entries of a dictionary page. */
    public int numValues() {
        return numValues;
    }

    /** The value encoding (data pages) or the dictionary's encoding (dictionary pages). */
    public Encoding encoding() {
        return encoding;
    }

    /** v1 data pages: the definition level encoding. */
    public Encoding definitionLevelEncoding() {
        return definitionLevelEncoding;
    }

    /** v1 data pages: the repetition level encoding. */
    public Encoding repetitionLevelEncoding() {
        return repetitionLevelEncoding;
    }

    /** v2 data pages: nulls. */
    public int numNulls() {
        return numNulls;
    }

    /** v2 data pages: rows. */
    public int numRows() {
        return numRows;
    }

    /** v2 data pages: bytes of definition levels. */
    public int definitionLevelsLength() {
        return definitionLevelsLength;
    }

    /** v2 data pages: bytes of repetition levels. */
    public int repetitionLevelsLength() {
        return repetitionLevelsLength;
    }

    /** v2 data pages: whether the values section is compressed (default true). */
    public boolean isCompressed() {
        return isCompressed;
    }

    /** The header's encoded size in bytes. */
    public int encodedLength() {
        return encodedLength;
    }
}
