package io.inlay.engine.internal.write;

import io.inlay.engine.schema.ColumnSpec;
import io.inlay.engine.schema.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.parquet.format.ConvertedType;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.Float16Type;
import org.apache.parquet.format.IntType;
import org.apache.parquet.format.ListType;
import org.apache.parquet.format.LogicalType;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.StringType;
import org.apache.parquet.format.Type;

/**
 * How a workload column is stored: its physical type and levels, mirroring what pyarrow writes so
 * that pyarrow, DuckDB and parquet-java read it natively.
 *
 * <pre>
 * scalar:  optional &lt;type&gt; name;                                   max def 1, max rep 0
 * vector:  optional group name (LIST) {                              max def 3, max rep 1
 *            repeated group list { optional &lt;type&gt; element; }
 *          }
 * float16 = FIXED_LEN_BYTE_ARRAY(2) FLOAT16; int8 = INT32 INT(8, signed); string = BYTE_ARRAY STRING
 * </pre>
 *
 * @param index position among the file's columns
 * @param spec the workload column
 */
public record StoredColumn(int index, ColumnSpec spec) {

    public StoredColumn {
        Objects.requireNonNull(spec, "spec");
    }

    public String name() {
        return spec.name();
    }

    public DType elementType() {
        return spec.elementType();
    }

    /** Whether rows are lists (vectors, and blobs: lists of chunks). */
    public boolean list() {
        return spec.isList();
    }

    /** Whether rows are blob samples written chunk by chunk. */
    public boolean blob() {
        return spec.isBlob();
    }

    public int maxDefinitionLevel() {
        return list() ? 3 : 1;
    }

    public int maxRepetitionLevel() {
        return list() ? 1 : 0;
    }

    public Type physicalType() {
        return switch (elementType()) {
            case FLOAT32, LIST -> Type.FLOAT;
            case FLOAT64 -> Type.DOUBLE;
            case FLOAT16 -> Type.FIXED_LEN_BYTE_ARRAY;
            case INT8 -> Type.INT32;
            case STRING, BINARY, BLOB -> Type.BYTE_ARRAY;
            case BOOL -> Type.BOOLEAN;
        };
    }

    /** Bytes per value in PLAIN encoding; 0 for bool (bits) and variable-length values. */
    public int plainWidth() {
        return switch (elementType()) {
            case FLOAT32, LIST, INT8 -> 4;
            case FLOAT64 -> 8;
            case FLOAT16 -> 2;
            case STRING, BINARY, BOOL, BLOB -> 0;
        };
    }

    /** Bytes per value in the Arrow layout the writer takes; 0 for bool and variable-length values. */
    public int arrowWidth() {
        return elementType().byteWidth();
    }

    public boolean variableLength() {
        return elementType() == DType.STRING || elementType() == DType.BINARY;
    }

    public boolean bool() {
        return elementType() == DType.BOOL;
    }

    /** Whether BYTE_STREAM_SPLIT applies (float32 and float64 values). */
    public boolean floatingPoint() {
        return physicalType() == Type.FLOAT || physicalType() == Type.DOUBLE;
    }

    /** The leaf's path from the root: {@code [name]} or {@code [name, list, element]}. */
    public List<String> path() {
        return list() ? List.of(name(), "list", "element") : List.of(name());
    }

    /** The schema elements of this column, depth-first as the footer lists them. */
    public List<SchemaElement> schemaElements() {
        List<SchemaElement> out = new ArrayList<>(3);
        if (list()) {
            SchemaElement group = new SchemaElement(name());
            group.setRepetition_type(FieldRepetitionType.OPTIONAL);
            group.setNum_children(1);
            group.setConverted_type(ConvertedType.LIST);
            group.setLogicalType(LogicalType.LIST(new ListType()));
            out.add(group);
            SchemaElement repeated = new SchemaElement("list");
            repeated.setRepetition_type(FieldRepetitionType.REPEATED);
            repeated.setNum_children(1);
            out.add(repeated);
            out.add(leaf("element"));
        } else {
            out.add(leaf(name()));
        }
        return out;
    }

    private SchemaElement leaf(String leafName) {
        SchemaElement e = new SchemaElement(leafName);
        e.setRepetition_type(FieldRepetitionType.OPTIONAL);
        e.setType(physicalType());
        switch (elementType()) {
            case FLOAT16 -> {
                e.setType_length(2);
                e.setLogicalType(LogicalType.FLOAT16(new Float16Type()));
            }
            case INT8 -> {
                e.setLogicalType(LogicalType.INTEGER(new IntType((byte) 8, true)));
                e.setConverted_type(ConvertedType.INT_8);
            }
            case STRING -> {
                e.setLogicalType(LogicalType.STRING(new StringType()));
                e.setConverted_type(ConvertedType.UTF8);
            }
            default -> { }
        }
        return e;
    }
}
