package io.inlay.engine.write;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.vector.ColumnChecksum;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Consumer;

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
 * @param direct write the file with {@code O_DIRECT} (default off): the bytes go from the writer's
 *     buffers to the device, none of the file is left in (or copied through) the page cache, and
 *     writing overlaps with encoding (two aligned buffers of 4 MiB, off-heap). Where the file system
 *     refuses {@code O_DIRECT} (tmpfs), the file is written through the page cache as without it.
 *     The file's bytes are the same either way
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
        boolean direct,
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
                false, false, DEFAULT_ROW_GROUP_ROWS, true, true, true, false, false, Map.of());
    }

    public WriterOptions withPageVersion(PageVersion v) {
        return with(b -> b.pageVersion = v);
    }

    public WriterOptions withTargetPageBytes(int bytes) {
        return with(b -> b.targetPageBytes = bytes);
    }

    /** The codec at its default level. */
    public WriterOptions withCodec(CompressionCodec c) {
        return with(b -> {
            b.codec = c;
            b.compressionLevel = OptionalInt.empty();
        });
    }

    /** The codec at the given level (checked against the codec's range when the writer opens). */
    public WriterOptions withCodec(CompressionCodec c, int level) {
        return with(b -> {
            b.codec = c;
            b.compressionLevel = OptionalInt.of(level);
        });
    }

    public WriterOptions withDictionary(boolean on) {
        return with(b -> b.dictionary = on);
    }

    public WriterOptions withByteStreamSplit(boolean on) {
        return with(b -> b.byteStreamSplit = on);
    }

    public WriterOptions withRowGroupRows(long rows) {
        return with(b -> b.rowGroupRows = rows);
    }

    public WriterOptions withPageCrc(boolean on) {
        return with(b -> b.pageCrc = on);
    }

    public WriterOptions withStatistics(boolean on) {
        return with(b -> b.statistics = on);
    }

    public WriterOptions withChecksums(boolean on) {
        return with(b -> b.checksums = on);
    }

    public WriterOptions withFsync(boolean on) {
        return with(b -> b.fsync = on);
    }

    public WriterOptions withDirect(boolean on) {
        return with(b -> b.direct = on);
    }

    /** Replaces the footer's key-value metadata. */
    public WriterOptions withKeyValueMetadata(Map<String, String> kv) {
        return with(b -> b.keyValueMetadata = kv);
    }

    /** These options with the fields {@code change} sets on a copy of them. */
    private WriterOptions with(Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /** The fields of some options, to change before making new ones: each wither names only what it changes. */
    private static final class Builder {
        private PageVersion pageVersion;
        private int targetPageBytes;
        private CompressionCodec codec;
        private OptionalInt compressionLevel;
        private boolean dictionary;
        private boolean byteStreamSplit;
        private long rowGroupRows;
        private boolean pageCrc;
        private boolean statistics;
        private boolean checksums;
        private boolean fsync;
        private boolean direct;
        private Map<String, String> keyValueMetadata;

        Builder(WriterOptions o) {
            pageVersion = o.pageVersion;
            targetPageBytes = o.targetPageBytes;
            codec = o.codec;
            compressionLevel = o.compressionLevel;
            dictionary = o.dictionary;
            byteStreamSplit = o.byteStreamSplit;
            rowGroupRows = o.rowGroupRows;
            pageCrc = o.pageCrc;
            statistics = o.statistics;
            checksums = o.checksums;
            fsync = o.fsync;
            direct = o.direct;
            keyValueMetadata = o.keyValueMetadata;
        }

        WriterOptions build() {
            return new WriterOptions(pageVersion, targetPageBytes, codec, compressionLevel, dictionary, byteStreamSplit,
                    rowGroupRows, pageCrc, statistics, checksums, fsync, direct, keyValueMetadata);
        }
    }
}
