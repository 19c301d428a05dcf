package io.inlay.engine.internal.metadata;

import io.inlay.engine.schema.ColumnDescriptor;
import io.inlay.engine.vector.ValueType;
import org.apache.parquet.format.Type;

/**
 * What the decoder needs to know about a supported top-level field with a single leaf: its
 * physical type, the value type it decodes into, and how its definition levels map onto nulls.
 *
 * <pre>
 * scalar:  def == valueDef  value present        def &lt; valueDef  null row
 * list:    def &lt;  listDef   null list            def == listDef  empty list
 *          def == elementDef (&lt; valueDef) null element
 *          def == valueDef   element present
 * </pre>
 *
 * @param descriptor the public view
 * @param leaf the field's one leaf, as every leaf of the schema is described
 * @param valueType the type values decode into
 * @param list whether rows are lists (repetition level 1)
 * @param listDef the definition level at which a list is present (lists only)
 * @param elementDef the definition level at which a list element slot exists (lists only)
 * @param valueDef the definition level at which a value is present (the leaf's max level)
 */
public record LeafColumn(
        ColumnDescriptor descriptor,
        SchemaParser.LeafInfo leaf,
        ValueType valueType,
        boolean list,
        int listDef,
        int elementDef,
        int valueDef) {

    /** The column chunk index of the leaf in each row group. */
    public int leafIndex() {
        return leaf.index();
    }

    /** The leaf's Parquet physical type. */
    public Type physicalType() {
        return leaf.physicalType();
    }

    /** The byte length of a FIXED_LEN_BYTE_ARRAY leaf, otherwise 0. */
    public int typeLength() {
        return leaf.typeLength();
    }

    public String name() {
        return descriptor.name();
    }

    public int maxDef() {
        return descriptor.maxDefinitionLevel();
    }

    public int maxRep() {
        return descriptor.maxRepetitionLevel();
    }
}
