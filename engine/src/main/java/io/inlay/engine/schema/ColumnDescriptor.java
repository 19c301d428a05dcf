package io.inlay.engine.schema;

import io.inlay.engine.vector.ColumnType;
import java.util.Objects;

/**
 * One top-level field of a Parquet file as Inlay sees it: its Parquet schema, its levels, and
 * the {@link ColumnType} Inlay decodes it into, or the reason it cannot. Immutable.
 *
 * @param name the field name
 * @param index the field's position among the top-level fields
 * @param leafPath the dotted path of its leaf column (for a 3-level list: {@code name.list.element});
 *     for fields with several leaves (structs, maps), the first leaf's path
 * @param firstLeaf the index of its first leaf column among all leaves (its column chunk index)
 * @param leafCount how many leaf columns the field spans
 * @param physicalType the Parquet physical type of the leaf ({@code FLOAT}, {@code BYTE_ARRAY}, ...),
 *     or {@code group} for fields with several leaves
 * @param annotation the logical or converted type annotations, readable ({@code STRING},
 *     {@code INT(8,signed)}, {@code LIST}, ...), empty when none
 * @param maxDefinitionLevel the leaf's maximum definition level
 * @param maxRepetitionLevel the leaf's maximum repetition level
 * @param type the type Inlay decodes it into, or {@code null} when unsupported
 * @param unsupportedReason why Inlay cannot read it, or {@code null}
 * @param schemaText the field's schema in Parquet's textual form
 */
public record ColumnDescriptor(
        String name,
        int index,
        String leafPath,
        int firstLeaf,
        int leafCount,
        String physicalType,
        String annotation,
        int maxDefinitionLevel,
        int maxRepetitionLevel,
        ColumnType type,
        String unsupportedReason,
        String schemaText) {

    public ColumnDescriptor {
        Objects.requireNonNull(name, "name");
        if ((type == null) == (unsupportedReason == null)) {
            throw new IllegalArgumentException("exactly one of type and unsupportedReason must be set");
        }
    }

    /** Whether Inlay can decode this field. */
    public boolean isSupported() {
        return type != null;
    }
}
