package io.inlay.engine.read;

import io.inlay.engine.internal.metadata.ChunkLocation;
import io.inlay.engine.internal.metadata.FileStructure;
import io.inlay.engine.internal.metadata.LeafColumn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.KeyValue;

/** The parsed footer as the public {@link FileMetadata} records. */
final class MetadataView {
    private MetadataView() {}

    static FileMetadata of(FileStructure structure, long fileSize) {
        var meta = structure.meta();
        Map<String, String> kv = new LinkedHashMap<>();
        if (meta.getKey_value_metadata() != null) {
            for (KeyValue e : meta.getKey_value_metadata()) {
                kv.put(e.getKey(), e.getValue());
            }
        }
        List<RowGroupMetadata> groups = new ArrayList<>();
        int leafCount = structure.parsed().schema().leafCount();
        for (int g = 0; g < structure.rowGroupCount(); g++) {
            List<ColumnChunkMetadata> cols = new ArrayList<>();
            for (int c = 0; c < leafCount; c++) {
                cols.add(chunk(structure.chunk(g, c), c, leafAt(structure, c)));
            }
            groups.add(new RowGroupMetadata(g, structure.rowGroupRows(g),
                    meta.getRow_groups().get(g).getTotal_byte_size(), cols));
        }
        return new FileMetadata(fileSize, structure.footerLength(), meta.getVersion(), meta.getCreated_by(),
                meta.getNum_rows(), kv, groups);
    }

    private static ColumnChunkMetadata chunk(ChunkLocation loc, int leafIndex, LeafColumn leaf) {
        ColumnMetaData md = loc.meta();
        return new ColumnChunkMetadata(md.getPath_in_schema() == null ? "?" : String.join(".", md.getPath_in_schema()),
                leafIndex, md.getType() == null ? "?" : md.getType().name(), loc.codec(),
                md.getEncodings() == null ? List.of()
                        : md.getEncodings().stream().map(e -> e == null ? "?" : e.name()).toList(),
                md.getNum_values(), md.getTotal_compressed_size(), md.getTotal_uncompressed_size(), loc.start(),
                md.getData_page_offset(),
                md.isSetDictionary_page_offset() ? md.getDictionary_page_offset() : -1,
                md.getType() == null ? null
                        : Statistics.of(md.getStatistics(), md.getType(), leaf == null ? null : leaf.valueType()));
    }

    /** The decodable column over leaf {@code leafIndex}, or null when Inlay does not decode it. */
    static LeafColumn leafAt(FileStructure structure, int leafIndex) {
        for (LeafColumn l : structure.parsed().leaves()) {
            if (l.leafIndex() == leafIndex) {
                return l;
            }
        }
        return null;
    }
}
