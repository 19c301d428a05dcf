package io.inlay.engine.internal.decode;

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
     * The decoder for {@code encoding}.
     *
     * @return the decoder, or null when the encoding does not apply to the column's type (the
     *     caller reports it with the file, column and page)
     */
    public ValueDecoder forEncoding(Encoding encoding) {
        ValueDecoder d = cache.get(encoding);
        if (d == null) {
            d = create(encoding);
            if (d != null) {
                cache.put(encoding, d);
            }
        }
        return d;
    }

    private ValueDecoder create(Encoding encoding) {
        Type t = column.physicalType();
        int in = physicalWidth(column);
        int out = column.valueType().byteWidth();
        boolean isBool = column.valueType() == ValueType.BOOL;
        boolean isBinary = t == Type.BYTE_ARRAY;
        return switch (encoding) {
            case PLAIN -> isBool ? new PlainBooleanDecoder() : isBinary ? new PlainBinaryDecoder() : new PlainFixedDecoder(in, out);
            case PLAIN_DICTIONARY, RLE_DICTIONARY -> isBool ? null : new DictionaryDecoder(dictionary);
            case RLE -> isBool ? new BooleanRleDecoder() : null;
            case BYTE_STREAM_SPLIT -> switch (t) {
                case FLOAT, DOUBLE, INT32, INT64, FIXED_LEN_BYTE_ARRAY -> new ByteStreamSplitDecoder(in, out);
                default -> null;
            };
            case DELTA_BINARY_PACKED -> t == Type.INT32 || t == Type.INT64 ? new DeltaBinaryPackedDecoder(out) : null;
            case DELTA_LENGTH_BYTE_ARRAY -> isBinary ? new DeltaLengthByteArrayDecoder() : null;
            case DELTA_BYTE_ARRAY -> isBinary ? new DeltaByteArrayDecoder(0)
                    : t == Type.FIXED_LEN_BYTE_ARRAY ? new DeltaByteArrayDecoder(in) : null;
            case BIT_PACKED -> null;
            default -> null;
        };
    }
}
