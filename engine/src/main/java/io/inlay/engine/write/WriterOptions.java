package io.inlay.engine.write;

import io.inlay.codec.CompressionCodec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How a {@link ParquetWriter} lays out a file. Immutable; start from {@link #defaults()} and change
 * what you need with the {@code with...} methods.
 *
 * @param pageVersion data page v1 (default) or v2
 * @param targetPageBytes uncompressed value bytes per page the writer aims for (default 1 MiB); a
 *     page always holds whole rows, at least one
 * @param codec page compression (default none); {@link CompressionCodec#LZ4} (legacy Hadoop
 *     framing) is read-only: write {@link CompressionCodec#LZ4_RAW}
 * @param compressionLevel the codec's level, or empty for the codec's default
 * @param dictionary dictionary-encode string columns (falls back to PLAIN within a chunk once the
 *     dictionary would exceed 1 MiB, or the page size if larger)
 * @param byteStreamSplit BYTE_STREAM_SPLIT instead of PLAIN for float32 and float64 values
 * @param rowGroupRows rows per row group for {@link ParquetWriter#write(long, java.util.List)} and
 *     {@link ParquetWriter#write(java.util.List)} (default 1,048,576; the last group may be shorter)
 * @param pageCrc write the CRC-32 of each stored page in its header (default on)
 * @param statistics write min/max and null counts per column chunk (default on)
 * @param checksums compute {@link ColumnChecksum}s while writing (default on)
 * @param fsync force the file to the device before renaming it into place (default off: a killed
 *     process never leaves a partial file under the final name either way; fsync also covers
 *     power loss)
 * @param keyValueMetadata footer key-value metadata, in insertion order
 */
public record WriterOptions(
        PageVersion pageVersion,
        int targetPageBytes,
        CompressionCodec codec,
        OptionalInt compressionLevel,
        boolean dictionary,
        boolean byteStreamSplit,
        long rowGroupRows,
        boolean pageCrc,
        boolean statistics,
        boolean checksums,
        boolean fsync,
        Map<String, String> keyValueMetadata) {

    /** The default page size: 1 MiB, as parquet-java and pyarrow use. */
    public static final int DEFAULT_PAGE_BYTES = 1 << 20;
    /** The default row group size in rows (pyarrow's default). */
    public static final long DEFAULT_ROW_GROUP_ROWS = 1L << 20;
    /** The smallest page size accepted (small pages are for tests of page boundaries). */
    public static final int MIN_PAGE_BYTES = 16;
    /** The largest page size accepted; page sizes are int32 in the format. */
    public static final int MAX_PAGE_BYTES = 1 << 30;

    public WriterOptions {
        Objects.requireNonNull(pageVersion, "pageVersion");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(compressionLevel, "compressionLevel");
        if (targetPageBytes < MIN_PAGE_BYTES || targetPageBytes > MAX_PAGE_BYTES) {
            throw new IllegalArgumentException("target page size " + targetPageBytes + " is outside "
                    + MIN_PAGE_BYTES + ".." + MAX_PAGE_BYTES + " bytes");
        }
        if (rowGroupRows < 1) {
            throw new IllegalArgumentException("row group size " + rowGroupRows + " must be at least 1 row");
        }
        switch (codec) {
            case LZ4 -> throw new IllegalArgumentException(
                    "codec LZ4 (Hadoop-framed) is read-only; write LZ4_RAW (config name 'lz4') instead");
            case LZO, BROTLI -> throw new IllegalArgumentException("codec " + codec + " is not supported for writing");
            default -> { }
        }
        Objects.requireNonNull(keyValueMetadata, "keyValueMetadata");
        LinkedHashMap<String, String> kv = new LinkedHashMap<>();
        keyValueMetadata.forEach((k, v) -> kv.put(Objects.requireNonNull(k, "metadata key"),
                Objects.requireNonNull(v, () -> "metadata value for " + k)));
        keyValueMetadata = Collections.unmodifiableMap(kv);
    }

    /** V1 pages of 1 MiB, uncompressed, PLAIN, CRCs and statistics on, row groups of 1 Mi rows. */
    public static WriterOptions defaults() {
        return new WriterOptions(PageVersion.V1, DEFAULT_PAGE_BYTES, CompressionCodec.UNCOMPRESSED, OptionalInt.empty(),
                false, false, DEFAULT_ROW_GROUP_ROWS, true, true, true, false, Map.of());
    }

    public WriterOptions withPageVersion(PageVersion v) {
        return new WriterOptions(v, targetPageBytes, codec, compressionLevel, dictionary, byteStreamSplit,
                rowGroupRows, pageCrc, statistics, checksums, fsync, keyValueMetadata);
    }

    public WriterOptions withTargetPageBytes(int bytes) {
        return new WriterOptions(pageVersion, bytes, codec, compressionLevel, dictionary, byteStreamSplit,
                rowGroupRows, pageCrc, statistics, checksums, fsync, keyValueMetadata);
    }

    /** The codec at its default level. */
    public WriterOptions withCodec(CompressionCodec c) {
        return new WriterOptions(pageVersion, targetPageBytes, c, OptionalInt.empty(), dictionary, byteStreamSplit,
                rowGroupRows, pageCrc, statistics, checksums, fsync, keyValueMetadata);
    }

    /** The codec at the given level (checked against the codec's range when the writer opens). */
    public WriterOptions withCodec(CompressionCodec c, int level) {
        return new WriterOptions(pageVersion, targetPageBytes, c, OptionalInt.of(level), dictionary, byteStreamSplit,
                rowGroupRows, pageCrc, statistics, checksums, fsync, keyValueMetadata);
    }

    public WriterOptions withDictionary(boolean on) {
        return new WriterOptions(pageVersion, targetPageBytes, codec, compressionLevel, on, byteStreamSplit,
                rowGroupRows, pageCrc, statistics, checksums, fsync, keyValueMetadata);
    }

    public WriterOptions withByteStreamSplit(boolean on) {
        return new WriterOptions(pageVersion, targetPageBytes, codec, compressionLevel, dictionary, on,
                rowGroupRows, pageCrc, statistics, checksums, fsync, keyValueMetadata);
    }

    public WriterOptions withRowGroupRows(long rows) {
        return new WriterOptions(pageVersion, targetPageBytes, codec, compressionLevel, dictionary, byteStreamSplit,
                rows, pageCrc, statistics, checksums, fsync, keyValueMetadata);
    }

    public WriterOptions withPageCrc(boolean on) {
        return new WriterOptions(pageVersion, targetPageBytes, codec, compressionLevel, dictionary, byteStreamSplit,
                rowGroupRows, on, statistics, checksums, fsync, keyValueMetadata);
    }

    public WriterOptions withStatistics(boolean on) {
        return new WriterOptions(pageVersion, targetPageBytes, codec, compressionLevel, dictionary, byteStreamSplit,
                rowGroupRows, pageCrc, on, checksums, fsync, keyValueMetadata);
    }

    public WriterOptions withChecksums(boolean on) {
        return new WriterOptions(pageVersion, targetPageBytes, codec, compressionLevel, dictionary, byteStreamSplit,
                rowGroupRows, pageCrc, statistics, on, fsync, keyValueMetadata);
    }

    public WriterOptions withFsync(boolean on) {
        return new WriterOptions(pageVersion, targetPageBytes, codec, compressionLevel, dictionary, byteStreamSplit,
                rowGroupRows, pageCrc, statistics, checksums, on, keyValueMetadata);
    }

    /** Replaces the footer's key-value metadata. */
    public WriterOptions withKeyValueMetadata(Map<String, String> kv) {
        return new WriterOptions(pageVersion, targetPageBytes, codec, compressionLevel, dictionary, byteStreamSplit,
                rowGroupRows, pageCrc, statistics, checksums, fsync, kv);
    }
}
