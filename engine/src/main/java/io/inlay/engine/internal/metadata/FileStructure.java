package io.inlay.engine.internal.metadata;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.error.EncryptedParquetException;
import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.error.UnsupportedParquetException;
import io.inlay.engine.internal.memory.Layouts;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import shaded.parquet.org.apache.thrift.TException;

/**
 * A file's footer, parsed and validated: every offset and size that later code uses has been
 * checked against the file size here, before anything is read or allocated from it.
 *
 * <pre>
 * +------+------------------------------+----------------------+-----------------+------+
 * | PAR1 | column chunks (pages)        | FileMetaData (Thrift | footer length   | PAR1 |
 * | 4 B  | ...                          | compact protocol)    | 4 B little-end. | 4 B  |
 * +------+------------------------------+----------------------+-----------------+------+
 * 0      4                              dataEnd                size - 8          size
 * </pre>
 */
public final class FileStructure {
    private static final int MAGIC_PAR1 = 0x31524150; // "PAR1" read as a little-endian int
    private static final int MAGIC_PARE = 0x45524150; // "PARE": encrypted footer

    private final String file;
    private final FileMetaData meta;
    private final SchemaParser.Parsed parsed;
    private final ChunkLocation[][] chunks;
    private final long[] rowGroupRows;
    private final long dataEnd;
    private final long footerLength;

    private FileStructure(String file, FileMetaData meta, SchemaParser.Parsed parsed, ChunkLocation[][] chunks,
            long[] rowGroupRows, long dataEnd, long footerLength) {
        this.file = file;
        this.meta = meta;
        this.parsed = parsed;
        this.chunks = chunks;
        this.rowGroupRows = rowGroupRows;
        this.dataEnd = dataEnd;
        this.footerLength = footerLength;
    }

    /** Where the footer's bytes come from: {@code length} bytes at {@code offset} of the file, read now. */
    public interface Source {
        MemorySegment read(long offset, long length) throws IOException;
    }

    /**
     * Reads and validates the footer of a mapped file.
     *
     * @param file the file's name, for messages
     * @param maxFooterBytes the largest footer accepted
     */
    public static FileStructure read(String file, MemorySegment mapping, long maxFooterBytes)
            throws ParquetCorruptionException, UnsupportedParquetException {
        try {
            return read(file, mapping.byteSize(), mapping::asSlice, maxFooterBytes);
        } catch (ParquetCorruptionException | UnsupportedParquetException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException(e); // slices of a mapping do no I/O
        }
    }

    /**
     * Reads and validates the footer of a file of {@code size} bytes whose bytes {@code source}
     * gives: its first 4, its last 8 and the footer.
     *
     * @param file the file's name, for messages
     * @param maxFooterBytes the largest footer accepted
     */
    public static FileStructure read(String file, long size, Source source, long maxFooterBytes)
            throws ParquetCorruptionException, UnsupportedParquetException, IOException {
        long footerLength = footerLength(file, size, source, maxFooterBytes);
        long dataEnd = size - 8 - footerLength;
        FileMetaData meta = parseFooter(file, source, dataEnd, footerLength);
        SchemaParser.Parsed parsed;
        try {
            parsed = SchemaParser.parse(meta.getSchema());
        } catch (IllegalArgumentException e) {
            throw new ParquetCorruptionException(file + ": invalid schema: " + e.getMessage(), e);
        }
        List<RowGroup> groups = meta.getRow_groups() == null ? List.of() : meta.getRow_groups();
        int leaves = parsed.schema().leafCount();
        ChunkLocation[][] chunks = new ChunkLocation[groups.size()][];
        long[] rows = new long[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            RowGroup rg = groups.get(g);
            if (rg == null || rg.getNum_rows() < 0) {
                throw new ParquetCorruptionException(file + ": row group " + g + " has a negative row count");
            }
            rows[g] = rg.getNum_rows();
            List<ColumnChunk> cols = rg.getColumns();
            int n = cols == null ? 0 : cols.size();
            if (n != leaves) {
                throw new ParquetCorruptionException(file + ": row group " + g + " has " + n
                        + " column chunks but the schema has " + leaves + " leaf columns");
            }
            chunks[g] = new ChunkLocation[n];
            for (int c = 0; c < n; c++) {
                chunks[g][c] = validateChunk(file, g, c, cols.get(c), rg.getNum_rows(), dataEnd);
            }
        }
        return new FileStructure(file, meta, parsed, chunks, rows, dataEnd, footerLength);
    }

    /** The magic numbers at both ends checked, the footer's length read and checked against the file and the limit. */
    private static long footerLength(String file, long size, Source source, long maxFooterBytes)
            throws ParquetCorruptionException, UnsupportedParquetException, IOException {
        if (size < 12) {
            throw new ParquetCorruptionException(file + ": file is " + size
                    + " bytes, shorter than the 12 bytes of Parquet's magic numbers and footer length");
        }
        int head = source.read(0, 4).get(Layouts.LE_INT, 0);
        MemorySegment end = source.read(size - 8, 8);
        int tail = end.get(Layouts.LE_INT, 4);
        if (head == MAGIC_PARE || tail == MAGIC_PARE) {
            throw new EncryptedParquetException(file + ": encrypted files are not supported (footer magic PARE)");
        }
        if (head != MAGIC_PAR1) {
            throw new ParquetCorruptionException(file + ": does not start with the Parquet magic PAR1 (found "
                    + magicText(head) + ")");
        }
        if (tail != MAGIC_PAR1) {
            throw new ParquetCorruptionException(file + ": does not end with the Parquet magic PAR1 (found "
                    + magicText(tail) + "); the file may be truncated");
        }
        long footerLength = Integer.toUnsignedLong(end.get(Layouts.LE_INT, 0));
        if (footerLength == 0 || footerLength > size - 12) {
            throw new ParquetCorruptionException(file + ": footer length " + footerLength + " does not fit a file of "
                    + size + " bytes (at most " + (size - 12) + ")");
        }
        if (footerLength > maxFooterBytes) {
            throw new ParquetCorruptionException(file + ": footer of " + footerLength + " bytes is larger than the limit of "
                    + maxFooterBytes + " bytes");
        }
        return footerLength;
    }

    /** The footer's Thrift parsed, and refused when it declares encryption. */
    private static FileMetaData parseFooter(String file, Source source, long dataEnd, long footerLength)
            throws ParquetCorruptionException, UnsupportedParquetException, IOException {
        FileMetaData meta;
        try {
            meta = new ThriftReader().readFileMetaData(source.read(dataEnd, footerLength), 0, footerLength);
        } catch (TException e) {
            throw new ParquetCorruptionException(file + ": the footer (" + footerLength + " bytes at offset " + dataEnd
                    + ") does not parse: " + e.getMessage(), e);
        }
        if (meta.isSetEncryption_algorithm()) {
            throw new EncryptedParquetException(file + ": encrypted files are not supported"
                    + " (the plaintext footer declares an encryption algorithm)");
        }
        return meta;
    }

    private static ChunkLocation validateChunk(String file, int g, int c, ColumnChunk cc, long rows, long dataEnd)
            throws ParquetCorruptionException, UnsupportedParquetException {
        String where = file + ": row group " + g + ", column chunk " + c;
        if (cc == null) {
            throw new ParquetCorruptionException(where + " is missing");
        }
        if (cc.isSetCrypto_metadata() || cc.isSetEncrypted_column_metadata()) {
            throw new EncryptedParquetException(file + ": encrypted files are not supported (column chunk " + c
                    + " of row group " + g + " is encrypted)");
        }
        if (cc.isSetFile_path()) {
            throw new UnsupportedParquetException(where + " lives in another file (" + cc.getFile_path()
                    + "); external column chunks are not supported");
        }
        ColumnMetaData md = cc.getMeta_data();
        if (md == null) {
            throw new ParquetCorruptionException(where + " has no metadata");
        }
        where = file + ": column " + String.join(".", md.getPath_in_schema() == null ? List.of("?") : md.getPath_in_schema())
                + ", row group " + g;
        if (md.getCodec() == null) {
            throw new ParquetCorruptionException(where + ": unknown compression codec");
        }
        CompressionCodec codec = CompressionCodec.valueOf(md.getCodec().name());
        long numValues = md.getNum_values();
        if (numValues < 0) {
            throw new ParquetCorruptionException(where + ": negative value count " + numValues);
        }
        long length = md.getTotal_compressed_size();
        if (length < 0 || md.getTotal_uncompressed_size() < 0) {
            throw new ParquetCorruptionException(where + ": negative chunk size " + length + " / "
                    + md.getTotal_uncompressed_size());
        }
        long dataOffset = md.getData_page_offset();
        long start = dataOffset;
        if (md.isSetDictionary_page_offset() && md.getDictionary_page_offset() > 0) {
            long dict = md.getDictionary_page_offset();
            if (dict < 4 || dict >= dataEnd) {
                throw new ParquetCorruptionException(where + ": dictionary page offset " + dict
                        + " is outside the page data [4, " + dataEnd + ")");
            }
            start = Math.min(start, dict);
        }
        if (numValues > 0) {
            if (dataOffset < 4 || dataOffset >= dataEnd) {
                throw new ParquetCorruptionException(where + ": data page offset " + dataOffset
                        + " is outside the page data [4, " + dataEnd + ")");
            }
            if (length > dataEnd - start) {
                throw new ParquetCorruptionException(where + ": chunk of " + length + " bytes at offset " + start
                        + " runs past the page data, which ends at " + dataEnd);
            }
        }
        return new ChunkLocation(g, c, start, length, dataEnd, numValues, rows, codec, md);
    }

    private static String magicText(int magic) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            int b = (magic >>> (8 * i)) & 0xff;
            sb.append(b >= 32 && b < 127 ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return sb.toString();
    }

    public String file() {
        return file;
    }

    public FileMetaData meta() {
        return meta;
    }

    public SchemaParser.Parsed parsed() {
        return parsed;
    }

    public int rowGroupCount() {
        return chunks.length;
    }

    public long rowGroupRows(int g) {
        return rowGroupRows[g];
    }

    public ChunkLocation chunk(int rowGroup, int leaf) {
        return chunks[rowGroup][leaf];
    }

    /** The total rows over all row groups (the footer's own count may disagree; this one is what is read). */
    public long rows() {
        long total = 0;
        for (long r : rowGroupRows) {
            total += r;
        }
        return total;
    }

    public long dataEnd() {
        return dataEnd;
    }

    public long footerLength() {
        return footerLength;
    }
}
