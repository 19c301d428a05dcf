package io.inlay.engine.conformance;

import io.inlay.engine.vector.ColumnVector;
import io.inlay.engine.vector.ValueType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The corpus README's per-column figures, computed independently from decoded vectors: counts,
 * sums, and the ordered FNV-1a 64 hash over the README's byte format.
 */
final class Checksums {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final boolean physicalInt64;
    long rows;
    long nulls;
    long nonNull;
    long nanCount;
    long posInf;
    long negInf;
    long negZero;
    double sum;
    BigInteger intSum = BigInteger.ZERO;
    long trueCount;
    long falseCount;
    long totalBytes;
    long emptyValues;
    long emptyLists;
    long totalElements;
    long nullElements;
    long fnv = FNV_OFFSET;
    boolean isList;
    ValueType type;

    /**
     * @param physicalType the leaf's Parquet physical type: INT64 integers hash as 8 bytes, others as 4
     * @param columnType the column's decoded type
     */
    Checksums(String physicalType, io.inlay.engine.vector.ColumnType columnType) {
        this.physicalInt64 = physicalType.equals("INT64");
        this.type = columnType.valueType();
        this.isList = columnType.list();
    }

    private void hashByte(int b) {
        fnv ^= b & 0xff;
        fnv *= FNV_PRIME;
    }

    private void hashInt(int v) {
        for (int i = 0; i < 4; i++) {
            hashByte(v >>> (8 * i));
        }
    }

    private void hashLong(long v) {
        for (int i = 0; i < 8; i++) {
            hashByte((int) (v >>> (8 * i)));
        }
    }

    void add(ColumnVector v, long row) {
        rows++;
        if (v.isNull(row)) {
            nulls++;
            hashByte(0);
            return;
        }
        hashByte(1);
        if (!isList) {
            value(v, row);
            return;
        }
        int start = v.offset(row);
        int end = v.offset(row + 1);
        hashInt(end - start);
        if (end == start) {
            emptyLists++;
        }
        for (int i = start; i < end; i++) {
            totalElements++;
            if (v.child().isNull(i)) {
                nullElements++;
                hashByte(0);
            } else {
                hashByte(1);
                value(v.child(), i);
            }
        }
    }

    private void value(ColumnVector v, long i) {
        nonNull++;
        switch (v.type().valueType()) {
            case FLOAT32, FLOAT16 -> {
                float f = v.type().valueType() == ValueType.FLOAT16 ? Float.float16ToFloat(v.getFloat16Bits(i)) : v.getFloat(i);
                hashInt(Float.floatToIntBits(f));
                floating(f);
            }
            case FLOAT64 -> {
                double d = v.getDouble(i);
                hashLong(Double.doubleToLongBits(d));
                floating(d);
            }
            case BOOL -> {
                boolean b = v.getBoolean(i);
                hashByte(b ? 1 : 0);
                if (b) {
                    trueCount++;
                } else {
                    falseCount++;
                }
            }
            case STRING, BINARY -> {
                MemorySegment bytes = v.getBytes(i);
                hashInt((int) bytes.byteSize());
                for (long k = 0; k < bytes.byteSize(); k++) {
                    hashByte(bytes.get(ValueLayout.JAVA_BYTE, k));
                }
                totalBytes += bytes.byteSize();
                if (bytes.byteSize() == 0) {
                    emptyValues++;
                }
            }
            default -> {
                long x = v.getLong(i);
                if (physicalInt64) {
                    hashLong(x);
                } else {
                    hashInt((int) x);
                }
                BigInteger bx = v.type().valueType() == ValueType.UINT64 && x < 0
                        ? BigInteger.valueOf(x).add(BigInteger.ONE.shiftLeft(64)) : BigInteger.valueOf(x);
                intSum = intSum.add(bx);
            }
        }
    }

    private void floating(double d) {
        if (Double.isNaN(d)) {
            nanCount++;
            return;
        }
        if (d == Double.POSITIVE_INFINITY) {
            posInf++;
        } else if (d == Double.NEGATIVE_INFINITY) {
            negInf++;
        } else if (d == 0 && Double.doubleToRawLongBits(d) != 0) {
            negZero++;
        }
        sum += d;
    }

    /** The figures to compare with the expected checksums, under the README's names. */
    Map<String, String> figures() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("rows", String.valueOf(rows));
        m.put("nulls", String.valueOf(nulls));
        m.put("non_null_values", String.valueOf(nonNull));
        m.put("fnv1a64", String.format("%016x", fnv));
        switch (type) {
            case FLOAT32, FLOAT64, FLOAT16 -> {
                m.put("nan_count", String.valueOf(nanCount));
                m.put("pos_inf", String.valueOf(posInf));
                m.put("neg_inf", String.valueOf(negInf));
                m.put("neg_zero", String.valueOf(negZero));
                m.put("sum_bits", String.format("%016x", Double.doubleToLongBits(sum)));
            }
            case BOOL -> {
                m.put("true_count", String.valueOf(trueCount));
                m.put("false_count", String.valueOf(falseCount));
            }
            case STRING, BINARY -> {
                m.put("total_bytes", String.valueOf(totalBytes));
                m.put("empty_values", String.valueOf(emptyValues));
            }
            default -> m.put("sum", intSum.toString());
        }
        if (isList) {
            m.put("empty_lists", String.valueOf(emptyLists));
            m.put("total_elements", String.valueOf(totalElements));
            m.put("null_elements", String.valueOf(nullElements));
        }
        return m;
    }
}
