package io.inlay.engine.internal.column;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.error.ParquetCorruptionException;
import io.inlay.engine.error.UnsupportedParquetException;
import io.inlay.engine.internal.CapacityException;
import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.ReadLimits;
import io.inlay.engine.internal.UnsupportedException;
import io.inlay.engine.internal.decode.Decoders;
import io.inlay.engine.internal.decode.Dictionary;
import io.inlay.engine.internal.decode.ValueDecoder;
import io.inlay.engine.internal.io.ByteRanges;
import io.inlay.engine.internal.levels.LevelReader;
import io.inlay.engine.internal.metadata.ChunkLocation;
import io.inlay.engine.internal.metadata.LeafColumn;
import io.inlay.engine.internal.page.PageHeaderView;
import io.inlay.engine.internal.page.PageReader;
import io.inlay.engine.trace.EngineEvents;
import io.inlay.engine.trace.Trace;
import io.inlay.engine.vector.ColumnVector;
import io.inlay.engine.vector.ValueType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.apache.parquet.format.Encoding;

/**
 * Decodes one column chunk into an Arrow-layout {@link ColumnVector}: walks its pages, turns
 * definition and repetition levels into validity bitmaps and list offsets, and values into the
 * values (or child) buffer.
 *
 * <p>Runs of present values take the fast path: a run of the maximum definition level is counted
 * without materialising it, its values are decoded in bulk, and list offsets are written only
 * where repetition levels are 0. Nulls, empty lists and null elements go through bounded batches.
 * Validity bitmaps are created at the first null. Heap scratch is a few fixed-size arrays.
 *
 * <p>Compressed PLAIN pages of fixed-width values whose levels say every value is present are
 * decompressed straight into the values buffer, where their bytes already have the output's
 * layout: no page buffer, no second copy (see {@link DirectPlacement}). Levels become validity bitmaps
 * and offsets in {@link LevelAssembly}; values land in {@link ValueSlots}; this class is the loop over
 * the chunk's pages.
 *
 * <p>Reusable from row group to row group; confined to one thread. With a caller arena, each
 * vector's memory is allocated from it; without, vectors are views of buffers reused by the next
 * {@link #decode} and freed by {@link #close}.
 */
public final class ChunkDecoder implements AutoCloseable {
    private static final int BATCH = 4096;
    /** The most decoded bytes per stored byte that buffers are planned for up front. */
    private static final long MAX_PLANNED_EXPANSION = 32;

    private final LeafColumn column;
    private final ColumnBuffers buffers;
    private final boolean ownsBuffers;
    private final PageReader pages;
    private final Dictionary dictionary;
    private final Decoders decoders;
    private final LevelSections levels = new LevelSections();
    private final LevelAssembly assembly = new LevelAssembly(BATCH);
    private final ValueSlots values;
    private final DirectPlacement direct;
    private final byte[] repBuf = new byte[BATCH];
    private final byte[] defBuf = new byte[BATCH];
    private final boolean[] present = new boolean[BATCH];
    private final int width;
    private final boolean isBool;
    private final boolean isBinary;
    private final boolean isList;
    private final long maxValuesPerByte;
    /** Whether PLAIN values are stored as they are output (same width, no conversion): the direct path's condition. */
    private final boolean plainAsStored;

    /**
     * @param column the column to decode
     * @param limits page limits and CRC verification
     * @param callerArena where vectors' memory comes from, or null to reuse buffers between decodes
     */
    public ChunkDecoder(LeafColumn column, ReadLimits limits, Arena callerArena) {
        this(column, limits, new ColumnBuffers(callerArena), true);
    }

    /**
     * A decoder working in {@code buffers}, which it closes on {@link #close} only if it {@code owns} them.
     */
    public ChunkDecoder(LeafColumn column, ReadLimits limits, ColumnBuffers buffers, boolean owns) {
        this.column = column;
        this.buffers = buffers;
        this.ownsBuffers = owns;
        this.dictionary = buffers.dictionary;
        this.pages = new PageReader(limits.verifyCrc(), limits.maxPageBytes(), limits.maxValuesPerPage(), buffers.page,
                false);
        pages.traceAs(column.name());
        this.decoders = new Decoders(column, dictionary);
        ValueType valueType = column.valueType();
        this.values = new ValueSlots(valueType, buffers.bitScratch);
        this.direct = new DirectPlacement(pages, column, values, levels, buffers.levelScratch);
        outputTo(buffers);
        this.width = valueType.byteWidth();
        this.isBool = valueType.isBitPacked();
        this.isBinary = valueType.isVariableLength();
        this.isList = column.list();
        this.maxValuesPerByte = limits.maxValuesPerByte();
        this.plainAsStored = !isBool && !isBinary && Decoders.physicalWidth(column) == width;
    }

    public LeafColumn column() {
        return column;
    }

    /**
     * Makes the next {@link #decode}s write their vectors into the output buffers of {@code target}
     * (its values, validity, offsets and binary buffers) instead; scratch (page, dictionary, levels)
     * stays the decoder's own. For keeping several decoded chunks of one column alive at once in
     * buffers reused across files; {@code target} is not closed by this decoder.
     */
    public void outputTo(ColumnBuffers target) {
        values.outputTo(target.values, target.binary);
        assembly.outputTo(target.validity, target.offsets, target.listValidity);
    }

    /**
     * Decodes a chunk of a file, whose bytes come from {@code file}.
     *
     * @param where the file, column and row group, for messages
     */
    public ColumnVector decode(ByteRanges file, ChunkLocation chunk, String where)
            throws ParquetCorruptionException, UnsupportedParquetException, IOException {
        long t0 = Trace.start();
        ColumnVector v = null;
        try {
            v = decodeChunk(file, chunk, where);
            return v;
        } finally {
            if (t0 != 0) {
                Trace.end(EngineEvents.DECODE, t0, column.name(), PageReader.codecName(chunk.codec()), chunk.numValues(),
                        chunk.length(), v == null ? 0 : vectorBytes(v), 0);
            }
        }
    }

    /** The bytes of a vector's buffers: validity, offsets, values, and its child's. */
    private static long vectorBytes(ColumnVector v) {
        long n = 0;
        for (; v != null; v = v.child()) {
            n += size(v.validity()) + size(v.offsets()) + size(v.values());
        }
        return n;
    }

    private static long size(MemorySegment m) {
        return m == null ? 0 : m.byteSize();
    }

    private ColumnVector decodeChunk(ByteRanges file, ChunkLocation chunk, String where)
            throws ParquetCorruptionException, UnsupportedParquetException, IOException {
        long compressed = Math.max(chunk.length(), 1);
        if (chunk.numValues() / compressed > maxValuesPerByte) {
            throw new ParquetCorruptionException(where + ": " + chunk.numValues() + " values in a chunk of "
                    + chunk.length() + " bytes is more than " + maxValuesPerByte + " values per byte");
        }
        if (!isList && chunk.numValues() != chunk.rows()) {
            throw new ParquetCorruptionException(where + ": the chunk holds " + chunk.numValues()
                    + " values but the row group has " + chunk.rows() + " rows");
        }
        if (isList && chunk.numValues() < chunk.rows()) {
            throw new ParquetCorruptionException(where + ": the chunk holds " + chunk.numValues()
                    + " levels, fewer than the row group's " + chunk.rows() + " rows");
        }
        try {
            begin(chunk);
            pages.start(file, chunk, where);
            while (pages.next()) {
                if (pages.kind() == PageReader.Kind.DICTIONARY) {
                    loadDictionary();
                } else {
                    dataPage();
                }
            }
        } catch (DecodeException e) {
            throw pages.pageError(e.getMessage());
        } catch (UnsupportedException e) {
            throw new UnsupportedParquetException(pages.pageError(e.getMessage()).getMessage());
        } catch (CapacityException e) {
            // any other IllegalStateException (a closed arena) reaches the caller as it is
            throw new UnsupportedParquetException(where + ": " + e.getMessage(), e);
        }
        long rows = rows();
        if (rows != chunk.rows()) {
            throw new ParquetCorruptionException(where + ": the pages hold " + rows + " rows but the row group has "
                    + chunk.rows());
        }
        return finish();
    }

    /** The rows decoded so far: a flat column's values, a list column's rows started. */
    private long rows() {
        return isList ? assembly.rows() : values.slots();
    }

    /**
     * The decoded bytes to plan buffers for: the footer's uncompressed size, which nothing checks and
     * which is only a hint, capped by what the chunk's stored bytes can plausibly expand to (a chunk
     * that decodes to more grows its buffers as pages prove it).
     */
    private static long plannedBytes(ChunkLocation chunk) {
        long stored = chunk.length();
        long cap = chunk.codec() == CompressionCodec.UNCOMPRESSED ? stored : stored * MAX_PLANNED_EXPANSION + (1 << 20);
        return Math.max(0, Math.min(chunk.meta().getTotal_uncompressed_size(), cap));
    }

    private void begin(ChunkLocation chunk) {
        long plausible = Math.max(1 << 16, 8 * Math.max(plannedBytes(chunk), chunk.length()) + 1024);
        long planRows = Math.min(chunk.rows(), plausible);
        long planSlots = Math.min(isList ? chunk.numValues() : chunk.rows(), plausible);
        direct.begin();
        dictionary.clear();
        values.begin(planSlots, Math.min(plannedBytes(chunk), Integer.MAX_VALUE));
        assembly.begin(planSlots, planRows, isList);
    }

    private void loadDictionary() throws DecodeException, ParquetCorruptionException, UnsupportedParquetException {
        Encoding enc = pages.view().encoding();
        if (enc != Encoding.PLAIN && enc != Encoding.PLAIN_DICTIONARY) {
            throw new UnsupportedParquetException(pages.pageError("dictionary page encoding " + enc + " is not supported")
                    .getMessage());
        }
        if (isBool) {
            throw pages.pageError("a dictionary page in a boolean column");
        }
        MemorySegment b = pages.body();
        if (isBinary) {
            dictionary.loadBinary(b, 0, b.byteSize(), pages.numValues());
        } else {
            dictionary.loadFixed(b, 0, b.byteSize(), pages.numValues(), Decoders.physicalWidth(column), width);
        }
    }

    private void dataPage() throws DecodeException, UnsupportedException, ParquetCorruptionException,
            UnsupportedParquetException {
        int n = pages.numValues();
        if (plainAsStored && n > 0 && pages.bodyPending() && pages.view().encoding() == Encoding.PLAIN) {
            DirectPlacement.Outcome outcome = pages.kind() == PageReader.Kind.DATA_V1 ? direct.v1(n) : direct.v2(n);
            switch (outcome) {
                case PLACED -> {
                    placed(n);
                    return;
                }
                case COPIED -> {
                    decodePage(direct.copy(), n);
                    return;
                }
                case NOT_PLACED -> { }
            }
        }
        decodePage(pages.body(), n);
    }

    /** Takes {@code n} present values that are already in place at the next slots. */
    private void placed(int n) throws DecodeException {
        if (isList) {
            assembly.startRowsOfRun(direct.rep(), n, values.slots());
        }
        values.placed(n);
    }

    /** Decodes a data page whose body (v1: levels and values; v2: values) is {@code body}. */
    private void decodePage(MemorySegment body, int n) throws DecodeException, UnsupportedException {
        PageHeaderView h = pages.view();
        long valuesOffset;
        if (pages.kind() == PageReader.Kind.DATA_V1) {
            valuesOffset = levels.v1(body, n, column.maxRep(), h.repetitionLevelEncoding(), column.maxDef(),
                    h.definitionLevelEncoding());
        } else {
            levels.v2(pages.levels(), h.repetitionLevelsLength(), h.definitionLevelsLength(), column.maxRep(),
                    column.maxDef());
            valuesOffset = 0;
        }
        Encoding encoding = h.encoding();
        if (encoding == null) {
            throw new DecodeException("unknown value encoding");
        }
        ValueDecoder d = decoders.forEncoding(encoding);
        d.init(body, valuesOffset, body.byteSize() - valuesOffset, n);
        if (isList) {
            listPage(levels.rep(), levels.def(), d, n);
        } else {
            flatPage(levels.def(), d, n);
        }
    }

    private void flatPage(LevelReader def, ValueDecoder d, int n) throws DecodeException {
        if (def == null) {
            values.dense(d, n);
            return;
        }
        int maxDef = column.maxDef();
        long remaining = n;
        while (remaining > 0) {
            long k = def.countRun(maxDef, remaining);
            if (k > 0) {
                values.dense(d, (int) k);
                remaining -= k;
                continue;
            }
            int b = (int) Math.min(BATCH, remaining);
            readLevels(def, defBuf, b, "definition");
            int p = 0;
            for (int i = 0; i < b; i++) {
                int dl = defBuf[i] & 0xff;
                if (dl > maxDef) {
                    throw new DecodeException("definition level " + dl + " exceeds the column's maximum " + maxDef);
                }
                boolean pres = dl == maxDef;
                present[i] = pres;
                p += pres ? 1 : 0;
            }
            values.spread(d, b, p, present, assembly);
            remaining -= b;
        }
    }

    private static void readLevels(LevelReader r, byte[] buf, int n, String what) throws DecodeException {
        int got = r.read(buf, 0, n);
        if (got < n) {
            throw new DecodeException(what + " levels end early: " + got + " of " + n + " read");
        }
    }

    private void listPage(LevelReader rep, LevelReader def, ValueDecoder d, int n) throws DecodeException {
        int valueDef = column.valueDef();
        int elementDef = column.elementDef();
        int listDef = column.listDef();
        long remaining = n;
        while (remaining > 0) {
            long k = def.countRun(valueDef, remaining);
            if (k > 0) {
                assembly.startRowsOfRun(rep, k, values.slots());
                values.dense(d, (int) k);
                remaining -= k;
                continue;
            }
            int b = (int) Math.min(BATCH, remaining);
            readLevels(rep, repBuf, b, "repetition");
            readLevels(def, defBuf, b, "definition");
            long slots = values.slots();
            int s = 0;
            int p = 0;
            for (int i = 0; i < b; i++) {
                int r = repBuf[i] & 0xff;
                int dl = defBuf[i] & 0xff;
                if (r > 1) {
                    throw new DecodeException("repetition level " + r + " exceeds the column's maximum 1");
                }
                if (dl > valueDef) {
                    throw new DecodeException("definition level " + dl + " exceeds the column's maximum " + valueDef);
                }
                if (r == 0) {
                    assembly.startRow(slots + s);
                    if (dl < listDef) {
                        assembly.markListNull(assembly.rows() - 1);
                        assembly.rowOpen(false);
                        continue;
                    }
                    if (dl == listDef) {
                        assembly.rowOpen(false);
                        continue;
                    }
                } else {
                    if (!assembly.rowOpen()) {
                        throw new DecodeException(assembly.noListMessage());
                    }
                    if (dl < elementDef) {
                        throw new DecodeException("definition level " + dl + " with repetition level 1 names no element"
                                + " (row " + (assembly.rows() - 1) + ")");
                    }
                }
                assembly.rowOpen(true);
                boolean pres = dl == valueDef;
                present[s++] = pres;
                p += pres ? 1 : 0;
            }
            values.spread(d, s, p, present, assembly);
            remaining -= b;
        }
    }

    private ColumnVector finish() {
        long slots = values.slots();
        ColumnVector flat = values.finish(assembly.slotNulls(), assembly.finishValidity(slots));
        return isList ? assembly.finishLists(slots, flat) : flat;
    }

    /** Pages of the last chunk decompressed straight into the values buffer. */
    public int pagesDecompressedInPlace() {
        return direct.pagesInPlace();
    }

    /** Pages of the last chunk that carried a CRC. */
    public int pagesWithCrc() {
        return pages.pagesWithCrc();
    }

    @Override
    public void close() {
        pages.close();
        if (ownsBuffers) {
            buffers.close();
        }
    }
}
