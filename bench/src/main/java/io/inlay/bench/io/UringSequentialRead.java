package io.inlay.bench.io;

import io.inlay.engine.internal.io.queue.ReadQueue;
import io.inlay.engine.internal.io.uring.UringReadQueue;
import io.inlay.engine.internal.memory.NativeMemory;
import io.inlay.engine.internal.os.Posix;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The device floor through {@link UringReadQueue}: one file read start to end with
 * {@code O_DIRECT}, fixed-size reads, a fixed number in flight, the file evicted from the page
 * cache first ({@code posix_fadvise(DONTNEED)}); and, in the same run, alternating with it, fio
 * doing the same ({@code --ioengine=io_uring --direct=1}), so the two rates are side by side.
 *
 * <pre>
 *   ./mvnw -q -B -DskipTests -pl bench -am package
 *   java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar io.inlay.bench.io.UringSequentialRead \
 *       [--file bench-data/uring-1g.bin] [--size-mib 1024] [--block-kib 1024] [--depth 16] [--rounds 3]
 *       [--no-fio] [--small-pages] [--fio-huge]
 * </pre>
 *
 * The file is written (random bytes) when missing or of another size. Rates are decimal GB/s
 * (10^9 bytes per second), as fio's {@code bw_bytes}; CPU is the reading thread's user + system
 * time (fio: its {@code usr_cpu + sys_cpu} over its run time) per GB. The buffers are one block
 * from the engine's {@code NativeMemory} (2 MiB pages), or 4 KiB pages with {@code --small-pages};
 * fio's are its default (malloc, 4 KiB pages), or 2 MiB pages with {@code --fio-huge}
 * ({@code --mem=shmhuge}, which needs {@code vm.nr_hugepages} &ge; 9). Compare like with like:
 * where a virtio disk takes at most 254 segments per request (here), a 1 MiB read into 4 KiB pages
 * goes to the device as two requests, into 2 MiB pages as one, and that shows in the rate.
 * Prints one line per run and the medians.
 */
public final class UringSequentialRead {
    private static final int O_RDONLY = 0;
    private static final int O_DIRECT = System.getProperty("os.arch", "").equals("aarch64") ? 0x10000 : 0x4000;
    private static final int O_CLOEXEC = 0x80000;
    private static final long ALIGN = 4096;

    @SuppressWarnings("restricted") // downcalls to libc; the bench runs with native access enabled
    private static final MethodHandle OPEN = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    @SuppressWarnings("restricted")
    private static final MethodHandle CLOSE = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private UringSequentialRead() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(System.getProperty("inlay.bench.data", System.getenv().getOrDefault("INLAY_BENCH_DATA", "bench-data")));
        Path file = dataDir.resolve("uring-1g.bin");
        long size = 1024L << 20;
        int block = 1 << 20;
        int depth = 16;
        int rounds = 3;
        boolean fio = true;
        boolean smallPages = false;
        boolean fioHuge = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--file" -> file = Path.of(args[++i]);
                case "--size-mib" -> size = Long.parseLong(args[++i]) << 20;
                case "--block-kib" -> block = Integer.parseInt(args[++i]) << 10;
                case "--depth" -> depth = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--no-fio" -> fio = false;
                case "--small-pages" -> smallPages = true;
                case "--fio-huge" -> fioHuge = true;
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        ensureFile(file, size);
        System.out.printf(Locale.ROOT, "%s; %d cpus; load average %s; %s, %d MiB, %d KiB reads, depth %d, O_DIRECT;"
                        + " inlay buffers in %s pages, fio's in %s%n",
                Instant.now().truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(), loadAverage(),
                file, size >> 20, block >> 10, depth, smallPages ? "4 KiB" : "2 MiB",
                fioHuge ? "2 MiB pages (--mem=shmhuge)" : "malloc'd 4 KiB pages (fio's default)");
        List<Rate> ours = new ArrayList<>();
        List<Rate> theirs = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            Rate u = readOnce(file, size, block, depth, smallPages);
            ours.add(u);
            System.out.printf(Locale.ROOT, "round %d  inlay io_uring  %.3f GB/s  cpu %5.1f ms/GB   (load %s)%n",
                    r, u.gbps(), u.cpuMsPerGb(), loadAverage());
            if (fio) {
                Rate f = fioOnce(file, size, block, depth, fioHuge);
                theirs.add(f);
                System.out.printf(Locale.ROOT, "round %d  fio io_uring    %.3f GB/s  cpu %5.1f ms/GB   (load %s)%n",
                        r, f.gbps(), f.cpuMsPerGb(), loadAverage());
            }
        }
        double m = median(ours.stream().map(Rate::gbps).toList());
        double mc = median(ours.stream().map(Rate::cpuMsPerGb).toList());
        if (fio) {
            double f = median(theirs.stream().map(Rate::gbps).toList());
            double fc = median(theirs.stream().map(Rate::cpuMsPerGb).toList());
            System.out.printf(Locale.ROOT, "median   inlay %.3f GB/s (cpu %.1f ms/GB)   fio %.3f GB/s (cpu %.1f ms/GB)   ratio %.3f%n",
                    m, mc, f, fc, m / f);
        } else {
            System.out.printf(Locale.ROOT, "median   inlay %.3f GB/s (cpu %.1f ms/GB)%n", m, mc);
        }
    }

    /** A run's rate (GB/s) and CPU time (user + system) per GB read, in milliseconds. */
    record Rate(double gbps, double cpuMsPerGb) {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Reads the whole file once through a fresh queue, on this thread. */
    static Rate readOnce(Path file, long size, int block, int depth, boolean smallPages) throws IOException {
        evict(file);
        int fd = open(file, O_RDONLY | O_DIRECT);
        try (Arena arena = Arena.ofConfined(); ReadQueue queue = UringReadQueue.open(depth)) {
            MemorySegment[] buffers = new MemorySegment[depth];
            long[] offsets = new long[depth];
            // one block for all buffers, as the reader's own allocator gives it (2 MiB pages from 8 MiB up:
            // O_DIRECT pins every page of a buffer per read, fewer pages cost less CPU)
            MemorySegment all = smallPages ? arena.allocate((long) depth * block, ALIGN)
                    : NativeMemory.allocate(arena, (long) depth * block);
            all.fill((byte) 1); // touch the pages before timing
            for (int i = 0; i < depth; i++) {
                buffers[i] = all.asSlice((long) i * block, block);
            }
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            long next = 0;
            long bytes = 0;
            int slot = 0;
            for (; slot < depth && next < size; slot++) {
                offsets[slot] = next;
                queue.submit(slot, fd, next, buffers[slot]);
                next += block;
            }
            while (queue.pending() > 0) {
                int done = (int) queue.await();
                long n = queue.result();
                if (n < 0) {
                    throw new IOException("read at " + offsets[done] + " failed with errno " + -n);
                }
                if (n < block && offsets[done] + n < size) {
                    throw new IOException("short read at " + offsets[done] + ": " + n + " bytes");
                }
                bytes += n;
                if (next < size) {
                    offsets[done] = next;
                    queue.submit(done, fd, next, buffers[done]);
                    next += block;
                }
            }
            long nanos = System.nanoTime() - start;
            long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
            if (bytes != size) {
                throw new IOException("read " + bytes + " bytes of " + size);
            }
            return new Rate(bytes / (double) nanos, cpu / 1e6 / (bytes / 1e9));
        } finally {
            close(fd);
        }
    }

    private static final Pattern BW = Pattern.compile("\"read\"\\s*:\\s*\\{[^}]*?\"bw_bytes\"\\s*:\\s*(\\d+)", Pattern.DOTALL);
    private static final Pattern RUNTIME = Pattern.compile("\"job_runtime\"\\s*:\\s*(\\d+)");
    private static final Pattern USR = Pattern.compile("\"usr_cpu\"\\s*:\\s*([0-9.eE+-]+)");
    private static final Pattern SYS = Pattern.compile("\"sys_cpu\"\\s*:\\s*([0-9.eE+-]+)");

    /** fio on the same file with the same shape: its {@code bw_bytes}, and its CPU (usr + sys) per GB. */
    static Rate fioOnce(Path file, long size, int block, int depth, boolean huge) throws IOException, InterruptedException {
        evict(file);
        List<String> cmd = new ArrayList<>(List.of("fio", "--name=r", "--filename=" + file, "--rw=read",
                "--bs=" + (block >> 10) + "k", "--iodepth=" + depth, "--ioengine=io_uring", "--direct=1",
                "--output-format=json"));
        if (huge) {
            cmd.add("--mem=shmhuge");
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        Matcher bw = BW.matcher(out);
        Matcher runtime = RUNTIME.matcher(out);
        Matcher usr = USR.matcher(out);
        Matcher sys = SYS.matcher(out);
        if (rc != 0 || !bw.find() || !runtime.find() || !usr.find() || !sys.find()) {
            throw new IOException("fio failed (exit " + rc + "): " + String.join(" ", cmd) + "\n" + out);
        }
        double cpuMs = (Double.parseDouble(usr.group(1)) + Double.parseDouble(sys.group(1))) / 100
                * Long.parseLong(runtime.group(1));
        return new Rate(Long.parseLong(bw.group(1)) / 1e9, cpuMs / (size / 1e9));
    }

    private static void ensureFile(Path file, long size) throws IOException {
        if (Files.isRegularFile(file) && Files.size(file) == size) {
            return;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        System.out.printf(Locale.ROOT, "writing %s (%d MiB of random bytes)%n", file, size >> 20);
        SplittableRandom rnd = new SplittableRandom(1);
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long written = 0; written < size; ) {
                buf.clear();
                while (buf.remaining() >= 8) {
                    buf.putLong(rnd.nextLong());
                }
                buf.flip();
                buf.limit((int) Math.min(buf.limit(), size - written));
                written += ch.write(buf);
            }
            ch.force(false);
        }
    }

    private static void evict(Path file) throws IOException {
        int rc = Posix.dropFromPageCache(file.toString());
        if (rc != 0) {
            throw new IOException("could not drop " + file + " from the page cache (error " + rc + ")");
        }
    }

    private static int open(Path file, int flags) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(arena.allocateFrom(file.toString()), flags | O_CLOEXEC, 0);
            if (fd < 0) {
                throw new IOException("cannot open " + file + " with O_DIRECT");
            }
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("open failed", t);
        }
    }

    private static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
