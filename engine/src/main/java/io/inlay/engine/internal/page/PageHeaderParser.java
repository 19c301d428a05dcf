package io.inlay.engine.internal.page;

import io.inlay.engine.internal.DecodeException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.PageType;

/**
 * Parses a Thrift compact-protocol {@code PageHeader} (parquet.thrift) straight from mapped memory
 * into a reused {@link PageHeaderView}: nothing is allocated, every read is bounded by the region,
 * and fields the reader does not use (statistics, index pages, future fields) are skipped with a
 * depth limit. The footer, read once per file, goes through parquet-format-structures instead.
 *
 * <pre>
 * field   := byte(id delta &lt;&lt; 4 | type) [zigzag varint id when the delta is 0] value
 * types   := 1 true  2 false  3 i8  4 i16  5 i32  6 i64  7 double  8 binary  9 list  10 set  11 map  12 struct
 *            13 uuid
 * ints    := zigzag ULEB128;  binary := ULEB128 length, bytes;  struct := fields, byte 0 (stop)
 * list    := byte(size &lt;&lt; 4 | element type) [ULEB128 size when 15], elements
 * </pre>
 *
 * Confined to one thread.
 */
public final class PageHeaderParser {
    private static final int T_TRUE = 1;
    private static final int T_FALSE = 2;
    private static final int T_I8 = 3;
    private static final int T_I16 = 4;
    private static final int T_I32 = 5;
    private static final int T_I64 = 6;
    private static final int T_DOUBLE = 7;
    private static final int T_BINARY = 8;
    private static final int T_LIST = 9;
    private static final int T_SET = 10;
    private static final int T_MAP = 11;
    private static final int T_STRUCT = 12;
    private static final int T_UUID = 13;
    /** As parquet-format's Thrift skips: deeper nesting is refused. */
    private static final int MAX_DEPTH = 64;

    private MemorySegment data;
    private long pos;
    private long end;

    /**
     * Parses the header at {@code offset}, which must end before {@code offset + maxLength}.
     *
     * @throws DecodeException when it does not parse, misses a required field or runs past the region
     */
    public void parse(MemorySegment segment, long offset, long maxLength, PageHeaderView out) throws DecodeException {
        data = segment;
        pos = offset;
        end = offset + maxLength;
        out.clear();
        boolean sawType = false;
        boolean sawUncompressed = false;
        boolean sawCompressed = false;
        int last = 0;
        while (true) {
            int b = readByte();
            if ((b & 0x0f) == 0) {
                break; // a zero type nibble ends a struct, whatever the delta (as Thrift reads it)
            }
            int type = b & 0x0f;
            int id = fieldId(b, last);
            last = id;
            if (type != topLevelType(id)) {
                skip(type, 0); // as Thrift does: a field of another type is not this field
                continue;
            }
            switch (id) {
                case 1 -> {
                    int t = i32(type, "type");
                    out.type = PageType.findByValue(t);
                    if (out.type == null) {
                        throw new DecodeException("page type " + t + " is not a Parquet page type");
                    }
                    sawType = true;
                }
                case 2 -> {
                    out.uncompressedSize = i32(type, "uncompressed_page_size");
                    sawUncompressed = true;
                }
                case 3 -> {
                    out.compressedSize = i32(type, "compressed_page_size");
                    sawCompressed = true;
                }
                case 4 -> {
                    out.crc = i32(type, "crc");
                    out.hasCrc = true;
                }
                case 5 -> nested(PageType.DATA_PAGE, out);
                case 7 -> nested(PageType.DICTIONARY_PAGE, out);
                case 8 -> nested(PageType.DATA_PAGE_V2, out);
                default -> { } // not reached: topLevelType lets only the fields above through
            }
        }
        if (!sawType || !sawUncompressed || !sawCompressed) {
            throw new DecodeException("the page header lacks a required field (type, uncompressed_page_size or"
                    + " compressed_page_size)");
        }
        out.encodedLength = (int) (pos - offset);
    }

    /** Reads one of the type-specific headers (a struct; the caller checked the field's type) into {@code out}. */
    private void nested(PageType kind, PageHeaderView out) throws DecodeException {
        out.typeHeader = kind;
        int seen = 0;
        int last = 0;
        while (true) {
            int b = readByte();
            int t = b & 0x0f;
            if (t == 0) {
                break; // a zero type nibble ends a struct, whatever the delta (as Thrift reads it)
            }
            int id = fieldId(b, last);
            last = id;
            int expected = switch (kind) {
                case DATA_PAGE -> id >= 1 && id <= 4 ? T_I32 : -1;
                case DICTIONARY_PAGE -> id == 1 || id == 2 ? T_I32 : -1;
                // is_compressed (7) is a boolean: true or false in the type nibble
                default -> id >= 1 && id <= 6 ? T_I32 : id == 7 ? T_TRUE : -1;
            };
            if ((t == T_FALSE ? T_TRUE : t) != expected) {
                skip(t, 1); // as Thrift does: a field of another type is not this field
                continue;
            }
            seen |= switch (kind) {
                case DATA_PAGE -> dataPageField(id, t, out);
                case DICTIONARY_PAGE -> dictionaryField(id, t, out);
                default -> dataPageV2Field(id, t, out);
            };
        }
        int required = switch (kind) {
            case DATA_PAGE -> 0b1111;
            case DICTIONARY_PAGE -> 0b11;
            default -> 0b111111;
        };
        if (seen != required) {
            throw new DecodeException("the " + kind + " header lacks a required field");
        }
    }

    /** DataPageHeader field {@code id}; returns its bit among the required fields. */
    private int dataPageField(int id, int t, PageHeaderView out) throws DecodeException {
        switch (id) {
            case 1 -> out.numValues = i32(t, "num_values");
            case 2 -> out.encoding = encoding(t, "encoding");
            case 3 -> out.definitionLevelEncoding = encoding(t, "definition_level_encoding");
            default -> out.repetitionLevelEncoding = encoding(t, "repetition_level_encoding");
        }
        return 1 << (id - 1);
    }

    /** DictionaryPageHeader field {@code id}; returns its bit among the required fields. */
    private int dictionaryField(int id, int t, PageHeaderView out) throws DecodeException {
        if (id == 1) {
            out.numValues = i32(t, "num_values");
        } else {
            out.encoding = encoding(t, "encoding");
        }
        return 1 << (id - 1);
    }

    /** DataPageHeaderV2 field {@code id}; returns its bit among the required fields (0 for is_compressed). */
    private int dataPageV2Field(int id, int t, PageHeaderView out) throws DecodeException {
        switch (id) {
            case 1 -> out.numValues = i32(t, "num_values");
            case 2 -> out.numNulls = i32(t, "num_nulls");
            case 3 -> out.numRows = i32(t, "num_rows");
            case 4 -> out.encoding = encoding(t, "encoding");
            case 5 -> out.definitionLevelsLength = i32(t, "definition_levels_byte_length");
            case 6 -> out.repetitionLevelsLength = i32(t, "repetition_levels_byte_length");
            default -> {
                out.isCompressed = t == T_TRUE;
                return 0;
            }
        }
        return 1 << (id - 1);
    }

    /** The compact type a PageHeader field must have to be read (Thrift skips a field of another type); -1: skipped. */
    private static int topLevelType(int id) {
        return switch (id) {
            case 1, 2, 3, 4 -> T_I32;
            case 5, 7, 8 -> T_STRUCT;
            default -> -1;
        };
    }

    private int fieldId(int b, int last) throws DecodeException {
        int delta = (b >>> 4) & 0x0f;
        if (delta != 0) {
            return last + delta;
        }
        int raw = varint32();
        return (short) ((raw >>> 1) ^ -(raw & 1)); // Thrift's readI16
    }

    private int i32(int type, String what) throws DecodeException {
        if (type != T_I32) {
            throw new DecodeException(what + " has Thrift type " + type + ", not i32");
        }
        int raw = varint32();
        return (raw >>> 1) ^ -(raw & 1);
    }

    private Encoding encoding(int type, String what) throws DecodeException {
        int v = i32(type, what);
        Encoding e = Encoding.findByValue(v);
        if (e == null) {
            throw new DecodeException(what + " " + v + " is not a Parquet encoding");
        }
        return e;
    }

    private int readByte() throws DecodeException {
        if (pos >= end) {
            throw new DecodeException("the page header runs past its region");
        }
        return data.get(ValueLayout.JAVA_BYTE, pos++) & 0xff;
    }

    /**
     * A ULEB128 varint read as Thrift's compact protocol reads one (parquet-format's reader is the
     * reference): as many bytes as carry a continuation bit (bounded by the region), bits shifted
     * beyond the width wrap as Java's shifts do.
     */
    private int varint32() throws DecodeException {
        int result = 0;
        int shift = 0;
        while (true) {
            int b = readByte();
            result |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
            shift += 7;
        }
    }

    private long varint64() throws DecodeException {
        long result = 0;
        int shift = 0;
        while (true) {
            int b = readByte();
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
            shift += 7;
        }
    }

    private void skipBytes(long n) throws DecodeException {
        if (n < 0 || n > end - pos) {
            throw new DecodeException("a Thrift value of " + n + " bytes runs past the page header's region");
        }
        pos += n;
    }

    /** Skips one value of {@code type}. */
    private void skip(int type, int depth) throws DecodeException {
        if (depth > MAX_DEPTH) {
            throw new DecodeException("the page header nests deeper than " + MAX_DEPTH + " levels");
        }
        switch (type) {
            case T_TRUE, T_FALSE -> { }
            case T_I8 -> skipBytes(1);
            case T_I16, T_I32 -> varint32();
            case T_I64 -> varint64();
            case T_DOUBLE -> skipBytes(8);
            case T_UUID -> skipBytes(16);
            case T_BINARY -> skipBytes(varint32());
            case T_LIST, T_SET -> {
                int b = readByte();
                long size = (b >>> 4) & 0x0f;
                if (size == 15) {
                    size = varint32();
                }
                int element = b & 0x0f;
                if (size < 0 || size > end - pos) {
                    throw new DecodeException("a Thrift list of " + size + " elements runs past the page header's region");
                }
                for (long i = 0; i < size; i++) {
                    if (element == T_TRUE || element == T_FALSE) {
                        skipBytes(1);
                    } else {
                        skip(element, depth + 1);
                    }
                }
            }
            case T_MAP -> {
                long size = varint32();
                if (size < 0) {
                    throw new DecodeException("a Thrift map of " + size + " entries");
                }
                if (size > 0) {
                    int kv = readByte();
                    if (2 * size > end - pos) {
                        throw new DecodeException("a Thrift map of " + size + " entries runs past the page header's region");
                    }
                    for (long i = 0; i < size; i++) {
                        skipElement(kv >>> 4, depth);
                        skipElement(kv & 0x0f, depth);
                    }
                }
            }
            case T_STRUCT -> {
                int last = 0;
                while (true) {
                    int b = readByte();
                    if ((b & 0x0f) == 0) {
                        return;
                    }
                    last = fieldId(b, last);
                    skip(b & 0x0f, depth + 1);
                }
            }
            default -> throw new DecodeException("Thrift type " + type + " is not a compact protocol type");
        }
    }

    private void skipElement(int type, int depth) throws DecodeException {
        if (type == T_TRUE || type == T_FALSE) {
            skipBytes(1);
        } else {
            skip(type, depth + 1);
        }
    }
}
