package io.inlay.cli.checkpoint;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes and reads checkpoint files the way a storage benchmark should: {@code depth} threads with
 * one 1 MiB transfer each in flight (the device sees queue depth {@code depth}, as fio's
 * {@code --iodepth}), through {@code O_DIRECT} where the file system takes it (no copy into the page
 * cache, and a read-back that reads the device), and every file durable before {@link #write}
 * returns: written under a temporary name, {@code fsync}ed, renamed into place and its folder
 * {@code fsync}ed, so a checkpoint that is timed is on the device and a crash never leaves a partial
 * file under a checkpoint's name.
 *
 * <p>The bytes are random and unique per 4 KiB (a random 1 MiB template made when the instance is,
 * before anything is timed; each page of each transfer stamped with the file, the transfer and the page), so neither compression nor
 * deduplication in the storage shortens the write, at no cost in CPU. Memory: {@code depth} aligned
 * buffers of 1 MiB, off-heap. An instance may be used by one thread at a time.
 */
public final class CheckpointIo {
    /** Bytes per transfer. */
    public static final int TRANSFER = 1 << 20;
    /** The alignment O_DIRECT needs (of offsets, lengths and buffers): a 4 KiB page covers every device's block. */
    static final int ALIGN = 4096;
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long PHI = 0x9E3779B97F4A7C15L;

    private final int depth;
    private volatile boolean lastDirect;
    /** 1 MiB of random bytes made before any checkpoint is timed (as DLIO makes its tensors first); read-only. */
    private final MemorySegment template;

    /** @param depth transfers in flight (threads), at least 1 */
    public CheckpointIo(int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth " + depth + " must be at least 1");
        }
        this.depth = depth;
        this.template = Arena.ofAuto().allocate(TRANSFER, ALIGN);
        fill(template, 0x5EEDL, 0, 0);
    }

    /** Whether the last write or read went through O_DIRECT (false where the file system refused it). */
    public boolean lastDirect() {
        return lastDirect;
    }

    /**
     * Writes {@code bytes} random bytes to {@code file} (its folder is created) and makes them durable.
     *
     * @param stamp distinguishes the contents of different files and checkpoints
     * @throws IOException naming the file
     */
    public void write(Path file, long bytes, long stamp) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("writing the checkpoint " + file + ": cannot create its folder " + dir + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        }
        Path temp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".inlay-tmp");
        try {
            // O_DIRECT takes whole blocks only: the last block is written whole, then the file cut to its size
            long padded = (bytes + ALIGN - 1) / ALIGN * ALIGN;
            boolean reserved = Preallocate.create(temp, padded);
            FileChannel ch = open(temp, true, reserved);
            boolean direct = ch != null;
            if (ch == null) {
                ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
            }
            lastDirect = direct;
            try (FileChannel c = ch) {
                transfer(c, direct ? padded : bytes, stamp, true);
                if (direct && padded > bytes) {
                    c.truncate(bytes);
                }
                c.force(true); // one fsync: the data and the size
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw new IOException("writing the checkpoint " + file + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()), e);
        }
    }

    /**
     * Reads all of {@code file}, through O_DIRECT where it can, and returns its size.
     *
     * @throws IOException naming the file
     */
    public long read(Path file) throws IOException {
        try {
            long size = Files.size(file);
            long aligned = size / ALIGN * ALIGN;
            FileChannel ch = open(file, false, false);
            boolean direct = ch != null;
            if (ch == null) {
                ch = FileChannel.open(file, StandardOpenOption.READ);
            }
            lastDirect = direct;
            try (FileChannel c = ch) {
                transfer(c, direct ? aligned : size, 0, false);
            }
            if (direct && size > aligned) {
                try (FileChannel tail = FileChannel.open(file, StandardOpenOption.READ)) {
                    ByteBuffer b = ByteBuffer.allocate((int) (size - aligned));
                    while (b.hasRemaining() && tail.read(b, aligned + b.position()) >= 0) {
                        // until the end
                    }
                }
            }
            return size;
        } catch (IOException | RuntimeException e) {
            throw new IOException("reading the checkpoint " + file + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()), e);
        }
    }

    /** The file opened with O_DIRECT (kept as it is when its blocks are {@code reserved}), or null when the file system does not take it. */
    private static FileChannel open(Path p, boolean write, boolean reserved) throws IOException {
        try {
            return write
                    ? reserved // keep the reserved blocks (the file was made empty when they were reserved)
                            ? FileChannel.open(p, StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT)
                            : FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                                    StandardOpenOption.TRUNCATE_EXISTING, com.sun.nio.file.ExtendedOpenOption.DIRECT)
                    : FileChannel.open(p, StandardOpenOption.READ, com.sun.nio.file.ExtendedOpenOption.DIRECT);
        } catch (UnsupportedOperationException e) {
            return null;
        } catch (IOException e) {
            if (write) {
                Files.deleteIfExists(p);
            }
            if (!Files.exists(p.toAbsolutePath().getParent())) {
                throw e;
            }
            return null; // EINVAL: the file system has no O_DIRECT (tmpfs)
        }
    }

    /** Moves {@code length} bytes (a multiple of {@link #ALIGN}, or any length without O_DIRECT) with {@code depth} threads. */
    private void transfer(FileChannel c, long length, long stamp, boolean write) throws IOException {
        long transfers = (length + TRANSFER - 1) / TRANSFER;
        if (transfers == 0) {
            return;
        }
        int threads = (int) Math.min(depth, transfers);
        AtomicLong next = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().name("inlay-checkpoint-" + t).start(() -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment buf = arena.allocate(TRANSFER, ALIGN);
                    if (write) {
                        MemorySegment.copy(template, 0, buf, 0, TRANSFER);
                    }
                    long i;
                    while (failure.get() == null && (i = next.getAndIncrement()) < transfers) {
                        long offset = i * TRANSFER;
                        int n = (int) Math.min(TRANSFER, length - offset);
                        if (write) {
                            stampPages(buf, n, stamp, i);
                        }
                        ByteBuffer b = buf.asSlice(0, n).asByteBuffer();
                        while (b.hasRemaining()) {
                            int k = write ? c.write(b, offset + b.position()) : c.read(b, offset + b.position());
                            if (k < 0) {
                                throw new IOException("the file ends at " + (offset + b.position()) + " bytes, before " + length);
                            }
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, e);
            }
        }
        Throwable f = failure.get();
        if (f instanceof IOException io) {
            throw io;
        } else if (f instanceof Error err) {
            throw err;
        } else if (f != null) {
            throw new IOException(f.getMessage(), f);
        }
    }

    /** Random bytes (SplitMix64 of {@code seed}); {@code transfer} and {@code offset} vary the stream. */
    private static void fill(MemorySegment s, long seed, long transfer, long offset) {
        long words = s.byteSize() / 8;
        long key = mix(seed + transfer * PHI + offset);
        for (long w = 0; w < words; w++) {
            s.set(LE_LONG, w * 8, mix(key + w * PHI));
        }
        for (long i = words * 8; i < s.byteSize(); i++) {
            s.set(ValueLayout.JAVA_BYTE, i, (byte) mix(key - i));
        }
    }

    /** The first 16 bytes of every 4 KiB page of the transfer: its number and the page's, mixed with the stamp. */
    private static void stampPages(MemorySegment buf, int n, long stamp, long transfer) {
        for (int p = 0; p + 16 <= n; p += ALIGN) {
            buf.set(LE_LONG, p, mix(stamp ^ (transfer * PHI)));
            buf.set(LE_LONG, p + 8, mix(transfer * 256 + (p >>> 12) + stamp * PHI));
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems do not fsync folders; the file itself is durable
        }
    }
}
