package io.inlay.engine.read;

import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.error.SchemaMismatchException;
import io.inlay.engine.error.StorageException;
import io.inlay.engine.error.UnsupportedParquetException;
import io.inlay.engine.internal.ReadLimits;
import io.inlay.engine.internal.column.PageStructure;
import io.inlay.engine.internal.io.ByteRanges;
import io.inlay.engine.internal.io.IoSession;
import io.inlay.engine.internal.metadata.ChunkLocation;
import io.inlay.engine.internal.metadata.FileStructure;
import io.inlay.engine.internal.metadata.LeafColumn;
import io.inlay.engine.internal.page.PageReader;
import io.inlay.engine.schema.ColumnDescriptor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.parquet.format.PageHeader;

/**
 * {@link ParquetFile#verify()} (every page of every column read or checked for structure) and
 * {@link ParquetFile#pages} (a chunk's page headers, for inspection). Each call borrows an I/O
 * session and makes its decoders for itself, so threads may verify or inspect one file at once.
 */
final class Verification {
    private final ChunkReads reads;
    private final FileStructure structure;
    private final ReadOptions options;
    private final ReadLimits limits;

    Verification(ChunkReads reads, FileStructure structure, ReadOptions options) {
        this.reads = reads;
        this.structure = structure;
        this.options = options;
        this.limits = Limits.of(options);
    }

    ParquetFile.VerifyReport verify() throws ParquetCorruptionException, UnsupportedParquetException, StorageException {
        String name = reads.name();
        return reads.inFile(name, () -> {
            checkStructure();
            List<String> columns = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (ColumnDescriptor d : structure.parsed().schema().columns()) {
                if (d.isSupported()) {
                    columns.add(d.name());
                } else {
                    skipped.add(d.name() + " (" + d.unsupportedReason() + ")");
                }
            }
            long crcPages = 0;
            try (RowGroupReader reader = reads.rowGroups(columns, null)) {
                for (int g = 0; g < structure.rowGroupCount(); g++) {
                    reader.read(g);
                    crcPages += reader.pagesWithCrc();
                }
            } catch (SchemaMismatchException e) {
                throw new IllegalStateException(e); // the columns come from the file's own schema
            }
            return new ParquetFile.VerifyReport(structure.rows(), structure.rowGroupCount(), columns.size(), skipped,
                    crcPages);
        });
    }

    /**
     * Every chunk's value count against its row group, and the pages of every column Inlay does not
     * decode for structure (headers, level counts, value section sizes).
     */
    private void checkStructure() throws java.io.IOException {
        String name = reads.name();
        Set<Integer> decodedLeaves = new HashSet<>();
        for (LeafColumn l : structure.parsed().leaves()) {
            decodedLeaves.add(l.leafIndex());
        }
        int rowGroups = structure.rowGroupCount();
        IoSession session = reads.session(null);
        try (PageStructure structureCheck = new PageStructure(limits)) {
            var all = structure.parsed().allLeaves();
            long[] ranges = new long[2 * all.size() * rowGroups];
            int n = 0;
            for (int g = 0; g < rowGroups; g++) {
                for (var leaf : all) {
                    if (!decodedLeaves.contains(leaf.index())) {
                        n = ChunkReads.addRange(ranges, n, structure.chunk(g, leaf.index()));
                    }
                }
            }
            session.expect(reads.io(), ranges, n);
            ByteRanges in = reads.input(session);
            for (int g = 0; g < rowGroups; g++) {
                for (var leaf : all) {
                    ChunkLocation loc = structure.chunk(g, leaf.index());
                    String where = name + ": column " + leaf.path() + ", row group " + g;
                    if (leaf.maxRep() == 0 && loc.numValues() != loc.rows()) {
                        throw new ParquetCorruptionException(where + ": the chunk holds " + loc.numValues()
                                + " values but the row group has " + loc.rows() + " rows");
                    }
                    if (!decodedLeaves.contains(leaf.index())) {
                        structureCheck.check(in, loc, leaf, where);
                    }
                }
            }
        } finally {
            ChunkReads.done(session, null);
        }
    }

    /** {@link ParquetFile#pages(int, int, Consumer)}: the chunk's page headers, each handed on as it is read. */
    void pages(int rowGroup, int leafIndex, Consumer<PageInfo> out)
            throws ParquetCorruptionException, UnsupportedParquetException, StorageException {
        String name = reads.name();
        reads.inFile(name, () -> {
            ChunkLocation loc = structure.chunk(rowGroup, leafIndex);
            LeafColumn leaf = MetadataView.leafAt(structure, leafIndex);
            IoSession session = reads.session(null);
            try (PageReader pages = new PageReader(true, options.maxPageBytes(), options.maxValuesPerPage())) {
                long[] range = new long[2];
                session.expect(reads.io(), range, ChunkReads.addRange(range, 0, loc));
                pages.setHeadersOnly(true);
                pages.start(reads.input(session), loc, name + ": column chunk "
                        + String.join(".", loc.meta().getPath_in_schema()) + ", row group " + rowGroup);
                while (pages.next()) {
                    out.accept(pageInfo(pages, loc, leaf));
                }
            } finally {
                ChunkReads.done(session, null);
            }
            return null;
        });
    }

    private static PageInfo pageInfo(PageReader pages, ChunkLocation loc, LeafColumn leaf) {
        PageHeader h = pages.header();
        String encoding = "";
        String levels = "";
        int nulls = -1;
        int rowsInPage = -1;
        org.apache.parquet.format.Statistics stats = null;
        if (h.isSetData_page_header()) {
            var dp = h.getData_page_header();
            encoding = String.valueOf(dp.getEncoding());
            levels = "def " + dp.getDefinition_level_encoding() + ", rep " + dp.getRepetition_level_encoding();
            stats = dp.getStatistics();
        } else if (h.isSetData_page_header_v2()) {
            var dp = h.getData_page_header_v2();
            encoding = String.valueOf(dp.getEncoding());
            levels = "RLE" + (dp.isSetIs_compressed() && !dp.isIs_compressed() ? ", values not compressed" : "");
            nulls = dp.getNum_nulls();
            rowsInPage = dp.getNum_rows();
            stats = dp.getStatistics();
        } else if (h.isSetDictionary_page_header()) {
            encoding = String.valueOf(h.getDictionary_page_header().getEncoding());
        }
        return new PageInfo(pages.pageIndex(), String.valueOf(h.getType()), pages.headerOffset(), pages.headerSize(),
                h.getCompressed_page_size(), h.getUncompressed_page_size(), pages.numValues(), nulls, rowsInPage,
                encoding, levels, h.isSetCrc() ? h.getCrc() : null, pages.lastCrcValid(),
                stats == null || loc.meta().getType() == null ? null
                        : Statistics.of(stats, loc.meta().getType(), leaf == null ? null : leaf.valueType()));
    }
}
