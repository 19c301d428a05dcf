package io.inlay.engine.dataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a generation run did on this rank.
 *
 * @param filesWritten files written (including ones that existed but could not be kept: see
 *     {@link #rewritten()})
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

    /**
     * The files that existed but could not be kept, by reason ({@link FileResult#rewriteReason()}),
     * reasons in the order first met.
     */
    public Map<String, List<FileResult>> rewritten() {
        Map<String, List<FileResult>> out = new LinkedHashMap<>();
        for (FileResult f : files) {
            if (f.rewritten()) {
                out.computeIfAbsent(f.rewriteReason(), k -> new ArrayList<>()).add(f);
            }
        }
        return out;
    }

    /** Bytes written per second, in GB/s (10^9 bytes). */
    public double gigabytesPerSecond() {
        return seconds > 0 ? bytesWritten / seconds / 1e9 : 0;
    }
}
