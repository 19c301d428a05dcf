package io.inlay.bench.cold;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code inlay read} itself, the DLIO-level view: the launcher ({@code ./inlay}) in its own JVM on
 * the case's {@code workload.yaml}, {@code reader.read_threads=n train.epochs=E
 * train.computation_time=0 --json}, with {@code --evict-cache} for the cold view (each file dropped
 * from the page cache after it is read, so every epoch reads the device; the files are also evicted
 * before the run). The rate is over epochs 2..E, as issue 13's table gives it (epoch 1 pays JVM
 * start-up and JIT compilation); the hot view also reports the whole run ({@code seconds} of the
 * report, and the process's wall time with JVM start).
 *
 * <p>{@code inlay read} hands batches to a consumer and does not sum them: its runs are not gated
 * by checksum (the in-process Inlay contenders are); its JSON says how many evictions worked.
 *
 * @param extra further overrides, e.g. an I/O engine once {@code reader.io_engine} exists
 */
record InlayReadRun(String name, View view, Cache cache, int epochs, boolean evictEach, String inlay, List<String> extra,
        Path scratch) implements ColdContender {

    @Override
    public String kind() {
        return "inlay";
    }

    @Override
    public boolean inProcess() {
        return false;
    }

    @Override
    public boolean supports(ColdCase c) {
        return ColdRun.dlioCase(c, view);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Outcome run(ColdCase c, int threads) throws Exception {
        Files.createDirectories(scratch);
        Path json = Files.createTempFile(scratch, "inlay-read", ".json");
        try {
            List<String> cmd = new ArrayList<>(List.of(inlay, "read", "--config", ColdData.workload(c).toString(),
                    "reader.read_threads=" + threads, "train.epochs=" + epochs, "train.computation_time=0"));
            cmd.addAll(extra);
            cmd.addAll(List.of("--quiet", "--json", json.toString()));
            if (evictEach) {
                cmd.add("--evict-cache");
            }
            Exec.Result r = Exec.run(cmd, scratch, 3600);
            Map<String, Object> report = (Map<String, Object>) JSON.std.anyFrom(Files.readString(json));
            List<Map<String, Object>> perEpoch = (List<Map<String, Object>>) report.get("per_epoch");
            if (perEpoch == null || perEpoch.size() != epochs) {
                throw new IllegalStateException("inlay read reported " + (perEpoch == null ? 0 : perEpoch.size())
                        + " epochs, not " + epochs);
            }
            List<Double> epochSeconds = new ArrayList<>();
            for (Map<String, Object> e : perEpoch) {
                epochSeconds.add(((Number) e.get("seconds")).doubleValue());
            }
            long fileBytes = ColdData.fileBytes(c);
            int from = epochs > 1 ? 1 : 0;
            double seconds = 0;
            for (int e = from; e < epochs; e++) {
                seconds += epochSeconds.get(e);
            }
            double runSeconds = ((Number) report.get("seconds")).doubleValue();
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("epochs", epochs);
            detail.put("evict_each_file", evictEach);
            detail.put("epoch_seconds", epochSeconds);
            detail.put("run_seconds", runSeconds);
            detail.put("wall_seconds", r.wallSeconds());
            detail.put("read_mode", report.get("read_mode"));
            detail.put("bytes_read_reported", report.get("bytes_read"));
            detail.put("eviction", report.get("eviction"));
            detail.put("overrides", extra);
            if (epochs > 1) {
                detail.put("steady_epochs", "2-" + epochs);
                detail.put("steady_mb_per_s", (epochs - 1) * fileBytes / seconds / 1e6);
                detail.put("whole_mb_per_s", epochs * fileBytes / runSeconds / 1e6);
                detail.put("whole_with_jvm_start_mb_per_s", epochs * fileBytes / r.wallSeconds() / 1e6);
            }
            return new Outcome(seconds, (long) (epochs - from) * fileBytes, null, -1, Double.NaN, detail);
        } finally {
            Files.deleteIfExists(json);
        }
    }
}
