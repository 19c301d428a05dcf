package io.inlay.bench.read;

import io.inlay.codec.CodecRegistry;
import io.inlay.codec.Decompressor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The floor: how fast this JVM can get at the values at all, with no Parquet decoding beyond
 * finding the pages ({@link PageIndex}, built when the contender opens, as is the mapping of the
 * whole file with {@code FileChannel.map(READ_ONLY, 0, size, arena)}). An operation then walks
 * every data page:
 *
 * <ul>
 *   <li>{@link Mode#SCAN} ({@code floor-scan}): sums the values in place in the mapping when the
 *       page is uncompressed; a compressed page is first decompressed (Inlay's codec SPI) into a
 *       reused off-heap page buffer, so for compressed files this is the raw decompression speed.</li>
 *   <li>{@link Mode#COPY} ({@code floor-copy}): as SCAN, but the page's values are first copied
 *       with {@code MemorySegment.copy} into a reused off-heap buffer and summed there: the cost
 *       of materialising values once.</li>
 *   <li>{@link Mode#DECOMPRESS} ({@code floor-decompress}, compressed files only): as SCAN for
 *       {@link #sum()}; its {@link #decode()} only decompresses every page into the reused page
 *       buffer and reads none of the values: the raw decompression speed of the file's pages.</li>
 *   <li>{@link Mode#PLACE} ({@code floor-place}): as SCAN for {@link #sum()}; its
 *       {@link #decode()} decompresses (uncompressed: copies) every page into its own place in a
 *       buffer the size of a row group, kept across operations, and reads none of the values: the
 *       least a reader that materialises a row group's values in memory must do. Unlike
 *       {@code floor-decompress}, whose one page buffer stays in the CPU's cache, its output goes
 *       to memory, as every decoded vector's does.</li>
 *   <li>{@link Mode#PLACE_FRESH} ({@code floor-place-fresh}): as PLACE, but each row group's
 *       buffer is new memory taken for the operation ({@link FreshMemory}: 2 MiB-aligned, huge
 *       pages) and freed at its end, all of them alive until then: the least the default read mode
 *       into a fresh arena must do.</li>
 *   <li>{@link Mode#SCAN_OPEN} ({@code floor-scan-open}): as SCAN, but every operation opens and
 *       maps the file afresh and unmaps it at its end, as a reader does that opens each file it
 *       reads (Inlay's contenders do): the page-table work of mapping (a fault per 16 pages of
 *       page cache, and the unmap) is then part of the time.</li>
 * </ul>
 *
 * With more threads, each thread takes a contiguous share of the pages, with its own buffers and
 * decompressor. Nothing is allocated per page beyond what a codec adapter allocates inside
 * {@code decompress} (see bench/README.md, Codecs).
 */
public final class FloorContender implements Contender {

    /** Which floor. */
    public enum Mode {
        SCAN, COPY, SCAN_OPEN, DECOMPRESS, PLACE, PLACE_FRESH;

        String contenderName() {
            return "floor-" + name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Registers {@code floor-scan} and {@code floor-copy}. */
    public static final class Factory implements ContenderFactory {
        private final Mode mode;

        public Factory(Mode mode) {
            this.mode = mode;
        }

        @Override
        public String name() {
            return mode.contenderName();
        }

        @Override
        public boolean supportsCodec(String codec) {
            return mode != Mode.DECOMPRESS || !codec.equals("none");
        }

        @Override
        public Contender open(ReadTarget target) throws Exception {
            return new FloorContender(target, mode);
        }
    }

    private final Mode mode;
    private final java.nio.file.Path path;
    /** SCAN_OPEN: this operation's mapping, read by the worker threads. */
    private volatile MemorySegment opened;
    private final Arena arena;
    private final MemorySegment file;
    private final PageIndex index;
    private final Workers workers;
    /** Per page: its compressed body in the mapping (made once: a slice per read would allocate). */
    private final MemorySegment[] bodies;
    /** Per thread and page: the part of the thread's page buffer the page decompresses into. */
    private final MemorySegment[][] pageBuffers;
    private final MemorySegment[] valueBuffers;
    private final Decompressor[] decompressors;
    /** Per page: where it starts in a buffer for its row group (PLACE, PLACE_FRESH). */
    private final long[] placeOffsets;
    /** Per row group: the bytes its pages decompress to (the size of that buffer). */
    private final long[] groupBytes;
    /** PLACE: per thread and page, the page's place in the thread's row-group buffer (else null). */
    private final MemorySegment[][] places;
    /** Made once: a method reference made per operation would be an allocation per read. */
    private final Workers.Part part = this::sumPart;
    private final Workers.Part decompressPart;
    private final Workers.Part placePart;
    private final Workers.Part placeFreshPart = this::placeFreshPart;

    private FloorContender(ReadTarget target, Mode mode) throws Exception {
        this.mode = mode;
        this.path = target.file();
        this.arena = Arena.ofShared();
        boolean ok = false;
        try {
            try (FileChannel ch = FileChannel.open(target.file(), StandardOpenOption.READ)) {
                this.file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            }
            this.index = PageIndex.build(file, target.file().toString());
            int threads = target.threads();
            int pages = index.pages.size();
            this.bodies = new MemorySegment[pages];
            for (int i = 0; i < pages; i++) {
                PageIndex.Page page = index.pages.get(i);
                bodies[i] = file.asSlice(page.bodyOffset(), page.bodySize());
            }
            this.pageBuffers = new MemorySegment[threads][pages];
            this.valueBuffers = new MemorySegment[threads];
            this.decompressors = new Decompressor[threads];
            for (int t = 0; t < threads; t++) {
                MemorySegment pageBuffer = arena.allocate(Math.max(1, index.largestBody), 64);
                for (int i = 0; i < pages; i++) {
                    pageBuffers[t][i] = pageBuffer.asSlice(0, index.pages.get(i).uncompressedBodySize());
                }
                valueBuffers[t] = arena.allocate(Math.max(1, index.largestBody), 64);
                decompressors[t] = CodecRegistry.standard().provider(index.codec).newDecompressor();
            }
            this.placeOffsets = new long[pages];
            this.groupBytes = new long[index.rowGroups];
            for (int i = 0; i < pages; i++) {
                PageIndex.Page page = index.pages.get(i);
                placeOffsets[i] = groupBytes[page.rowGroup()];
                groupBytes[page.rowGroup()] += page.uncompressedBodySize();
            }
            this.places = mode == Mode.PLACE ? places(threads) : null;
            this.decompressPart = (part, parts) -> placeAll(part, parts, pageBuffers);
            this.placePart = (part, parts) -> placeAll(part, parts, places);
            this.workers = new Workers(threads, mode.contenderName());
            ok = true;
        } finally {
            if (!ok) {
                arena.close();
            }
        }
    }

    @Override
    public double sum() throws Exception {
        if (mode != Mode.SCAN_OPEN) {
            return workers.sum(part);
        }
        try (Arena op = Arena.ofShared(); FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            opened = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), op);
            try {
                return workers.sum(part);
            } finally {
                opened = null;
            }
        }
    }

    /** PLACE: one buffer per thread as large as the largest row group, each page's place in it. */
    private MemorySegment[][] places(int threads) {
        int n = index.pages.size();
        long largest = java.util.Arrays.stream(groupBytes).max().orElse(0);
        MemorySegment[][] out = new MemorySegment[threads][n];
        for (int t = 0; t < threads; t++) {
            MemorySegment buffer = arena.allocate(Math.max(1, largest), 64);
            for (int i = 0; i < n; i++) {
                out[t][i] = buffer.asSlice(placeOffsets[i], index.pages.get(i).uncompressedBodySize());
            }
        }
        return out;
    }

    @Override
    public double decode() throws Exception {
        return switch (mode) {
            case DECOMPRESS -> workers.sum(decompressPart);
            case PLACE -> workers.sum(placePart);
            case PLACE_FRESH -> workers.sum(placeFreshPart);
            default -> sum();
        };
    }

    /** PLACE_FRESH: as PLACE into a new buffer per row group, all freed once this share is done. */
    private double placeFreshPart(int part, int parts) throws Exception {
        int n = index.pages.size();
        int from = Workers.from(part, parts, n);
        int to = Workers.from(part + 1, parts, n);
        Decompressor decompressor = decompressors[part];
        MemorySegment[] taken = new MemorySegment[index.rowGroups];
        double probe = 0;
        try {
            for (int i = from; i < to; i++) {
                PageIndex.Page page = index.pages.get(i);
                int group = page.rowGroup();
                if (taken[group] == null) {
                    taken[group] = FreshMemory.allocate(groupBytes[group]);
                }
                probe += place(decompressor, page, bodies[i], taken[group].asSlice(placeOffsets[i], page.uncompressedBodySize()));
            }
        } finally {
            for (MemorySegment m : taken) {
                if (m != null) {
                    FreshMemory.free(m);
                }
            }
        }
        return probe;
    }

    /**
     * PLACE and DECOMPRESS: this thread's share of the pages decompressed (uncompressed: copied)
     * into {@code targets[part][page]}, one byte of each read back.
     */
    private double placeAll(int part, int parts, MemorySegment[][] targets) throws Exception {
        int n = index.pages.size();
        int from = Workers.from(part, parts, n);
        int to = Workers.from(part + 1, parts, n);
        MemorySegment[] target = targets[part];
        Decompressor decompressor = decompressors[part];
        double probe = 0;
        for (int i = from; i < to; i++) {
            probe += place(decompressor, index.pages.get(i), bodies[i], target[i]);
        }
        return probe;
    }

    /** Decompresses (uncompressed: copies) a page's stored body into {@code out}; returns its last byte. */
    private static double place(Decompressor decompressor, PageIndex.Page page, MemorySegment body, MemorySegment out)
            throws Exception {
        if (page.compressed()) {
            decompressor.decompress(body, out);
        } else {
            MemorySegment.copy(body, 0, out, 0, out.byteSize());
        }
        return out.get(java.lang.foreign.ValueLayout.JAVA_BYTE, out.byteSize() - 1);
    }

    private double sumPart(int part, int parts) throws Exception {
        int n = index.pages.size();
        int from = Workers.from(part, parts, n);
        int to = Workers.from(part + 1, parts, n);
        MemorySegment[] pageBuffer = pageBuffers[part];
        MemorySegment valueBuffer = valueBuffers[part];
        Decompressor decompressor = decompressors[part];
        MemorySegment mapping = mode == Mode.SCAN_OPEN ? opened : file;
        double sum = 0;
        for (int i = from; i < to; i++) {
            PageIndex.Page page = index.pages.get(i);
            MemorySegment values;
            long offset;
            if (page.compressed()) {
                MemorySegment body = pageBuffer[i];
                decompressor.decompress(mode == Mode.SCAN_OPEN
                        ? mapping.asSlice(page.bodyOffset(), page.bodySize()) : bodies[i], body);
                values = body;
                offset = page.v1Levels() ? index.valuesStart(body) : 0;
            } else {
                values = mapping;
                offset = page.valuesOffset();
            }
            if (mode == Mode.COPY) {
                MemorySegment.copy(values, offset, valueBuffer, 0, 4L * page.values());
                values = valueBuffer;
                offset = 0;
            }
            sum += FloatSums.sum(values, offset, page.values());
        }
        return sum;
    }

    @Override
    public void close() {
        workers.close();
        for (Decompressor d : decompressors) {
            if (d != null) {
                d.close();
            }
        }
        arena.close();
    }
}
