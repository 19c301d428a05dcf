package io.inlay.engine.dataset;

import java.util.List;

/**
 * What a generation run did on this rank.
 *
 * @param filesWritten files written (including ones that existed but failed verification)
 * @param filesSkipped files that existed, verified, and were kept
 * @param rowsWritten rows in the files written
 * @param bytesWritten bytes of the files written
 * @param seconds wall time of the run
 * @param files every file, written or skipped, in split then index order
 */
public record GenerateResult(int filesWritten, int filesSkipped, long rowsWritten, long bytesWritten, double seconds,
        List<FileResult> files) {

    public GenerateResult {
        files = List.copyOf(files);
    }

    /** Bytes written per second, in GB/s (10^9 bytes). */
    public double gigabytesPerSecond() {
        return seconds > 0 ? bytesWritten / seconds / 1e9 : 0;
    }
}
