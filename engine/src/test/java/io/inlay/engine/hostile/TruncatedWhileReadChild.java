package io.inlay.engine.hostile;

import io.inlay.engine.io.IoEngine;
import io.inlay.engine.read.ParquetFile;
import io.inlay.engine.read.ReadBuffers;
import io.inlay.engine.read.ReadOptions;
import io.inlay.engine.read.RowGroupReader;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The child JVM of {@link TruncatedWhileReadTest}. Arguments: a seed, a run count, then files. For
 * each file, each engine and each run it copies the file, opens the copy, starts reading it on
 * another thread (default mode, row_group mode or verify, by turns) and truncates the copy on disk
 * at a random moment of that read to a random length, then prints
 * {@code RESULT <tab> scenario <tab> outcome <tab> message} (outcome {@code OK} or the exception's
 * class). {@code START scenario} comes first, so that if the JVM dies the parent knows where.
 */
public final class TruncatedWhileReadChild {
    private TruncatedWhileReadChild() {}

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(System.getProperty("work.dir")));
        long seed = Long.parseLong(args[0]);
        int runs = Integer.parseInt(args[1]);
        Random random = new Random(seed);
        for (int a = 2; a < args.length; a++) {
            Path source = Path.of(args[a]);
            long size = Files.size(source);
            for (IoEngine engine : new IoEngine[] {IoEngine.MMAP, IoEngine.PREAD, IoEngine.DIRECT, IoEngine.IO_URING}) {
                ReadOptions options = ReadOptions.DEFAULT.withIoEngine(engine).withIoDepth(8).withTransferSize(64 << 10);
                Path copy = work.resolve("truncated.parquet");
                // how long a whole read takes, so that the cuts land inside reads
                Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
                long t0 = System.nanoTime();
                read(copy, options, "readAll");
                read(copy, options, "readAll");
                long readNanos = Math.max(200_000, (System.nanoTime() - t0) / 2);
                for (int run = 0; run < runs; run++) {
                    String entry = switch (run % 3) {
                        case 0 -> "readAll";
                        case 1 -> "rowGroups";
                        default -> "verify";
                    };
                    long delay = (long) (random.nextDouble() * 1.2 * readNanos);
                    long cut = random.nextInt(4) == 0 ? 0 : (long) (random.nextDouble() * size);
                    String scenario = source.getFileName() + "|" + engine.configName() + "|" + entry + "|run " + run + "|at "
                            + delay / 1000 + " us|to " + cut;
                    Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
                    System.out.println("START\t" + scenario);
                    System.out.flush();
                    AtomicReference<Throwable> failure = new AtomicReference<>();
                    AtomicReference<String> done = new AtomicReference<>();
                    Thread reader = Thread.ofPlatform().start(() -> {
                        try {
                            done.set(read(copy, options, entry));
                        } catch (Throwable t) {
                            failure.set(t);
                        }
                    });
                    LockSupport.parkNanos(delay);
                    try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                        ch.truncate(cut);
                    }
                    reader.join(TimeUnit.SECONDS.toMillis(30));
                    String outcome;
                    String message;
                    if (reader.isAlive()) {
                        outcome = "HANG";
                        message = "still reading after 30 s";
                    } else if (failure.get() != null) {
                        outcome = failure.get().getClass().getName();
                        message = String.valueOf(failure.get().getMessage()).replace('\n', ' ').replace('\t', ' ');
                    } else {
                        outcome = "OK";
                        message = done.get();
                    }
                    System.out.println("RESULT\t" + scenario + "\t" + outcome + "\t" + message);
                    System.out.flush();
                }
                Files.deleteIfExists(copy);
            }
        }
    }

    private static String read(Path file, ReadOptions options, String entry) throws Exception {
        try (ParquetFile pf = ParquetFile.open(file, options); ReadBuffers buffers = new ReadBuffers()) {
            switch (entry) {
                case "readAll" -> {
                    return pf.readAll(pf.supportedColumns(), buffers).size() + " row groups";
                }
                case "rowGroups" -> {
                    int n = 0;
                    try (RowGroupReader r = pf.rowGroups(pf.supportedColumns(), buffers)) {
                        while (r.hasNext()) {
                            r.next();
                            n++;
                        }
                    }
                    return n + " row groups";
                }
                default -> {
                    return pf.verify().toString();
                }
            }
        }
    }
}
