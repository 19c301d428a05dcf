package io.inlay.engine.internal.write;

import io.inlay.engine.internal.memory.GrowableBuffer;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The file a writer appends to, written under a temporary name in the target's directory and
 * renamed into place only by {@link #commit}: a file under the final name is always complete.
 *
 * <pre>
 * target   dir/img_3_of_8.parquet
 * temp     dir/.img_3_of_8.parquet.&lt;pid&gt;-&lt;n&gt;.inlay-tmp     (hidden, and no .parquet suffix for globs)
 * </pre>
 *
 * Small writes (page headers, small pages) are gathered in an off-heap staging buffer; large page
 * bodies go straight to the channel. Confined to the writer's thread.
 */
public final class FileOutput implements AutoCloseable {
    /** Suffix of temporary files; a run killed with SIGKILL leaves them behind. */
    public static final String TEMP_SUFFIX = ".inlay-tmp";
    private static final int STAGING = 256 << 10;
    private static final AtomicLong COUNTER = new AtomicLong();

    private final Path target;
    private final Path temp;
    private final FileChannel file;
    private final WritableByteChannel channel;
    private final GrowableBuffer staging = GrowableBuffer.zeroed(STAGING);
    private long position;
    private boolean open = true;

    /**
     * Creates the temporary file for {@code target}.
     *
     * @param wrap lets tests put a failing channel in front of the file; identity otherwise
     */
    public static FileOutput create(Path target, UnaryOperator<WritableByteChannel> wrap) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String name = "." + target.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + COUNTER.incrementAndGet() + TEMP_SUFFIX;
        Path temp = dir.resolve(name);
        FileChannel ch;
        try {
            ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("temporary file " + temp + " already exists", e);
        }
        return new FileOutput(target, temp, ch, wrap.apply(ch));
    }

    private FileOutput(Path target, Path temp, FileChannel file, WritableByteChannel channel) {
        this.target = target;
        this.temp = temp;
        this.file = file;
        this.channel = channel;
    }

    /** The temporary files a writer of {@code target} may have left behind (after a kill). */
    public static List<Path> staleTempFiles(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        List<Path> out = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return out;
        }
        String prefix = "." + target.getFileName() + ".";
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir,
                p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(TEMP_SUFFIX))) {
            ds.forEach(out::add);
        }
        return out;
    }

    /**
     * The file a temporary file was to become ({@code dir/.NAME.PID-N.inlay-tmp} gives
     * {@code dir/NAME}), or empty if {@code temp} is not named like one.
     */
    public static java.util.Optional<Path> targetOfTemp(Path temp) {
        String n = temp.getFileName().toString();
        if (!n.startsWith(".") || !n.endsWith(TEMP_SUFFIX)) {
            return java.util.Optional.empty();
        }
        String core = n.substring(1, n.length() - TEMP_SUFFIX.length());
        int dot = core.lastIndexOf('.');
        if (dot <= 0 || !core.substring(dot + 1).matches("\\d+-\\d+")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(temp.resolveSibling(core.substring(0, dot)));
    }

    public Path target() {
        return target;
    }

    public Path temp() {
        return temp;
    }

    /** Bytes written so far (including staged ones). */
    public long position() {
        return position;
    }

    /** Appends {@code length} bytes of {@code src} from {@code offset}. */
    public void write(MemorySegment src, long offset, long length) throws IOException {
        if (length <= STAGING / 4) {
            if (staging.size() + length > STAGING) {
                flushStaging();
            }
            staging.put(src, offset, length);
        } else {
            flushStaging();
            writeFully(src.asSlice(offset, length).asByteBuffer());
        }
        position += length;
    }

    /** Appends bytes from a heap array (page headers, the footer). */
    public void write(byte[] src, int offset, int length) throws IOException {
        if (staging.size() + length > STAGING) {
            flushStaging();
        }
        if (length > STAGING) {
            writeFully(ByteBuffer.wrap(src, offset, length));
        } else {
            staging.put(src, offset, length);
        }
        position += length;
    }

    private void flushStaging() throws IOException {
        if (staging.size() > 0) {
            writeFully(staging.slice(0, staging.size()).asByteBuffer());
            staging.clear();
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /**
     * Flushes, optionally forces the data to the device, and renames the temporary file to the
     * target (replacing an existing file). The output is closed afterwards.
     */
    public void commit(boolean fsync) throws IOException {
        flushStaging();
        if (fsync) {
            file.force(true);
        }
        file.close();
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        open = false;
        if (fsync) {
            forceDirectory(target.toAbsolutePath().getParent());
        }
        staging.close();
    }

    private static void forceDirectory(Path dir) {
        // the rename is durable once the directory is; not every platform lets a directory be opened
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the file itself is already forced
        }
    }

    /** Closes and deletes the temporary file; nothing is left under either name. Idempotent. */
    public void abort() {
        try {
            file.close();
        } catch (IOException e) {
            // the file is being discarded
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // reported by the caller's error; a leftover temp file is cleaned by the next run
        }
        open = false;
        staging.close();
    }

    /** Aborts unless committed. */
    @Override
    public void close() {
        if (open) {
            abort();
        }
    }
}
