package io.inlay.bench.cold;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A storage floor: fio reading the case's own files, 1 MiB blocks, sequentially, with a job per
 * reader thread. One file is split into contiguous 1 MiB-aligned ranges, one per job; many files
 * are dealt out to the jobs as the readers deal them ({@link ColdCase#share}), each job reading
 * its files one after another, in order ({@code file_service_type=sequential}, through a folder
 * of links named 0, 1, ...). The queue depth is the total
 * over the jobs ({@code iodepth = depth / threads} each), so two threads are compared at the same
 * total depth as one.
 *
 * <p>fio reads whole blocks only: the tail of a file after its last whole MiB is not read
 * ({@code io_bytes} says how much was). The time reported is the case's file bytes at fio's
 * measured rate, so that every contender is timed over the same bytes.
 *
 * @param name the contender's name
 * @param engine fio's {@code ioengine} ({@code psync}, {@code io_uring})
 * @param depth total queue depth over the jobs
 * @param direct {@code O_DIRECT} (else buffered: the files are evicted first)
 * @param fio the fio executable
 * @param scratch where job files go
 */
record FioFloor(String name, String engine, int depth, boolean direct, String fio, Path scratch) implements ColdContender {

    static final long BLOCK = 1L << 20;

    /** The three floors of issue 13: psync QD1 direct, io_uring QD16 direct, psync buffered. */
    static List<FioFloor> standard(String fio, Path scratch) {
        return List.of(
                new FioFloor("fio-psync-qd1-direct", "psync", 1, true, fio, scratch),
                new FioFloor("fio-io_uring-qd16-direct", "io_uring", 16, true, fio, scratch),
                new FioFloor("fio-psync-buffered", "psync", 1, false, fio, scratch));
    }

    /** The floor every ratio is taken to. */
    static final String REFERENCE = "fio-io_uring-qd16-direct";

    @Override
    public String kind() {
        return "floor";
    }

    @Override
    public View view() {
        return View.MATRIX;
    }

    @Override
    public Cache cache() {
        return Cache.COLD;
    }

    @Override
    public boolean inProcess() {
        return false;
    }

    @Override
    public Outcome run(ColdCase c, int threads) throws Exception {
        String job = jobFile(c, threads);
        Path file = scratch.resolve(name + "-" + c.id() + "-" + threads + "t.fio");
        Files.createDirectories(scratch);
        Files.writeString(file, job, StandardCharsets.UTF_8);
        Exec.Result r = Exec.run(List.of(fio, "--readonly", "--output-format=json", file.toString()), scratch, 3600);
        Map<String, Object> json = parseJson(r.stdout());
        long fileBytes = ColdData.fileBytes(c);
        return outcome(json, fileBytes, r.wallSeconds(), threads);
    }

    /** The job file for a case and thread count. */
    String jobFile(ColdCase c, int threads) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("; ").append(name).append(" on ").append(c.id()).append(", ").append(threads).append(" job(s)\n");
        s.append("[global]\n");
        s.append("rw=read\nbs=").append(blockSize(c, threads)).append('\n');
        s.append("ioengine=").append(engine).append('\n');
        s.append("iodepth=").append(Math.max(1, depth / threads)).append('\n');
        s.append("direct=").append(direct ? 1 : 0).append('\n');
        List<Path> files = c.files();
        if (files.size() == 1) {
            long size = Files.size(files.get(0));
            long block = blockSize(c, threads);
            long part = Math.max(block, size / threads / block * block);
            for (int t = 0; t < threads; t++) {
                long offset = Math.min(size, t * part);
                long length = t == threads - 1 ? size - offset : Math.min(part, size - offset);
                s.append("[job").append(t).append("]\n");
                s.append("filename=").append(escape(files.get(0))).append('\n');
                s.append("offset=").append(offset).append('\n');
                s.append("size=").append(length).append('\n');
            }
        } else {
            for (int t = 0; t < threads; t++) {
                Path links = links(c.id() + "-" + threads + "t-job" + t, c.share(t, threads).files());
                List<String> names = new ArrayList<>();
                for (int i = 0; i < c.share(t, threads).files().size(); i++) {
                    names.add(Integer.toString(i));
                }
                s.append("[job").append(t).append("]\n");
                s.append("directory=").append(escape(links)).append('\n');
                s.append("filename=").append(String.join(":", names)).append('\n');
                s.append("file_service_type=sequential\n");
            }
        }
        return s.toString();
    }

    /**
     * A folder of symbolic links {@code 0, 1, ...} to the files, in order: fio's job-file lines are
     * limited to 8 KiB, too short for 256 full paths, and {@code opendir} would not keep the order.
     */
    private Path links(String name, List<Path> files) throws IOException {
        Path dir = scratch.resolve("fio-files").resolve(name);
        if (Files.isDirectory(dir)) {
            try (var old = Files.list(dir)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        for (int i = 0; i < files.size(); i++) {
            Files.createSymbolicLink(dir.resolve(Integer.toString(i)), files.get(i).toAbsolutePath());
        }
        return dir;
    }

    /**
     * 1 MiB, or for files too small for one such block (the build's tiny files) the largest power of
     * two from 4 KiB that fits one thread's share: fio refuses a block larger than what it reads.
     */
    static long blockSize(ColdCase c, int threads) throws IOException {
        long smallest = Long.MAX_VALUE;
        for (Path f : c.files()) {
            smallest = Math.min(smallest, Files.size(f));
        }
        if (c.files().size() == 1) {
            smallest /= threads;
        }
        long block = BLOCK;
        while (block > 4096 && block > smallest) {
            block >>= 1;
        }
        return block;
    }

    /** fio separates file names with ':'; a ':' inside a name is written '\:'. */
    private static String escape(Path p) {
        return p.toAbsolutePath().toString().replace(":", "\\:");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parseJson(String stdout) throws IOException {
        // fio may print notices before its JSON
        int start = stdout.indexOf('{');
        if (start < 0) {
            throw new IOException("fio printed no JSON: " + Exec.tail(stdout));
        }
        return (Map<String, Object>) JSON.std.anyFrom(stdout.substring(start));
    }

    /** The outcome of a fio run from its JSON: the rate over the bytes it read, applied to the case's file bytes. */
    @SuppressWarnings("unchecked")
    static Outcome outcome(Map<String, Object> json, long fileBytes, double wallSeconds, int threads) throws IOException {
        List<Object> jobs = (List<Object>) json.get("jobs");
        if (jobs == null || jobs.isEmpty()) {
            throw new IOException("fio's JSON holds no jobs");
        }
        long ioBytes = 0;
        double runtimeMs = 0;
        double cpu = 0;
        for (Object o : jobs) {
            Map<String, Object> job = (Map<String, Object>) o;
            Map<String, Object> read = (Map<String, Object>) job.get("read");
            if (((Number) job.getOrDefault("error", 0)).intValue() != 0) {
                throw new IOException("fio job " + job.get("jobname") + " failed with error " + job.get("error"));
            }
            ioBytes += ((Number) read.get("io_bytes")).longValue();
            runtimeMs = Math.max(runtimeMs, ((Number) read.get("runtime")).doubleValue());
            double jobRuntime = ((Number) job.getOrDefault("job_runtime", read.get("runtime"))).doubleValue() / 1000;
            cpu += (((Number) job.get("usr_cpu")).doubleValue() + ((Number) job.get("sys_cpu")).doubleValue()) / 100 * jobRuntime;
        }
        if (ioBytes <= 0 || runtimeMs <= 0) {
            throw new IOException("fio read " + ioBytes + " bytes in " + runtimeMs + " ms");
        }
        double rate = ioBytes / (runtimeMs / 1000);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("fio_version", json.get("fio version"));
        detail.put("fio_io_bytes", ioBytes);
        detail.put("fio_runtime_ms", runtimeMs);
        detail.put("fio_jobs", jobs.size());
        detail.put("wall_seconds", wallSeconds);
        return new Outcome(fileBytes / rate, fileBytes, null, ioBytes, cpu, detail);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%s, total depth %d, %s)", name, engine, depth, direct ? "O_DIRECT" : "buffered");
    }
}
