package io.inlay.engine.write;

/**
 * The data page format a {@link ParquetWriter} writes.
 *
 * <p>{@link #V1} is what pyarrow and parquet-java write by default and what every reader knows.
 * {@link #V2} stores the levels uncompressed ahead of the (compressed) values, with their byte
 * lengths and the page's row count in the header, so a reader can skip rows without decompressing.
 */
public enum PageVersion {
    V1,
    V2;

    /**
     * The version for {@code 1} or {@code 2}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static PageVersion of(int number) {
        return switch (number) {
            case 1 -> V1;
            case 2 -> V2;
            default -> throw new IllegalArgumentException("data page version " + number + " is not 1 or 2");
        };
    }

    /** 1 or 2. */
    public int number() {
        return this == V1 ? 1 : 2;
    }
}
