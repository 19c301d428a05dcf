package io.inlay.engine.hostile;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads mutated files and judges each read against what a correct reader must do:
 * <ol>
 *   <li>every entry point ends in Inlay's own exception or a sound result, both read modes agree,
 *       within {@link #TIME_LIMIT}, and within the allocation bounds of {@link Subjects};</li>
 *   <li>a file whose mutation changed only what a reader ignores ({@link FileLayout.Effect#SAME_DATA})
 *       reads cleanly with the original values;</li>
 *   <li>a file whose mutation changed only bodies of CRC-protected pages is refused (CRCs are verified);</li>
 *   <li>a file that lost page data is refused;</li>
 *   <li>otherwise (the footer, a page header or an unprotected body now says something else) either
 *       outcome is correct: without a checksum a reader cannot tell such a file from a valid one with
 *       other contents.</li>
 * </ol>
 * Findings are collected, not thrown at the first, so one run reports them all. Confined to one thread.
 */
public final class Judge implements AutoCloseable {
    /** The most a read of one small file may take. */
    public static final Duration TIME_LIMIT = Duration.ofSeconds(20);

    /** How a read ended. */
    public enum Outcome { REFUSED_AT_OPEN, REFUSED, READ_SAME_VALUES, READ_OTHER_VALUES }

    private final Path scratch;
    private final io.inlay.engine.read.ReadOptions options;
    private final Guard guard = new Guard(TIME_LIMIT);
    private final List<String> findings = new ArrayList<>();
    private final Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    private int reads;
    private long maxHeap;
    private long maxOffHeap;

    /**
     * @param dir where mutated files are written (one file, rewritten for each read), unless
     *     {@code /dev/shm} is there: memory-backed, it spares the disk hundreds of thousands of writes
     */
    public Judge(Path dir) {
        this(dir, Subjects.OPTIONS);
    }

    /** A judge reading with other options (its self-test reads with CRC verification off). */
    Judge(Path dir, io.inlay.engine.read.ReadOptions options) {
        this.options = options;
        Path shm = Path.of("/dev/shm");
        Path base = dir;
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            try {
                base = Files.createTempDirectory(shm, "inlay-hostile");
                base.toFile().deleteOnExit();
            } catch (IOException e) {
                base = dir;
            }
        }
        this.scratch = base.resolve("mutated.parquet");
        this.scratch.toFile().deleteOnExit();
    }

    /**
     * Reads {@code mutated} (a mutation of {@code subject}) and records any finding.
     *
     * @param lostPageData whether the mutation removed page data (it must then be refused)
     * @return how the read ended, or null when it broke the reader's contract (a finding is recorded)
     */
    public Outcome judge(Subjects.Subject subject, String description, byte[] mutated, boolean lostPageData) {
        reads++;
        String what = subject.name() + ", " + description;
        try {
            Files.write(scratch, mutated);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FileLayout.Effect effect = subject.layout().classify(mutated);
        // a file that means the same data needs only its values checked; any other gets every entry point
        boolean full = effect != FileLayout.Effect.SAME_DATA;
        Guard.Measured<ReadProbe.Result> m = guard.run(() -> ReadProbe.probe(scratch, options, full), () -> what);
        maxHeap = Math.max(maxHeap, m.heapBytes());
        maxOffHeap = Math.max(maxOffHeap, m.offHeapBytes());
        if (m.thrown() != null) {
            finding(what, m.thrown());
            return null;
        }
        long size = mutated.length;
        if (m.offHeapBytes() > Subjects.offHeapLimit(size) || m.largestOffHeap() > Subjects.largestRequestLimit(size)) {
            finding(what, new AssertionError("off-heap requests of " + m.offHeapBytes() + " bytes (largest "
                    + m.largestOffHeap() + ") for a file of " + size + " bytes; limits " + Subjects.offHeapLimit(size)
                    + " / " + Subjects.largestRequestLimit(size)));
        }
        if (m.heapBytes() > heapLimit(size)) {
            finding(what, new AssertionError("heap allocation of " + m.heapBytes() + " bytes for a file of " + size
                    + " bytes; limit " + heapLimit(size)));
        }
        ReadProbe.Result r = m.value();
        Outcome o = r.open() != null ? Outcome.REFUSED_AT_OPEN
                : r.rejected() || r.read() != null ? Outcome.REFUSED
                : r.digests().equals(subject.digests()) ? Outcome.READ_SAME_VALUES : Outcome.READ_OTHER_VALUES;
        outcomes.merge(o, 1, Integer::sum);
        if (lostPageData && !r.rejected()) {
            finding(what, new AssertionError("page data is missing but the file was not refused: " + r));
            return o;
        }
        switch (effect) {
            case SAME_DATA -> {
                if (!r.clean() || !r.digests().equals(subject.digests())) {
                    finding(what, new AssertionError("only ignorable bytes changed, but the read gave " + r
                            + (r.clean() ? " with other values" : ""), r.open() != null ? r.open()
                                    : r.verify() != null ? r.verify() : r.read()));
                }
            }
            case CRC_PROTECTED_BODIES -> {
                if (!r.rejected()) {
                    finding(what, new AssertionError("the body of a CRC-protected page changed but verify() passed"));
                }
            }
            case OTHER -> {
                // either outcome is correct; soundness was checked by the probe
            }
        }
        return o;
    }

    /** Records a finding of the calling test's own. */
    public void finding(String what, String problem) {
        finding(what, new AssertionError(problem));
    }

    /**
     * Heap one probe (five reads through every entry point) may allocate: Thrift objects for the footer
     * and page headers (a hostile list can make about one object per byte), plus fixed decoding
     * scratch per column.
     */
    public static long heapLimit(long size) {
        return 64 * size + (16L << 20);
    }

    private void finding(String what, Throwable t) {
        if (findings.size() < 200) {
            StringWriter sw = new StringWriter();
            t.printStackTrace(new PrintWriter(sw));
            String trace = sw.toString();
            findings.add(what + ":\n" + trace.substring(0, Math.min(trace.length(), 3000)));
        }
    }

    public List<String> findings() {
        return findings;
    }

    public int reads() {
        return reads;
    }

    /** Counts by outcome, heap and off-heap maxima: for the test's report line. */
    public String summary() {
        return reads + " reads " + outcomes + ", max heap " + (maxHeap >> 10) + " KiB, max off-heap " + (maxOffHeap >> 10)
                + " KiB, " + findings.size() + " findings";
    }

    /** Fails with every finding, if there are any. */
    public void assertNoFindings() {
        if (!findings.isEmpty()) {
            throw new AssertionError(findings.size() + " findings in " + reads + " reads (" + summary() + "):\n\n"
                    + String.join("\n\n", findings.subList(0, Math.min(findings.size(), 25))));
        }
    }

    @Override
    public void close() {
        guard.close();
        try {
            Files.deleteIfExists(scratch);
            if (scratch.getParent().startsWith("/dev/shm")) {
                Files.deleteIfExists(scratch.getParent());
            }
        } catch (IOException e) {
            // a temporary file left behind is not a test failure
        }
    }
}
