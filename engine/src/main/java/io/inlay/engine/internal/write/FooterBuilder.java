package io.inlay.engine.internal.write;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.format.ColumnOrder;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.TypeDefinedOrder;

/**
 * Builds the footer ({@code FileMetaData}): the schema as a depth-first list of elements under a
 * root named {@code schema}, the row groups, key-value metadata, {@code created_by}, and a
 * type-defined column order for every leaf so that readers trust {@code min_value}/{@code max_value}.
 */
public final class FooterBuilder {
    private FooterBuilder() {}

    public static FileMetaData build(List<StoredColumn> columns, List<RowGroup> rowGroups, long rows,
            Map<String, String> keyValueMetadata, String createdBy, int version) {
        List<SchemaElement> schema = new ArrayList<>();
        SchemaElement root = new SchemaElement("schema");
        root.setNum_children(columns.size());
        schema.add(root);
        List<ColumnOrder> orders = new ArrayList<>(columns.size());
        for (StoredColumn c : columns) {
            schema.addAll(c.schemaElements());
            orders.add(ColumnOrder.TYPE_ORDER(new TypeDefinedOrder()));
        }
        FileMetaData md = new FileMetaData(version, schema, rows, new ArrayList<>(rowGroups));
        md.setCreated_by(createdBy);
        md.setColumn_orders(orders);
        if (!keyValueMetadata.isEmpty()) {
            List<KeyValue> kv = new ArrayList<>(keyValueMetadata.size());
            keyValueMetadata.forEach((k, v) -> {
                KeyValue e = new KeyValue(k);
                e.setValue(v);
                kv.add(e);
            });
            md.setKey_value_metadata(kv);
        }
        return md;
    }
}
