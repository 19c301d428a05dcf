package io.inlay.codec;

import java.util.Locale;

/**
 * Parquet's page compression codecs, with the ids of the {@code CompressionCodec} enum of
 * parquet-format's Thrift definition ({@code parquet.thrift}).
 *
 * <p>{@link #LZ4} is the legacy, Hadoop-framed LZ4 that Inlay can read but never writes;
 * {@link #LZ4_RAW} is what Inlay (and pyarrow) write for the config name {@code lz4}.
 */
public enum CompressionCodec {
    UNCOMPRESSED(0),
    SNAPPY(1),
    GZIP(2),
    LZO(3),
    BROTLI(4),
    LZ4(5),
    ZSTD(6),
    LZ4_RAW(7);

    /** The config names accepted by {@link #fromConfigName}, in the order they are listed. */
    public static final String VALID_CONFIG_NAMES = "none, snappy, gzip, zstd, lz4";

    private static final CompressionCodec[] BY_ID = values();

    private final int thriftId;

    CompressionCodec(int thriftId) {
        this.thriftId = thriftId;
    }

    /** The value of this codec in the Parquet footer. */
    public int thriftId() {
        return thriftId;
    }

    /**
     * The codec with the given footer id.
     *
     * @throws IllegalArgumentException for an id Parquet does not define
     */
    public static CompressionCodec fromThriftId(int id) {
        if (id < 0 || id >= BY_ID.length) {
            throw new IllegalArgumentException("unknown Parquet compression codec id " + id);
        }
        return BY_ID[id];
    }

    /**
     * Maps a workload config's {@code compression} value, case-insensitively: {@code none} is
     * {@link #UNCOMPRESSED}, {@code lz4} is {@link #LZ4_RAW} (what pyarrow writes for 'lz4').
     *
     * @throws IllegalArgumentException naming the value and listing the valid names
     */
    public static CompressionCodec fromConfigName(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "none" -> UNCOMPRESSED;
            case "snappy" -> SNAPPY;
            case "gzip" -> GZIP;
            case "zstd" -> ZSTD;
            case "lz4" -> LZ4_RAW;
            case "brotli", "lzo" -> throw new IllegalArgumentException(
                    "compression '" + name + "' is not supported by Inlay; valid: " + VALID_CONFIG_NAMES);
            default -> throw new IllegalArgumentException(
                    "unknown compression '" + name + "'; valid: " + VALID_CONFIG_NAMES);
        };
    }

    /** The name a workload config uses for this codec ({@code none} for uncompressed). */
    public String configName() {
        return switch (this) {
            case UNCOMPRESSED -> "none";
            case LZ4_RAW -> "lz4";
            default -> name().toLowerCase(Locale.ROOT);
        };
    }
}
