package io.inlay.bench.cold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import io.inlay.engine.read.PageCache;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java side of {@code bench/run.sh cold --quick}, on tiny files, so that {@code ./mvnw verify}
 * keeps the harness working: data made by Inlay's generator, every in-process contender through
 * the eviction and the checksum gate at 1 and 2 threads, the JSON and its summary; fio's job files
 * and JSON; a wrong reference sum stops the run. No timing is asserted.
 */
class ColdRunTest {

    @TempDir
    Path dir;

    private ColdRun.Settings settings(String... extra) {
        List<String> args = new ArrayList<>(List.of("scale=tiny", "data=" + dir, "threads=1,2", "rounds=1", "warmup=1",
                "fio=none", "python=none", "inlay=none", "out=" + dir.resolve("cold.json")));
        args.addAll(List.of(extra));
        return ColdRun.Settings.parse(args.toArray(String[]::new));
    }

    private static boolean uringWorks() {
        try (var q = io.inlay.engine.internal.io.uring.UringReadQueue.open(1)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void tinyRun_everyInProcessContenderReadsEveryCaseCold_andMatchesTheReferenceSum() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Map<String, Object> result = ColdRun.run(settings(), new PrintStream(log, true, StandardCharsets.UTF_8));

        Map<String, Object> written = (Map<String, Object>) JSON.std.anyFrom(Files.readString(dir.resolve("cold.json")));
        assertEquals("inlay-cold-read", written.get("kind"));
        assertTrue(((String) written.get("machine")).contains("load average"), (String) written.get("machine"));
        assertEquals(List.of(), written.get("errors"));
        List<Map<String, Object>> cases = (List<Map<String, Object>>) written.get("cases");
        assertEquals(List.of("vector-256KiB-none", "vector-256KiB-zstd", "files-4x64KiB", "dlrm-200col"),
                cases.stream().map(c -> c.get("id")).toList());
        Map<String, Object> dlrm = cases.get(3);
        assertEquals(20, ((List<?>) dlrm.get("projected_columns")).size());
        long dlrmProjected = ((Number) dlrm.get("projected_chunk_bytes")).longValue();
        long dlrmFile = ((Number) dlrm.get("file_bytes")).longValue();
        assertTrue(dlrmProjected > dlrmFile / 20 && dlrmProjected < dlrmFile / 5, dlrmProjected + " of " + dlrmFile);

        List<String> names = JvmReaders.all().stream().map(JvmReader.Factory::name).toList();
        assertTrue(names.contains("inlay-mmap") && names.containsAll(List.of("parquet-java", "duckdb", "arrow", "hardwood")), names.toString());
        List<Map<String, Object>> samples = (List<Map<String, Object>>) written.get("samples");
        Set<String> timed = new HashSet<>();
        boolean canEvict = PageCache.supported() && !Files.getFileStore(dir).type().equals("tmpfs");
        for (Map<String, Object> s : samples) {
            assertEquals("ok", s.get("gate"), s.toString());
            if (Boolean.TRUE.equals(s.get("warmup"))) {
                continue;
            }
            timed.add(s.get("case") + " " + s.get("threads") + " " + s.get("contender"));
            String contender = (String) s.get("contender");
            if (contender.startsWith("inlay-")) {
                // the engines the files were read with, and every io_uring read through the ring
                Map<String, Object> d = (Map<String, Object>) s.get("detail");
                Map<String, Object> used = (Map<String, Object>) d.get("engines");
                Map<String, Object> info = cases.stream().filter(c -> c.get("id").equals(s.get("case"))).findFirst().orElseThrow();
                long files = ((Number) info.get("files")).longValue();
                long opens = used.values().stream().mapToLong(v -> ((Number) v).longValue()).sum();
                // each file opened once; one file is opened by every thread (each reads its row groups)
                assertEquals(files == 1 ? ((Number) s.get("threads")).longValue() : files, opens, s.toString());
                long reads = ((Number) d.get("reads")).longValue();
                long uring = ((Number) d.get("uring_reads")).longValue();
                assertTrue(reads > 0, s.toString());
                if (contender.equals("inlay-mmap") || contender.equals("inlay-direct")) {
                    assertEquals(Set.of(contender.substring(6)), used.keySet(), s.toString());
                    assertEquals(0, uring, s.toString());
                }
                if (contender.startsWith("inlay-io_uring") && uringWorks()) {
                    assertEquals(Set.of("io_uring"), used.keySet(), s.toString());
                    assertEquals(reads, uring, "every read of the io_uring engine through io_uring: " + s);
                }
            }
            Map<String, Object> cache = (Map<String, Object>) s.get("cache");
            if (contender.equals("inlay-auto-hot")) {
                // the default engine on files read into the page cache first: auto maps them, nothing from storage
                assertEquals("hot", cache.get("asked"), s.toString());
                if (PageCache.supported()) {
                    assertEquals(true, cache.get("worked"), s.toString());
                }
                Map<String, Object> used = (Map<String, Object>) ((Map<String, Object>) s.get("detail")).get("engines");
                assertEquals(Set.of("mmap"), used.keySet(), s.toString());
                continue;
            }
            assertEquals("cold", cache.get("asked"));
            if (canEvict) {
                assertEquals(true, cache.get("worked"), s.toString());
                long storage = ((Number) s.get("storage_bytes")).longValue();
                Map<String, Object> info = cases.stream().filter(c -> c.get("id").equals(s.get("case"))).findFirst().orElseThrow();
                if (storage >= 0) {
                    // the files were out of the page cache: at least the projected chunks came from storage
                    assertTrue(storage >= ((Number) info.get("projected_chunk_bytes")).longValue(), s.toString());
                }
            }
        }
        // every in-process contender cold, and the default engine hot: 4 cases x 2 thread counts each
        assertEquals(4 * 2 * (names.size() + 1), timed.size(), timed.toString());
        assertTrue(timed.contains("vector-256KiB-zstd 1 inlay-auto-hot"), timed.toString());

        List<Map<String, Object>> summary = (List<Map<String, Object>>) result.get("summary");
        assertEquals(4 * 2 * (names.size() + 1), summary.size());
        for (Map<String, Object> m : summary) {
            assertEquals(1, ((Number) m.get("runs")).intValue(), m.toString());
            assertTrue(((Number) m.get("median_mb_per_s")).doubleValue() > 0, m.toString());
            assertEquals("ok", m.get("gate"), m.toString());
            assertFalse(m.containsKey("ratio_to_fio_qd16_direct"), "no fio in this run: " + m);
        }
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("fio floors left out") && text.contains("pyarrow contenders left out"), text);

        // a second run reuses the files and their reference sums
        ColdRun.run(settings("cases=files-4x64KiB", "threads=1", "contenders=inlay-mmap"), new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void aSumThatDiffersFromTheReference_stopsTheRun_namingBothSums() throws Exception {
        ColdRun.Settings s = settings("cases=vector-256KiB-none", "threads=1", "contenders=duckdb", "warmup=0");
        ColdRun.run(s, new PrintStream(new ByteArrayOutputStream()));
        Path cache = dir.resolve("cold-tiny/vector-256KiB-none/reference.sum");
        String text = Files.readString(cache).trim();
        int space = text.lastIndexOf(' ');
        double right = Double.parseDouble(text.substring(space + 1));
        double wrong = Math.nextUp(right);
        Files.writeString(cache, text.substring(0, space + 1) + Double.toHexString(wrong) + "\n");

        ColdRun.GateFailure e = assertThrows(ColdRun.GateFailure.class, () -> ColdRun.run(s, new PrintStream(new ByteArrayOutputStream())));
        assertTrue(e.getMessage().contains("duckdb (1 thread)") && e.getMessage().contains(Double.toHexString(right))
                && e.getMessage().contains(Double.toHexString(wrong)) && e.getMessage().contains("vector-256KiB-none"), e.getMessage());
        // what was measured before the stop is written, with the error
        String json = Files.readString(dir.resolve("cold.json"));
        assertTrue(json.contains("MISMATCH") || json.contains("checksum gate"), json);
    }

    @Test
    void settings_rejectUnknownKeysAndValues_inOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ColdRun.Settings.parse("sclae=tiny"));
        assertTrue(e.getMessage().contains("sclae") && e.getMessage().contains("scale"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ColdRun.Settings.parse("scale=huge"));
        assertTrue(e.getMessage().contains("huge"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ColdRun.Settings.parse("rounds=0"));
        assertTrue(e.getMessage().contains("rounds"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ColdRun.run(settings("contenders=inlay-nmap"),
                new PrintStream(new ByteArrayOutputStream())));
        assertTrue(e.getMessage().contains("inlay-nmap") && e.getMessage().contains("inlay-mmap"), e.getMessage());
    }

    @Test
    void fioJobFiles_coverEveryByteOnce_atTheSameTotalQueueDepth() throws Exception {
        List<ColdCase> cases = ColdCase.all(ColdCase.Scale.TINY, dir);
        for (ColdCase c : cases) {
            ColdData.ensure(c);
        }
        FioFloor uring = new FioFloor("fio-io_uring-qd16-direct", "io_uring", 16, true, "fio", dir);
        ColdCase one = cases.get(0);
        long size = Files.size(one.files().get(0));
        String job = uring.jobFile(one, 2);
        assertTrue(job.contains("iodepth=8") && job.contains("direct=1") && job.contains("ioengine=io_uring"), job);
        List<Long> offsets = values(job, "offset");
        List<Long> sizes = values(job, "size");
        assertEquals(2, offsets.size());
        assertEquals(0L, (long) offsets.get(0));
        assertEquals(offsets.get(1), sizes.get(0));
        assertEquals(size, offsets.get(1) + sizes.get(1));
        assertEquals(0, offsets.get(1) % FioFloor.blockSize(one, 2));

        ColdCase many = cases.get(2);
        String jobs = uring.jobFile(many, 2);
        // each job reads a folder of links 0, 1, ... to its files, in order: every file exactly once
        List<Path> linked = new ArrayList<>();
        Matcher dirs = Pattern.compile("(?m)^directory=(.+)$").matcher(jobs);
        Matcher names = Pattern.compile("(?m)^filename=(.+)$").matcher(jobs);
        while (dirs.find() && names.find()) {
            for (String n : names.group(1).split(":")) {
                linked.add(Files.readSymbolicLink(Path.of(dirs.group(1)).resolve(n)));
            }
        }
        assertEquals(many.files().size(), linked.size(), jobs);
        assertEquals(Set.copyOf(many.files()), Set.copyOf(linked), jobs);
        assertEquals(many.share(0, 2).files().get(1), linked.get(1), "job 0 reads its share in order");
        assertTrue(jobs.contains("file_service_type=sequential"), jobs);
        String psync = new FioFloor("fio-psync-buffered", "psync", 1, false, "fio", dir).jobFile(many, 1);
        assertTrue(psync.contains("iodepth=1") && psync.contains("direct=0"), psync);
    }

    @Test
    void fioJson_givesTheRateOverWhatItRead_appliedToTheFileBytes() throws Exception {
        String json = """
                fio: a notice fio prints before its JSON
                {"fio version": "fio-3.33", "jobs": [
                  {"jobname": "job0", "error": 0, "job_runtime": 500, "usr_cpu": 2.0, "sys_cpu": 8.0,
                   "read": {"io_bytes": 524288000, "runtime": 500}},
                  {"jobname": "job1", "error": 0, "job_runtime": 400, "usr_cpu": 1.0, "sys_cpu": 9.0,
                   "read": {"io_bytes": 524288000, "runtime": 400}}]}
                """;
        ColdContender.Outcome o = FioFloor.outcome(FioFloor.parseJson(json), 1_100_000_000L, 0.7, 2);
        // 1,048,576,000 bytes in 0.5 s (the slower job): 2.097 GB/s, over 1.1 GB of files
        assertEquals(1_100_000_000L / (1_048_576_000 / 0.5), o.seconds(), 1e-9);
        assertEquals(1_048_576_000L, o.storageBytes());
        assertEquals(0.1 * 0.5 + 0.1 * 0.4, o.cpuSeconds(), 1e-9);
        assertEquals(null, o.checksum());
        String failed = json.replace("\"error\": 0, \"job_runtime\": 400", "\"error\": 5, \"job_runtime\": 400");
        Exception e = assertThrows(java.io.IOException.class, () -> FioFloor.outcome(FioFloor.parseJson(failed), 1, 0.7, 2));
        assertTrue(e.getMessage().contains("job1") && e.getMessage().contains("5"), e.getMessage());
    }

    @Test
    void fioFloor_readsTheCaseFiles_whenFioIsInstalled() throws Exception {
        Path fio = Path.of("/usr/bin/fio");
        assumeTrue(Files.isExecutable(fio), "fio is not installed (bench/run.sh cold installs it): fio floor not run");
        assumeTrue(!Files.getFileStore(dir).type().equals("tmpfs"), "the temporary directory is on tmpfs, which refuses O_DIRECT");
        ColdCase c = ColdCase.all(ColdCase.Scale.TINY, dir).get(2);
        ColdData.ensure(c);
        for (FioFloor f : FioFloor.standard(fio.toString(), dir.resolve("scratch"))) {
            ColdContender.Outcome o = f.run(c, 2);
            assertEquals(ColdData.fileBytes(c), o.bytes());
            assertTrue(o.storageBytes() > 0 && o.storageBytes() <= o.bytes(), f.name() + ": " + o);
            assertTrue(o.seconds() > 0, f.name() + ": " + o);
        }
    }

    private static List<Long> values(String job, String key) {
        List<Long> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^" + key + "=(\\d+)$").matcher(job);
        while (m.find()) {
            out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }
}
