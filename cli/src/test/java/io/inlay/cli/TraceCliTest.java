package io.inlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import io.inlay.cli.report.TraceFile;
import io.inlay.engine.trace.TraceSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --trace}: the trace of a run holds every step (its data wait and compute nested in it),
 * every file read, the barriers and the epochs, on the results' time base, in the trace-event
 * format's rules (checked by {@link TraceFile}); gzip, DLIO's profiling keys and dftracer's
 * environment turn it on; {@code generate --trace} records every file and column chunk written.
 */
class TraceCliTest {
    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> inlay(Path folder, int rank) throws Exception {
        Map<String, Object> out = JSON.std.mapFrom(folder.resolve(rank + "_output.json").toFile());
        return (Map<String, Object>) out.get("inlay");
    }

    private static List<TraceFile.Event> named(TraceFile t, String name) {
        return t.events().stream().filter(e -> e.name().equals(name)).toList();
    }

    @Test
    void readTrace_holdsEveryStepFileBarrierAndEpoch() throws Exception {
        TracedRun run = TracedRun.make(dir, 1, 2);
        TraceFile t = TraceFile.read(run.trace(0, 1));
        assertTrue(t.complete(), "the file ends with ]");
        Map<String, Object> r = inlay(run.results.resolve("r0"), 0);
        long steps = ((Number) r.get("steps")).longValue();
        assertEquals(steps, named(t, "step").size(), "one step event per step");
        assertEquals(steps, named(t, "data_wait").size());
        assertEquals(steps, named(t, "compute").size());
        assertEquals(((Number) r.get("files_read")).longValue(), named(t, "read_file").size(), "one event per file read");
        assertEquals(2, named(t, "epoch").size());
        assertEquals(2, named(t, "phase").size());
        assertTrue(named(t, "barrier").stream().anyMatch(e -> "start-up".equals(e.args().get("at"))));
        for (TraceFile.Event s : named(t, "step")) {
            long step = ((Number) s.args().get("step")).longValue();
            long epoch = ((Number) s.args().get("epoch")).longValue();
            for (String part : List.of("data_wait", "compute")) {
                TraceFile.Event p = named(t, part).stream().filter(e -> ((Number) e.args().get("step")).longValue() == step
                        && ((Number) e.args().get("epoch")).longValue() == epoch).findFirst().orElseThrow();
                assertTrue(p.ts() >= s.ts() && p.end() <= s.end(), part + " of step " + step + " lies within it");
                assertEquals(s.tid(), p.tid(), "on the accelerator's thread");
            }
        }
        assertTrue(t.events().stream().allMatch(e -> e.pid() == 0), "pid is the rank");
        assertTrue(t.processNames().get(0L).startsWith("rank 0 of 1 on "), t.processNames().toString());
        assertTrue(t.threadNames().containsValue("main") || t.threadNames().values().stream().anyMatch(n -> n.contains("main")),
                t.threadNames().toString());
        // reader threads are named inlay-reader-{phase}-{index}
        for (String index : List.of("0", "1")) {
            assertTrue(t.threadNames().values().stream().anyMatch(n -> n.matches("inlay-reader-\\w+-" + index)),
                    t.threadNames().toString());
        }
        long readers = named(t, "read_file").stream().map(TraceFile.Event::tid).distinct().count();
        assertEquals(2, readers, "files read on the two reader threads");
        // the trace's epoch matches the results' epoch on the wall clock (both from the run's one clock)
        @SuppressWarnings("unchecked")
        Map<String, Object> e1 = ((List<Map<String, Object>>) r.get("per_epoch")).get(0);
        double start = ReportCommand.epochSeconds(e1.get("start"));
        TraceFile.Event epoch1 = named(t, "epoch").stream().filter(e -> ((Number) e.args().get("epoch")).intValue() == 1)
                .findFirst().orElseThrow();
        assertEquals(start, epoch1.ts() / 1e6, 0.005, "epoch 1 starts where the results say");
    }

    /**
     * The engine's own events, in a real run with each engine: every file's open (its engine and
     * size), the decoding of every projected column chunk (codec, bytes in and out) within its
     * file's read, each zstd page's decompression within its chunk's decoding, the waits for
     * storage and the reads submitted (offset, bytes, engine) inside the file's bounds.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"pread", "mmap"})
    void engineEvents_openReadPrefetchDecompressDecode(String engine) throws Exception {
        TracedRun run = TracedRun.make(dir, 1, 1, "reader.io_engine=" + engine);
        TraceFile t = TraceFile.read(run.trace(0, 1));
        List<TraceFile.Event> files = named(t, "read_file");
        assertFalse(files.isEmpty());
        Map<String, Long> sizes = new java.util.HashMap<>();
        for (TraceFile.Event f : files) {
            String file = (String) f.args().get("file");
            sizes.put(file, Files.size(Path.of(file)));
            TraceFile.Event open = within(t, "open", f);
            assertEquals(file, open.args().get("file"));
            assertEquals(engine, open.args().get("engine"));
            assertEquals(sizes.get(file).longValue(), ((Number) open.args().get("file_bytes")).longValue());
        }
        assertEquals(files.size(), named(t, "open").size(), "one open per file read");

        List<TraceFile.Event> decodes = named(t, "decode");
        // 8 files of 4 row groups; the workload projects every stored column (label, features, auxiliary)
        assertTrue(decodes.size() >= files.size() * 4, decodes.size() + " chunks decoded");
        for (TraceFile.Event d : decodes) {
            TraceFile.Event f = enclosing(files, d);
            assertTrue(f != null, "decode at line " + d.line() + " lies within a file's read on its thread");
            assertTrue(((Number) d.args().get("bytes_in")).longValue() > 0, d.toString());
            assertTrue(((Number) d.args().get("bytes_out")).longValue() > 0, d.toString());
            assertTrue(((Number) d.args().get("values")).longValue() > 0, d.toString());
        }
        TraceFile.Event features = decodes.stream().filter(d -> "features".equals(d.args().get("column"))).findFirst().orElseThrow();
        assertEquals("zstd", features.args().get("codec"));
        assertEquals(512 * 1024L, ((Number) features.args().get("values")).longValue(), "512 rows of 1,024 values");
        assertTrue(((Number) features.args().get("bytes_out")).longValue() >= 512 * 1024L, features.toString());

        List<TraceFile.Event> decompress = named(t, "decompress");
        assertFalse(decompress.isEmpty(), "zstd pages are decompressed");
        for (TraceFile.Event c : decompress) {
            TraceFile.Event d = enclosing(decodes, c);
            assertTrue(d != null, "decompress at line " + c.line() + " lies within a chunk's decoding");
            assertEquals(d.args().get("column"), c.args().get("column"));
            assertEquals(d.args().get("codec"), c.args().get("codec"));
            assertTrue(((Number) c.args().get("bytes_in")).longValue() > 0);
            assertTrue(((Number) c.args().get("bytes_out")).longValue() > 0);
        }
        long decompressedFeatures = decompress.stream().filter(c -> c.ts() >= features.ts() && c.end() <= features.end()
                && c.tid() == features.tid()).mapToLong(c -> ((Number) c.args().get("bytes_out")).longValue()).sum();
        assertTrue(decompressedFeatures > 0, "the features chunk's pages decompressed within it");

        List<TraceFile.Event> storage = new java.util.ArrayList<>(named(t, "read"));
        List<TraceFile.Event> prefetch = t.asyncEvents().stream().filter(e -> e.name().equals("prefetch")).toList();
        assertFalse(prefetch.isEmpty(), "reads submitted ahead are traced");
        storage.addAll(prefetch);
        for (TraceFile.Event r : storage) {
            assertEquals("storage", r.cat());
            String file = (String) r.args().get("file");
            assertTrue(sizes.containsKey(file) || file.endsWith(".parquet"), r.toString());
            long offset = ((Number) r.args().get("offset")).longValue();
            long bytes = ((Number) r.args().get("bytes")).longValue();
            assertTrue(offset >= 0 && bytes > 0, r.toString());
            assertTrue(offset + bytes <= Files.size(Path.of(file)), r + " lies within the file");
        }
        String readEngine = engine.equals("mmap") ? "mmap" : "pread";
        assertTrue(named(t, "read").stream().anyMatch(r -> readEngine.equals(r.args().get("engine"))), "waits on " + readEngine);
        assertTrue(prefetch.stream().anyMatch(r -> readEngine.equals(r.args().get("engine"))), "reads ahead with " + readEngine);
        for (TraceFile.Event f : files) {
            assertTrue(storage.stream().anyMatch(r -> f.args().get("file").equals(r.args().get("file"))),
                    "storage events of " + f.args().get("file"));
        }
    }

    /** The one event named {@code name} within {@code outer} on its thread. */
    private static TraceFile.Event within(TraceFile t, String name, TraceFile.Event outer) {
        List<TraceFile.Event> in = named(t, name).stream().filter(e -> e.tid() == outer.tid() && e.ts() >= outer.ts()
                && e.end() <= outer.end()).toList();
        assertEquals(1, in.size(), "one " + name + " within " + outer);
        return in.get(0);
    }

    /** The event of {@code outers} on {@code e}'s thread that contains it, or null. */
    private static TraceFile.Event enclosing(List<TraceFile.Event> outers, TraceFile.Event e) {
        return outers.stream().filter(o -> o.tid() == e.tid() && o.ts() <= e.ts() && e.end() <= o.end()).findFirst().orElse(null);
    }

    /**
     * A run whose stash passes its budget many times (256 records: the events spooled beside the
     * trace during the run, formatted at the end) writes the same trace as one that holds them all,
     * and leaves no spool behind.
     */
    @Test
    void readTrace_spooledDuringTheRun_holdsTheSameEvents() throws Exception {
        TracedRun held = TracedRun.make(Files.createDirectories(dir.resolve("held")), 1, 2);
        String was = System.getProperty(TraceSession.STASH_PROPERTY);
        TracedRun spooled;
        System.setProperty(TraceSession.STASH_PROPERTY, "256");
        try {
            spooled = TracedRun.make(Files.createDirectories(dir.resolve("spooled")), 1, 2, "--trace-gzip");
        } finally {
            if (was == null) {
                System.clearProperty(TraceSession.STASH_PROPERTY);
            } else {
                System.setProperty(TraceSession.STASH_PROPERTY, was);
            }
        }
        TraceFile a = TraceFile.read(held.trace(0, 1));
        Path gz = spooled.results.resolve("r0").resolve("trace-0-of-1.pfw.gz");
        TraceFile b = TraceFile.read(gz);
        assertTrue(a.complete() && b.complete());
        assertTrue(!named(b, "spool").isEmpty(), "the writer spooled full stashes during the run");
        assertTrue(named(a, "spool").isEmpty(), "the default budget holds this run's events");
        for (String kind : List.of("step", "data_wait", "compute", "read_file", "open", "decode", "decompress", "epoch", "barrier")) {
            assertEquals(named(a, kind).size(), named(b, kind).size(), kind + " events");
        }
        assertTrue(named(b, "decode").stream().allMatch(e -> e.args().get("column") instanceof String c && !c.isEmpty()),
                "spooled arguments keep their text");
        try (var files = Files.list(spooled.results.resolve("r0"))) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".spool")), "no spool left");
        }
    }

    @Test
    void dftracerEnvironment_turnsItOn_andCompresses() throws Exception {
        TracedRun base = TracedRun.make(dir, 1, 1);
        Path out = dir.resolve("env");
        Cli.Result r = Cli.run(Map.of("DFTRACER_ENABLE", "1", "DFTRACER_TRACE_COMPRESSION", "1"), "read", "--config",
                base.config.toString(), "--quiet", "--output", out.toString(), "dataset.data_folder=" + base.data);
        assertEquals(0, r.exit(), r.err());
        Path gz = out.resolve("trace-0-of-1.pfw.gz");
        assertTrue(Files.exists(gz), "DFTRACER_ENABLE=1 traces, DFTRACER_TRACE_COMPRESSION=1 gzips");
        assertEquals(0x1f, Files.readAllBytes(gz)[0] & 0xff);
        assertFalse(TraceFile.read(gz).events().isEmpty());
    }

    @Test
    void dliosProfilingKeys() throws Exception {
        TracedRun base = TracedRun.make(dir, 1, 1);
        Path on = dir.resolve("on");
        Cli.Result r = Cli.run("read", "--config", base.config.toString(), "--quiet", "--output", on.toString(),
                "dataset.data_folder=" + base.data, "workflow.profiling=True", "profiling.trace_compression=True");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.exists(on.resolve("trace-0-of-1.pfw.gz")), "workflow.profiling with no profiler named: Inlay's trace");

        Path iostat = dir.resolve("iostat");
        r = Cli.run("read", "--config", base.config.toString(), "--output", iostat.toString(), "dataset.data_folder=" + base.data,
                "++workload.workflow.profiling=True", "++workload.profiling.profiler=iostat");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("profiling.profiler: iostat is one of DLIO's profilers, which Inlay does not run"), r.err());
        assertFalse(Files.exists(iostat.resolve("trace-0-of-1.pfw")), "no trace unless asked for");

        r = Cli.run("read", "--config", base.config.toString(), "--quiet", "--output", dir.resolve("bad").toString(),
                "dataset.data_folder=" + base.data, "workflow.profiling=True", "profiling.profiler=dftracr");
        assertEquals(2, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("profiling.profiler: 'dftracr' is not a profiler; valid: dftracer"), r.err());
    }

    @Test
    void generateTrace_everyFileAndColumnChunkWritten() throws Exception {
        Path config = dir.resolve("workload.yaml");
        try (var in = RunCommand.class.getResourceAsStream("builtin-workload.yaml")) {
            Files.copy(in, config);
        }
        Path traces = dir.resolve("gen-trace");
        Cli.Result g = Cli.run("generate", "--config", config.toString(), "--quiet", "--trace", "--trace-dir", traces.toString(),
                "--threads", "2", "dataset.data_folder=" + dir.resolve("data"));
        assertEquals(0, g.exit(), g.err());
        TraceFile t = TraceFile.read(traces.resolve("trace-0-of-1.pfw"));
        assertEquals(8, named(t, "write_file").size(), "8 files");
        // 2,048 rows per file in row groups of 512: 4 row groups of 4 columns (3 stored: label, features, auxiliary, caption)
        assertEquals(8 * 4 * 4, named(t, "write_chunk").size());
        TraceFile.Event chunk = named(t, "write_chunk").stream().filter(e -> "features".equals(e.args().get("column"))).findFirst()
                .orElseThrow();
        assertEquals("zstd", chunk.args().get("codec"));
        assertEquals(512 * 1024L, ((Number) chunk.args().get("values")).longValue());
        assertTrue(((Number) chunk.args().get("bytes_out")).longValue() > 0);
        for (TraceFile.Event f : named(t, "write_file")) {
            assertTrue(((String) f.args().get("file")).endsWith(".parquet"));
            assertEquals(2048L, ((Number) f.args().get("rows")).longValue());
        }
    }

    @Test
    void traceFile_enforcesTheFormatsRules() throws Exception {
        String ok1 = "{\"id\":1,\"name\":\"a\",\"cat\":\"c\",\"pid\":0,\"tid\":1,\"ts\":1000,\"dur\":10,\"ph\":\"X\"}";
        String inner = "{\"id\":2,\"name\":\"b\",\"cat\":\"c\",\"pid\":0,\"tid\":1,\"ts\":1002,\"dur\":3,\"ph\":\"X\"}";
        String overlapping = "{\"id\":3,\"name\":\"c\",\"cat\":\"c\",\"pid\":0,\"tid\":1,\"ts\":1005,\"dur\":20,\"ph\":\"X\"}";
        Path f = dir.resolve("t.pfw");

        Files.writeString(f, "[\n" + ok1 + ",\n" + inner + "\n");
        TraceFile t = TraceFile.read(f);
        assertEquals(2, t.events().size(), "commas between events and no closing ] are allowed");
        assertFalse(t.complete());

        Files.writeString(f, "[\n" + ok1 + "\n" + overlapping + "\n]\n");
        var e = assertThrows(TraceFile.TraceFormatException.class, () -> TraceFile.read(f));
        assertTrue(e.getMessage().contains(":3: 'c'") && e.getMessage().contains("without nesting in it"), e.getMessage());

        Files.writeString(f, ok1 + "\n");
        assertTrue(assertThrows(TraceFile.TraceFormatException.class, () -> TraceFile.read(f)).getMessage().contains(":1: a trace starts"));

        Files.writeString(f, "[\n" + ok1 + "\n{\"name\":\"x\",\n]\n");
        assertTrue(assertThrows(TraceFile.TraceFormatException.class, () -> TraceFile.read(f)).getMessage().contains(":3: not a JSON object"));

        Files.writeString(f, "[\n{\"name\":\"x\",\"cat\":\"c\",\"pid\":0,\"tid\":1,\"ts\":5,\"dur\":-1,\"ph\":\"X\"}\n]\n");
        assertTrue(assertThrows(TraceFile.TraceFormatException.class, () -> TraceFile.read(f)).getMessage().contains("durations are 0 or more"));

        Files.writeString(f, "[\n{\"name\":\"x\",\"cat\":\"c\",\"pid\":0,\"tid\":1,\"ts\":5,\"ph\":\"B\"}\n]\n");
        assertTrue(assertThrows(TraceFile.TraceFormatException.class, () -> TraceFile.read(f)).getMessage().contains("never ends"));

        Files.writeString(f, "[\n{\"name\":\"x\",\"cat\":\"c\",\"tid\":1,\"ts\":5,\"dur\":1,\"ph\":\"X\"}\n]\n");
        assertTrue(assertThrows(TraceFile.TraceFormatException.class, () -> TraceFile.read(f)).getMessage().contains("has no 'pid'"));

        String b = "{\"id\":7,\"name\":\"r\",\"cat\":\"storage\",\"pid\":0,\"tid\":1,\"ts\":5,\"ph\":\"b\"}";
        String e2 = "{\"id\":7,\"name\":\"r\",\"cat\":\"storage\",\"pid\":0,\"tid\":1,\"ts\":9,\"ph\":\"e\"}";
        Files.writeString(f, "[\n" + b + "\n" + ok1 + "\n" + e2 + "\n]\n");
        assertEquals(1, TraceFile.read(f).events().size(), "an async pair overlapping a complete event is fine");
        Files.writeString(f, "[\n" + b + "\n]\n");
        assertTrue(assertThrows(TraceFile.TraceFormatException.class, () -> TraceFile.read(f)).getMessage().contains("never ends (e)"));
        Files.writeString(f, "[\n" + b + "\n");
        TraceFile.read(f); // a trace cut short may leave reads in flight
        Files.writeString(f, "[\n" + e2 + "\n]\n");
        assertTrue(assertThrows(TraceFile.TraceFormatException.class, () -> TraceFile.read(f)).getMessage().contains("without a begin"));

        Files.writeString(f, "[\n{\"name\":\"x\",\"cat\":\"c\",\"pid\":0,\"tid\":1,\"ts\":5,\"dur\":1,\"ph\":\"Q\"}\n]\n");
        assertTrue(assertThrows(TraceFile.TraceFormatException.class, () -> TraceFile.read(f)).getMessage().contains("not an event phase"));
    }
}
