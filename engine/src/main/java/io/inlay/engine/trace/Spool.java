package io.inlay.engine.trace;

import io.inlay.engine.internal.os.DirectFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Events written out during the run as they are held in memory, to be formatted into the trace
 * file after it: a stash past its budget goes to this file beside the trace
 * ({@code trace-0-of-1.pfw.spool}) as its 64-byte records and the texts of its arguments, once
 * each, and {@link #replay} hands them, in order, to the trace's format at the session's flush or
 * close, which then deletes the file.
 *
 * <p>Why: formatting an event as JSON costs the writer thread some 0.1 us, a line of some 190
 * bytes; on a run of many small files (dlrm with {@code pread}: about a million events a second
 * on two cores) that was 5% of the process's CPU, taken from the run's own threads. Written as
 * they are, with {@code O_DIRECT} from the stash's page-aligned chunks, the records cost the
 * writer a system call per MiB (16,384 events) and the texts a UTF-8 encoding per distinct
 * argument; the formatting waits until the run is over, as it does for a run whose events fit the
 * stash.
 *
 * <p>Layout: one segment per stash written, back to back, each part padded with zeros to the
 * alignment ({@value #ALIGN} bytes):
 *
 * <pre>
 * meta     magic "ISPL" (int), meta bytes (int, padded), records (long), runs (int), symbols (int),
 *          runs x (first record (long), thread id (long), thread name (text)),
 *          symbols 1..n x (text: bytes (int), UTF-8);   integers little-endian
 * records  records x 64 bytes, the stash's layout (Stash), native byte order
 * </pre>
 *
 * <p>The file is made at the first segment (most runs never write one). Used under the session's
 * file lock only.
 */
final class Spool {
    static final long ALIGN = Stash.CHUNK_ALIGN;
    private static final int MAGIC = 0x4c505349; // "ISPL" read little-endian
    private static final int HEAD = 24;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    /** Records read back at a time. */
    private static final int PIECE = (int) Stash.CHUNK_BYTES;

    private final Path path;
    private final boolean wantDirect;
    private final Arena arena = Arena.ofShared();
    private FileChannel channel;
    /** Page-aligned, for the meta part (the records are written from the stash's chunks, page-aligned too). */
    private MemorySegment staging;
    /** Bytes in the file. */
    private long end;
    /** Records in the file. */
    private long records;

    /**
     * @param path the spool's file (made at the first {@link #append})
     * @param direct write it with {@code O_DIRECT} where the file system takes it
     */
    Spool(Path path, boolean direct) {
        this.path = path;
        this.wantDirect = direct;
    }

    Path path() {
        return path;
    }

    /** Records written out and not yet replayed. */
    long records() {
        return records;
    }

    /** Writes {@code s}'s records and their arguments' texts as one segment, and empties {@code s}. */
    void append(Stash s) throws IOException {
        long n = s.size();
        if (n == 0) {
            return;
        }
        open();
        byte[] meta = meta(s);
        long metaBytes = pad(meta.length);
        MemorySegment st = staging(metaBytes);
        MemorySegment.copy(meta, 0, st, ValueLayout.JAVA_BYTE, 0, meta.length);
        st.asSlice(meta.length, metaBytes - meta.length).fill((byte) 0);
        long at = end;
        write(st.asSlice(0, metaBytes), at);
        at += metaBytes;
        long left = n * Ring.RECORD;
        for (int c = 0; left > 0; c++) {
            long k = Math.min(left, Stash.CHUNK_BYTES);
            MemorySegment chunk = s.chunk(c).asSlice(0, pad(k)); // the padding's bytes are ignored when read
            write(chunk, at);
            at += chunk.byteSize();
            left -= k;
        }
        end = at;
        records += n;
        s.clear();
    }

    /**
     * Hands every record written out, oldest first, to {@code sink} (the thread's id and name, the
     * arguments as their texts), then empties the file. Returns the records.
     *
     * @throws IOException when the file cannot be read or is not what {@link #append} wrote
     */
    long replay(Ring.Sink sink) throws IOException {
        if (records == 0) {
            return 0;
        }
        long total = 0;
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer piece = ByteBuffer.allocateDirect(PIECE).order(ByteOrder.nativeOrder());
            MemorySegment pieceSeg = MemorySegment.ofBuffer(piece);
            long at = 0;
            while (at < end) {
                ByteBuffer head = read(in, at, HEAD);
                int magic = head.getInt();
                int metaBytes = head.getInt();
                long n = head.getLong();
                int runs = head.getInt();
                int symbols = head.getInt();
                if (magic != MAGIC || metaBytes < HEAD || at + metaBytes > end || n < 0 || runs < 1 || symbols < 0) {
                    throw new IOException(path + ": the trace's spool is damaged at byte " + at);
                }
                ByteBuffer meta = read(in, at + HEAD, metaBytes - HEAD);
                long[] runStart = new long[runs + 1];
                long[] tid = new long[runs];
                String[] name = new String[runs];
                for (int i = 0; i < runs; i++) {
                    runStart[i] = meta.getLong();
                    tid[i] = meta.getLong();
                    name[i] = text(meta);
                }
                runStart[runs] = n;
                String[] symbol = new String[symbols + 1]; // 0: null
                for (int i = 1; i <= symbols; i++) {
                    symbol[i] = text(meta);
                }
                at += metaBytes;
                int run = 0;
                for (long k = 0; k < n; ) {
                    int take = (int) Math.min(n - k, PIECE / Ring.RECORD);
                    piece.clear().limit(take * Ring.RECORD);
                    readFully(in, piece, at);
                    for (int i = 0; i < take; i++, k++) {
                        while (k >= runStart[run + 1]) {
                            run++;
                        }
                        long o = (long) i * Ring.RECORD;
                        int r0 = pieceSeg.get(INT, o + Stash.REF0);
                        int r1 = pieceSeg.get(INT, o + Stash.REF1);
                        if (r0 < 0 || r0 > symbols || r1 < 0 || r1 > symbols) {
                            throw new IOException(path + ": the trace's spool is damaged at byte " + (at + o));
                        }
                        sink.event(tid[run], name[run], pieceSeg.get(INT, o + 16), pieceSeg.get(LONG, o), pieceSeg.get(LONG, o + 8),
                                symbol[r0], symbol[r1], pieceSeg.get(LONG, o + 24), pieceSeg.get(LONG, o + 32),
                                pieceSeg.get(LONG, o + 40), pieceSeg.get(LONG, o + 48));
                    }
                    at += (long) take * Ring.RECORD;
                }
                at = pad(at);
                total += n;
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new IOException(path + ": the trace's spool is damaged (a segment's table is cut short)", e);
        }
        channel.truncate(0);
        end = 0;
        records = 0;
        return total;
    }

    /** Closes and deletes the file. */
    void close() throws IOException {
        try {
            if (channel != null) {
                channel.close();
                Files.deleteIfExists(path);
            }
        } finally {
            channel = null;
            arena.close();
        }
    }

    private void open() throws IOException {
        if (channel != null) {
            return;
        }
        FileChannel c = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        if (wantDirect) {
            FileChannel d = DirectFiles.openForWrite(path);
            if (d != null) {
                c.close();
                c = d;
            }
        }
        channel = c;
    }

    /** The meta part of {@code s}'s segment, unpadded. */
    private static byte[] meta(Stash s) {
        Symbols symbols = s.numbering();
        ByteArrayOutputStream b = new ByteArrayOutputStream(HEAD + 64 * s.runs() + 4 * symbols.size()
                + symbols.textStart(symbols.size() + 1));
        ByteBuffer scratch = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        // the meta bytes are patched in below, once known
        scratch.putInt(MAGIC).putInt(0).putLong(s.size());
        b.write(scratch.array(), 0, 16);
        scratch.clear().putInt(s.runs()).putInt(symbols.size());
        b.write(scratch.array(), 0, 8);
        for (int i = 0; i < s.runs(); i++) {
            Ring r = s.runRing(i);
            scratch.clear().putLong(s.runStart(i)).putLong(r.tid);
            b.write(scratch.array(), 0, 16);
            byte[] name = r.threadName.getBytes(StandardCharsets.UTF_8);
            text(b, scratch, name, 0, name.length);
        }
        byte[] texts = symbols.texts();
        for (int i = 1; i <= symbols.size(); i++) {
            text(b, scratch, texts, symbols.textStart(i), symbols.textStart(i + 1) - symbols.textStart(i));
        }
        byte[] meta = b.toByteArray();
        ByteBuffer.wrap(meta).order(ByteOrder.LITTLE_ENDIAN).putInt(4, (int) pad(meta.length));
        return meta;
    }

    /** A text: its length, then its UTF-8 bytes ({@code len} of {@code t} from {@code from}). */
    private static void text(ByteArrayOutputStream b, ByteBuffer scratch, byte[] t, int from, int len) {
        scratch.clear().putInt(len);
        b.write(scratch.array(), 0, 4);
        b.write(t, from, len);
    }

    private String text(ByteBuffer meta) throws IOException {
        int len = meta.getInt();
        if (len < 0 || len > meta.remaining()) {
            throw new IOException(path + ": the trace's spool is damaged (a text of " + len + " bytes)");
        }
        String s = new String(meta.array(), meta.arrayOffset() + meta.position(), len, StandardCharsets.UTF_8);
        meta.position(meta.position() + len);
        return s;
    }

    private MemorySegment staging(long bytes) {
        if (staging == null || staging.byteSize() < bytes) {
            long size = Math.max(Stash.CHUNK_BYTES, Long.highestOneBit(bytes - 1) << 1);
            staging = io.inlay.engine.internal.memory.NativeMemory.allocate(arena, size, ALIGN);
        }
        return staging;
    }

    private void write(MemorySegment bytes, long at) throws IOException {
        DirectFiles.writeFully(channel, bytes.asByteBuffer(), at, path + ": the trace's spool");
    }

    private ByteBuffer read(FileChannel in, long at, int bytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        readFully(in, b, at);
        return b;
    }

    /** Fills {@code b} from {@code at} and flips it. */
    private void readFully(FileChannel in, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            int r = in.read(b, at);
            if (r < 0) {
                throw new IOException(path + ": the trace's spool ends early at byte " + at);
            }
            at += r;
        }
        b.flip();
    }

    private static long pad(long bytes) {
        return (bytes + ALIGN - 1) & -ALIGN;
    }
}
