package io.inlay.engine.read;

/**
 * A column chunk's statistics as its writer recorded them.
 *
 * @param nullCount nulls in the chunk, or -1 when not recorded
 * @param distinctCount distinct values, or -1 when not recorded
 * @param min the minimum as raw bytes (PLAIN encoding of one value), or null
 * @param max the maximum as raw bytes, or null
 * @param minText the minimum rendered for its type, or null
 * @param maxText the maximum rendered for its type, or null
 * @param legacy whether min/max come from the deprecated {@code min}/{@code max} fields, whose sort
 *     order is undefined for some types
 */
public record ChunkStatistics(long nullCount, long distinctCount, byte[] min, byte[] max, String minText,
        String maxText, boolean legacy) {

    /** Whether any figure is present. */
    public boolean isEmpty() {
        return nullCount < 0 && distinctCount < 0 && min == null && max == null;
    }
}
