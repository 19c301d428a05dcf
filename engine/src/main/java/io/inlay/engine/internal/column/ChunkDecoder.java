package io.inlay.engine.internal.column;

import io.inlay.codec.CompressionCodec;
import io.inlay.engine.internal.CapacityException;
import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.decode.Bits;
import io.inlay.engine.internal.decode.Decoders;
import io.inlay.engine.internal.decode.Dictionary;
import io.inlay.engine.internal.decode.ValueDecoder;
import io.inlay.engine.internal.io.ByteRanges;
import io.inlay.engine.internal.levels.BitPackedLevelReader;
import io.inlay.engine.internal.levels.LevelReader;
import io.inlay.engine.internal.memory.BinaryOutput;
import io.inlay.engine.internal.memory.GrowableBuffer;
import io.inlay.engine.internal.memory.Layouts;
import io.inlay.engine.internal.memory.OutputBuffer;
import io.inlay.engine.internal.metadata.ChunkLocation;
import io.inlay.engine.internal.metadata.LeafColumn;
import io.inlay.engine.internal.page.PageHeaderView;
import io.inlay.engine.internal.page.PageReader;
import io.inlay.engine.internal.rle.RleBitPackedDecoder;
import io.inlay.engine.read.ParquetCorruptionException;
import io.inlay.engine.read.ReadOptions;
import io.inlay.engine.read.UnsupportedParquetException;
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
 * layout: no page buffer, no second copy (see {@link #directV1} and {@link #directV2}).
 *
 * <p>Reusable from row group to row group; confined to one thread. With a caller arena, each
 * vector's memory is allocated from it; without, vectors are views of buffers reused by the next
 * {@link #decode} and freed by {@link #close}.
 */
public final class ChunkDecoder implements AutoCloseable {
    private static final int BATCH = 4096;
    /** The most decoded bytes per stored byte that buffers are planned for up front. */
    private static final long MAX_PLANNED_EXPANSION = 32;
    /** The most level bytes of a v1 page the direct path expects, and so keeps aside from the output. */
    private static final long MAX_PREDICTED_LEVEL_BYTES = 1 << 16;

    private final LeafColumn column;
    private final ColumnBuffers buffers;
    private final boolean ownsBuffers;
    private final PageReader pages;
    private final Dictionary dictionary;
    private final Decoders decoders;
    private final RleBitPackedDecoder repRle = new RleBitPackedDecoder();
    private final RleBitPackedDecoder defRle = new RleBitPackedDecoder();
    private final BitPackedLevelReader repBits = new BitPackedLevelReader();
    private final BitPackedLevelReader defBits = new BitPackedLevelReader();
    private final byte[] repBuf = new byte[BATCH];
    private final byte[] defBuf = new byte[BATCH];
    private final boolean[] present = new boolean[BATCH];
    private final int[] zeros = new int[BATCH];
    private final GrowableBuffer bitScratch;
    private final GrowableBuffer levelScratch;

    private OutputBuffer values;
    private OutputBuffer validity;
    private OutputBuffer offsets;
    private OutputBuffer listValidity;
    private BinaryOutput binary;
    private final ValueType valueType;
    private final int width;
    private final boolean isBool;
    private final boolean isBinary;
    private final boolean isList;
    private final long maxValuesPerByte;
    /** Whether PLAIN values are stored as they are output (same width, no conversion): the direct path's condition. */
    private final boolean plainAsStored;

    private MemorySegment valuesSeg;
    private MemorySegment validitySeg;
    private MemorySegment offsetsSeg;
    private MemorySegment listValiditySeg;
    private long slots;
    private long slotNulls;
    private boolean validityOn;
    private long validityUpTo;
    private long rows;
    private long listNulls;
    private boolean listValidityOn;
    private long listValidityUpTo;
    private boolean rowOpen;
    private long planSlots;
    private long planRows;
    /** The level bytes of the chunk's last v1 page decompressed directly (0 before the first): the next one's guess. */
    private long lastLevelBytes;
    private int pagesInPlace;

    /**
     * @param column the column to decode
     * @param options limits and CRC verification
     * @param callerArena where vectors' memory comes from, or null to reuse buffers between decodes
     */
    public ChunkDecoder(LeafColumn column, ReadOptions options, Arena callerArena) {
        this(column, options, new ColumnBuffers(callerArena), true);
    }

    /**
     * A decoder working in {@code buffers}, which it closes on {@link #close} only if it {@code owns} them.
     */
    public ChunkDecoder(LeafColumn column, ReadOptions options, ColumnBuffers buffers, boolean owns) {
        this.column = column;
        this.buffers = buffers;
        this.ownsBuffers = owns;
        this.dictionary = buffers.dictionary;
        this.bitScratch = buffers.bitScratch;
        this.levelScratch = buffers.levelScratch;
        this.pages = new PageReader(options.verifyCrc(), options.maxPageBytes(), options.maxValuesPerPage(), buffers.page,
                false);
        pages.traceAs(column.name());
        this.decoders = new Decoders(column, dictionary);
        this.values = buffers.values;
        this.validity = buffers.validity;
        this.offsets = buffers.offsets;
        this.listValidity = buffers.listValidity;
        this.binary = buffers.binary;
        this.valueType = column.valueType();
        this.width = valueType.byteWidth();
        this.isBool = valueType.isBitPacked();
        this.isBinary = valueType.isVariableLength();
        this.isList = column.list();
        this.maxValuesPerByte = options.maxValuesPerByte();
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
        this.values = target.values;
        this.validity = target.validity;
        this.offsets = target.offsets;
        this.listValidity = target.listValidity;
        this.binary = target.binary;
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
        } catch (CapacityException e) {
            // any other IllegalStateException (a closed arena) reaches the caller as it is
            throw new UnsupportedParquetException(where + ": " + e.getMessage(), e);
        }
        if (rows != chunk.rows()) {
            throw new ParquetCorruptionException(where + ": the pages hold " + rows + " rows but the row group has "
                    + chunk.rows());
        }
        return finish();
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
        planRows = Math.min(chunk.rows(), plausible);
        planSlots = Math.min(isList ? chunk.numValues() : chunk.rows(), plausible);
        slots = 0;
        slotNulls = 0;
        validityOn = false;
        validityUpTo = 0;
        rows = 0;
        listNulls = 0;
        listValidityOn = false;
        listValidityUpTo = 0;
        rowOpen = false;
        lastLevelBytes = 0;
        pagesInPlace = 0;
        dictionary.clear();
        if (isBinary) {
            binary.begin(planSlots, Math.min(plannedBytes(chunk), Integer.MAX_VALUE));
        } else {
            valuesSeg = values.begin(valueBytes(planSlots));
        }
        if (isList) {
            offsetsSeg = offsets.begin((planRows + 1) * 4);
        }
    }

    private long valueBytes(long n) {
        return isBool ? (n + 7) / 8 : n * width;
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

    private static int bitWidth(int maxLevel) {
        return 32 - Integer.numberOfLeadingZeros(maxLevel);
    }

    private void dataPage() throws DecodeException, ParquetCorruptionException, UnsupportedParquetException {
        int n = pages.numValues();
        if (plainAsStored && n > 0 && pages.bodyPending() && pages.view().encoding() == Encoding.PLAIN) {
            boolean done = pages.kind() == PageReader.Kind.DATA_V1 ? directV1(n) : directV2(n);
            if (done) {
                return;
            }
        }
        decodePage(pages.body(), n);
    }

    /** Decodes a data page whose body (v1: levels and values; v2: values) is {@code vals}. */
    private void decodePage(MemorySegment vals, int n)
            throws DecodeException, ParquetCorruptionException, UnsupportedParquetException {
        LevelReader rep = null;
        LevelReader def = null;
        Encoding encoding;
        long valsOff;
        if (pages.kind() == PageReader.Kind.DATA_V1) {
            encoding = pages.view().encoding();
            valsOff = v1Levels(vals, n);
            rep = v1Rep();
            def = v1Def();
        } else {
            PageHeaderView h = pages.view();
            encoding = h.encoding();
            MemorySegment lv = pages.levels();
            int rl = h.repetitionLevelsLength();
            int dl = h.definitionLevelsLength();
            if (column.maxRep() > 0) {
                repRle.init(lv, 0, rl, bitWidth(column.maxRep()));
                rep = repRle;
            }
            if (column.maxDef() > 0) {
                defRle.init(lv, rl, dl, bitWidth(column.maxDef()));
                def = defRle;
            }
            valsOff = 0;
        }
        if (encoding == null) {
            throw pages.pageError("unknown value encoding");
        }
        ValueDecoder d = decoders.forEncoding(encoding);
        if (d == null) {
            throw new UnsupportedParquetException(pages.pageError("encoding " + encoding + " is not supported for "
                    + column.physicalType() + " values").getMessage());
        }
        d.init(vals, valsOff, vals.byteSize() - valsOff, n);
        if (isList) {
            listPage(rep, def, d, n);
        } else {
            flatPage(def, d, n);
        }
    }

    /** Sets up the level readers on a v1 page body; returns where its values start. */
    private long v1Levels(MemorySegment body, int n) throws DecodeException, UnsupportedParquetException {
        PageHeaderView h = pages.view();
        long off = 0;
        if (column.maxRep() > 0) {
            off = levelSection(body, off, h.repetitionLevelEncoding(), column.maxRep(), n, repRle, repBits);
        }
        if (column.maxDef() > 0) {
            off = levelSection(body, off, h.definitionLevelEncoding(), column.maxDef(), n, defRle, defBits);
        }
        return off;
    }

    /** The repetition level reader {@link #v1Levels} set up, or null when the column has none. */
    private LevelReader v1Rep() {
        return column.maxRep() == 0 ? null
                : pages.view().repetitionLevelEncoding() == Encoding.BIT_PACKED ? repBits : repRle;
    }

    /** The definition level reader {@link #v1Levels} set up, or null when the column has none. */
    private LevelReader v1Def() {
        return column.maxDef() == 0 ? null
                : pages.view().definitionLevelEncoding() == Encoding.BIT_PACKED ? defBits : defRle;
    }

    // ---- compressed PLAIN pages decompressed into the output ----

    /** Whether all {@code n} levels of {@code def} (null: the column has none) are a present value's; consumes them. */
    private boolean allPresent(LevelReader def, int n) throws DecodeException {
        return def == null || def.countRun(isList ? column.valueDef() : column.maxDef(), n) == n;
    }

    /** Takes {@code n} present values that are already in place at the next slots. */
    private void placedValues(LevelReader rep, int n) throws DecodeException {
        pagesInPlace++;
        if (isList) {
            startRowsOfRun(rep, n);
        }
        slots += n;
        if (!isList) {
            rows = slots;
        }
    }

    /**
     * A v2 page: its levels are stored apart from its values, so when the levels say all {@code n}
     * values are present and the values section is their PLAIN bytes, it decompresses into the
     * values buffer at the next slot.
     *
     * @return false, having changed nothing, when the page does not qualify
     */
    private boolean directV2(int n) throws DecodeException, ParquetCorruptionException, UnsupportedParquetException {
        long size = pages.pendingBodySize();
        if (size != (long) n * width) {
            return false;
        }
        PageHeaderView h = pages.view();
        MemorySegment lv = pages.levels();
        int rl = h.repetitionLevelsLength();
        if (column.maxDef() > 0) {
            defRle.init(lv, rl, h.definitionLevelsLength(), bitWidth(column.maxDef()));
            if (!allPresent(defRle, n)) {
                return false;
            }
        }
        ensureValues(slots + n);
        pages.decompressBodyInto(valuesSeg.asSlice(slots * width, size));
        if (isList) {
            repRle.init(lv, 0, rl, bitWidth(column.maxRep()));
        }
        placedValues(repRle, n);
        return true;
    }

    /**
     * A v1 page, whose levels are compressed together with its values: the page decompresses into
     * the values buffer so that its values land at the next slot, which means its level sections
     * land just before, over values already decoded. Those bytes are kept aside first and put back
     * once the levels are copied out. How many there are is known only after decompressing, so the
     * last page's level size is the guess (pages of a chunk mostly agree); when it is wrong, the
     * values move into place (a copy within the page just written, as for the chunk's first page).
     * A page whose levels hold anything but present values is decoded as usual from a copy.
     *
     * @return false, having changed nothing, when the page cannot be placed (too little room left)
     */
    private boolean directV1(int n) throws DecodeException, ParquetCorruptionException, UnsupportedParquetException {
        long size = pages.pendingBodySize();
        long valueBytes = (long) n * width;
        if (size < valueBytes) {
            return false;
        }
        ensureValues(slots + n);
        long base = slots * width;
        long kept = lastLevelBytes <= base && lastLevelBytes <= MAX_PREDICTED_LEVEL_BYTES ? lastLevelBytes : 0;
        long start = base - kept;
        if (start + size > valuesSeg.byteSize()) {
            return false;
        }
        MemorySegment aside = levelScratch.ensure(Math.max(kept, 1), 0);
        MemorySegment.copy(valuesSeg, start, aside, 0, kept);
        MemorySegment page = valuesSeg.asSlice(start, size);
        pages.decompressBodyInto(page);
        long levelBytes = v1Levels(page, n);
        boolean placed = size - levelBytes >= valueBytes && allPresent(v1Def(), n);
        long copied = placed ? levelBytes : size;
        aside = levelScratch.ensure(kept + copied, kept);
        MemorySegment.copy(page, 0, aside, kept, copied);
        if (placed && start + levelBytes != base) {
            MemorySegment.copy(valuesSeg, start + levelBytes, valuesSeg, base, valueBytes);
        }
        MemorySegment.copy(aside, 0, valuesSeg, start, kept);
        lastLevelBytes = levelBytes;
        MemorySegment copy = aside.asSlice(kept, copied);
        if (!placed) {
            decodePage(copy, n);
            return true;
        }
        v1Levels(copy, n);
        placedValues(v1Rep(), n);
        return true;
    }

    /** Sets up a v1 level section at {@code off}; returns where the next section starts. */
    private long levelSection(MemorySegment body, long off, Encoding enc, int maxLevel, int n, RleBitPackedDecoder rle,
            BitPackedLevelReader bits) throws DecodeException, UnsupportedParquetException {
        long remaining = body.byteSize() - off;
        int bw = bitWidth(maxLevel);
        if (enc == Encoding.RLE) {
            if (remaining < 4) {
                throw new DecodeException("the level section's length prefix is missing (" + remaining + " bytes left)");
            }
            long len = Integer.toUnsignedLong(body.get(Layouts.LE_INT, off));
            if (len > remaining - 4) {
                throw new DecodeException("a level section of " + len + " bytes runs past the page (" + (remaining - 4)
                        + " bytes left)");
            }
            rle.init(body, off + 4, len, bw);
            return off + 4 + len;
        }
        if (enc == Encoding.BIT_PACKED) {
            bits.init(body, off, remaining, bw, n);
            return off + BitPackedLevelReader.byteLength(n, bw);
        }
        throw new UnsupportedParquetException(pages.pageError("level encoding " + enc + " is not supported").getMessage());
    }

    // ---- flat columns ----

    private void flatPage(LevelReader def, ValueDecoder d, int n) throws DecodeException {
        if (def == null) {
            decodeDense(d, n);
            rows = slots;
            return;
        }
        int maxDef = column.maxDef();
        long remaining = n;
        while (remaining > 0) {
            long k = def.countRun(maxDef, remaining);
            if (k > 0) {
                decodeDense(d, (int) k);
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
            decodeSpread(d, b, p);
            remaining -= b;
        }
        rows = slots;
    }

    private static void readLevels(LevelReader r, byte[] buf, int n, String what) throws DecodeException {
        int got = r.read(buf, 0, n);
        if (got < n) {
            throw new DecodeException(what + " levels end early: " + got + " of " + n + " read");
        }
    }

    // ---- list columns ----

    private void listPage(LevelReader rep, LevelReader def, ValueDecoder d, int n) throws DecodeException {
        int valueDef = column.valueDef();
        int elementDef = column.elementDef();
        int listDef = column.listDef();
        long remaining = n;
        while (remaining > 0) {
            long k = def.countRun(valueDef, remaining);
            if (k > 0) {
                startRowsOfRun(rep, k);
                decodeDense(d, (int) k);
                remaining -= k;
                continue;
            }
            int b = (int) Math.min(BATCH, remaining);
            readLevels(rep, repBuf, b, "repetition");
            readLevels(def, defBuf, b, "definition");
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
                    startRow(slots + s);
                    if (dl < listDef) {
                        markListNull(rows - 1);
                        rowOpen = false;
                        continue;
                    }
                    if (dl == listDef) {
                        rowOpen = false;
                        continue;
                    }
                } else {
                    if (!rowOpen) {
                        throw new DecodeException(noListMessage());
                    }
                    if (dl < elementDef) {
                        throw new DecodeException("definition level " + dl + " with repetition level 1 names no element"
                                + " (row " + (rows - 1) + ")");
                    }
                }
                rowOpen = true;
                boolean pres = dl == valueDef;
                present[s++] = pres;
                p += pres ? 1 : 0;
            }
            decodeSpread(d, s, p);
            remaining -= b;
        }
    }

    /** Starts the rows of a run of {@code k} present elements: where the repetition level is 0. */
    private void startRowsOfRun(LevelReader rep, long k) throws DecodeException {
        long done = 0;
        while (done < k) {
            int c = (int) Math.min(BATCH, k - done);
            int z = rep.collectZeros(c, zeros);
            if ((z == 0 || zeros[0] != 0) && !rowOpen) {
                throw new DecodeException(noListMessage());
            }
            for (int i = 0; i < z; i++) {
                startRow(slots + done + zeros[i]);
            }
            rowOpen = true;
            done += c;
        }
    }

    private String noListMessage() {
        return rows == 0 ? "the first repetition level is 1: a row must start with repetition level 0"
                : "repetition level 1 continues a null or empty list (row " + (rows - 1) + ")";
    }

    private void startRow(long elementIndex) {
        if (elementIndex > Integer.MAX_VALUE) {
            throw new CapacityException("more than 2^31 list elements in one row group do not fit int32 offsets");
        }
        long at = rows * 4;
        if (at + 8 > offsetsSeg.byteSize()) {
            offsetsSeg = offsets.ensure(Math.max(at + 8, (planRows + 1) * 4), at);
        }
        offsetsSeg.set(Layouts.LE_INT, at, (int) elementIndex);
        rows++;
    }

    private void markListNull(long row) {
        if (!listValidityOn) {
            listValiditySeg = listValidity.begin((Math.max(planRows, row + 1) + 7) / 8);
            listValidityOn = true;
            listValidityUpTo = 0;
        }
        listValiditySeg = listValidity.ensure((row + 8) / 8, (listValidityUpTo + 7) / 8);
        Bits.fill(listValiditySeg, listValidityUpTo, row - listValidityUpTo, true);
        Bits.set(listValiditySeg, row, false);
        listValidityUpTo = row + 1;
        listNulls++;
    }

    // ---- values ----

    private void ensureValues(long n) {
        if (!isBinary) {
            long need = valueBytes(n);
            if (need > valuesSeg.byteSize()) {
                valuesSeg = values.ensure(Math.max(need, valueBytes(planSlots)), valueBytes(slots));
            }
        }
    }

    private static void checkAvailable(ValueDecoder d, long wanted) throws DecodeException {
        if (wanted > d.maxAvailable()) {
            throw new DecodeException("the levels call for " + wanted + " values but the page holds at most "
                    + d.maxAvailable());
        }
    }

    /** Decodes {@code k} present values into the next {@code k} slots. */
    private void decodeDense(ValueDecoder d, int k) throws DecodeException {
        checkAvailable(d, k);
        ensureValues(slots + k);
        if (isBinary) {
            d.readBinary(binary, k);
        } else if (isBool) {
            d.readBits(valuesSeg, slots, k);
        } else {
            d.readFixed(valuesSeg, slots * width, k);
        }
        slots += k;
    }

    /** Fills the next {@code b} slots: {@code p} present values placed where {@code present[i]} is set. */
    private void decodeSpread(ValueDecoder d, int b, int p) throws DecodeException {
        checkAvailable(d, p);
        ensureValues(slots + b);
        if (isBinary) {
            int i = 0;
            while (i < b) {
                if (present[i]) {
                    int run = 1;
                    while (i + run < b && present[i + run]) {
                        run++;
                    }
                    d.readBinary(binary, run);
                    i += run;
                } else {
                    binary.appendEmpty();
                    markNull(slots + i);
                    i++;
                }
            }
        } else if (isBool) {
            MemorySegment scratch = bitScratch.ensure(Math.max(1, (p + 7) / 8), 0);
            d.readBits(scratch, 0, p);
            int j = 0;
            for (int i = 0; i < b; i++) {
                if (present[i]) {
                    Bits.set(valuesSeg, slots + i, Bits.get(scratch, j++));
                } else {
                    Bits.set(valuesSeg, slots + i, false);
                    markNull(slots + i);
                }
            }
        } else {
            long base = slots * width;
            d.readFixed(valuesSeg, base, p);
            // spread from the back: value j moves to slot i >= j
            int j = p - 1;
            for (int i = b - 1; i >= 0; i--) {
                long dst = base + (long) i * width;
                if (present[i]) {
                    if (j != i) {
                        MemorySegment.copy(valuesSeg, base + (long) j * width, valuesSeg, dst, width);
                    }
                    j--;
                } else {
                    valuesSeg.asSlice(dst, width).fill((byte) 0);
                }
            }
            for (int i = 0; i < b; i++) {
                if (!present[i]) {
                    markNull(slots + i);
                }
            }
        }
        slots += b;
    }

    private void markNull(long slot) {
        if (!validityOn) {
            validitySeg = validity.begin((Math.max(planSlots, slot + 1) + 7) / 8);
            validityOn = true;
            validityUpTo = 0;
        }
        validitySeg = validity.ensure((slot + 8) / 8, (validityUpTo + 7) / 8);
        Bits.fill(validitySeg, validityUpTo, slot - validityUpTo, true);
        Bits.set(validitySeg, slot, false);
        validityUpTo = slot + 1;
        slotNulls++;
    }

    // ---- finishing ----

    private ColumnVector finish() {
        ColumnVector flat = finishValues(slots);
        if (!isList) {
            return flat;
        }
        long at = rows * 4;
        if (at + 4 > offsetsSeg.byteSize()) {
            offsetsSeg = offsets.ensure(at + 4, at);
        }
        offsetsSeg.set(Layouts.LE_INT, at, (int) slots);
        MemorySegment listBits = null;
        if (listValidityOn) {
            listValiditySeg = listValidity.ensure((rows + 7) / 8, (listValidityUpTo + 7) / 8);
            Bits.fill(listValiditySeg, listValidityUpTo, rows - listValidityUpTo, true);
            listBits = listValidity.finish((rows + 7) / 8);
        }
        return ColumnVector.ofLists(rows, listNulls, listBits, offsets.finish((rows + 1) * 4), flat);
    }

    private ColumnVector finishValues(long n) {
        MemorySegment bits = null;
        if (validityOn) {
            validitySeg = validity.ensure((n + 7) / 8, (validityUpTo + 7) / 8);
            Bits.fill(validitySeg, validityUpTo, n - validityUpTo, true);
            bits = validity.finish((n + 7) / 8);
        }
        if (isBinary) {
            return ColumnVector.ofVariableLength(valueType, n, slotNulls, bits, binary.finishOffsets(), binary.finishData());
        }
        return ColumnVector.ofValues(valueType, n, slotNulls, bits, values.finish(valueBytes(n)));
    }

    /** Pages of the last chunk decompressed straight into the values buffer. */
    public int pagesDecompressedInPlace() {
        return pagesInPlace;
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
