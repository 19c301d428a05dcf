package io.inlay.engine.internal.decode;

import io.inlay.engine.internal.UnsupportedException;
import io.inlay.engine.internal.metadata.LeafColumn;
import io.inlay.engine.vector.ValueType;
import java.util.EnumMap;
import java.util.Map;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.Type;

/**
 * Chooses the value decoder for a column's data pages by encoding, keeping one instance of each
 * for reuse. Confined to one thread (one per column reader).
 */
public final class Decoders {
    private final LeafColumn column;
    private final Dictionary dictionary;
    private final Map<Encoding, ValueDecoder> cache = new EnumMap<>(Encoding.class);

    public Decoders(LeafColumn column, Dictionary dictionary) {
        this.column = column;
        this.dictionary = dictionary;
    }

    /** The physical width of the column's fixed-width values, or 0 (booleans, byte arrays). */
    public static int physicalWidth(LeafColumn c) {
        return switch (c.physicalType()) {
            case INT32, FLOAT -> 4;
            case INT64, DOUBLE -> 8;
            case FIXED_LEN_BYTE_ARRAY -> c.typeLength();
            case INT96 -> 12;
            case BOOLEAN, BYTE_ARRAY -> 0;
        };
    }

    /**
     * The decoder for {@code encoding}, made on first use and reused after.
     *
     * @throws UnsupportedException when the encoding does not apply to the column's type, or is
     *     one Inlay does not read (the caller adds the file, column and page)
     */
    public ValueDecoder forEncoding(Encoding encoding) throws UnsupportedException {
        ValueDecoder d = cache.get(encoding);
        if (d == null) {
            d = create(encoding);
            cache.put(encoding, d);
        }
        return d;
    }

    /** One case per encoding, and no default: a new encoding in parquet-format fails the build here. */
    private ValueDecoder create(Encoding encoding) throws UnsupportedException {
        Type t = column.physicalType();
        int in = physicalWidth(column);
        int out = column.valueType().byteWidth();
        boolean isBool = column.valueType() == ValueType.BOOL;
        boolean isBinary = t == Type.BYTE_ARRAY;
        ValueDecoder d = switch (encoding) {
            case PLAIN -> isBool ? new BooleanPlainDecoder() : isBinary ? new BinaryPlainDecoder() : new FixedPlainDecoder(in, out);
            case PLAIN_DICTIONARY, RLE_DICTIONARY -> isBool ? null : new AnyDictionaryDecoder(dictionary);
            case RLE -> isBool ? new BooleanRleDecoder() : null;
            case BYTE_STREAM_SPLIT -> switch (t) {
                case FLOAT, DOUBLE, INT32, INT64, FIXED_LEN_BYTE_ARRAY -> new FixedByteStreamSplitDecoder(in, out);
                case BOOLEAN, BYTE_ARRAY, INT96 -> null;
            };
            case DELTA_BINARY_PACKED -> t == Type.INT32 || t == Type.INT64 ? new IntDeltaBinaryPackedDecoder(out) : null;
            case DELTA_LENGTH_BYTE_ARRAY -> isBinary ? new BinaryDeltaLengthByteArrayDecoder() : null;
            case DELTA_BYTE_ARRAY -> isBinary ? new BinaryDeltaByteArrayDecoder(0)
                    : t == Type.FIXED_LEN_BYTE_ARRAY ? new BinaryDeltaByteArrayDecoder(in) : null;
            // levels only (deprecated); never a value encoding
            case BIT_PACKED -> null;
        };
        if (d == null) {
            throw new UnsupportedException("encoding " + encoding + " is not supported for " + t + " values");
        }
        return d;
    }
}
