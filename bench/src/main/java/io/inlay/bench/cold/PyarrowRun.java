package io.inlay.bench.cold;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's pyarrow path, {@code bench/pyarrow_read.py}, run as its own Python process over the
 * case's train folder with {@code --threads n --checksum}: {@code reference} is DLIO's
 * ParquetReader ({@code pq.read_table(f, memory_map=True).to_pandas().to_numpy()}, every column
 * whatever {@code read: false} says), {@code projected} the fastest pyarrow path (only the
 * projected columns, flattened straight to numpy). Times are the script's own (interpreter start and
 * imports left out; for the one-pass {@link View#MATRIX} runs pyarrow's and pandas' first-use costs
 * are also paid before timing with {@code --warmup}, as the in-process contenders' warm-up pays the
 * JIT's, while the multi-epoch runs' whole run includes them); storage bytes its
 * {@code /proc/self/io}; the checksum is the sum of the projected floats in what the read
 * produced, taken after the epoch's time.
 *
 * <p>With more than one epoch ({@link View#DLIO}, {@link View#HOT}), the rate is taken over the
 * epochs after the first (and, for the hot run, over the whole run too); {@code evictEach} passes
 * {@code --evict-cache} (each file dropped from the page cache after it is read).
 */
record PyarrowRun(String name, View view, Cache cache, String mode, int epochs, boolean evictEach, String python,
        String script, Path scratch) implements ColdContender {

    @Override
    public String kind() {
        return "python";
    }

    @Override
    public boolean inProcess() {
        return false;
    }

    @Override
    public boolean supports(ColdCase c) {
        return view == View.MATRIX || ColdRun.dlioCase(c, view);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Outcome run(ColdCase c, int threads) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(python, script, "--data", c.trainFolder().toString(), "--mode", mode,
                "--columns", String.join(",", c.projectedNames()), "--threads", Integer.toString(threads),
                "--epochs", Integer.toString(epochs), "--batch-size", "32", "--checksum"));
        if (view == View.MATRIX) {
            // one timed pass: pyarrow's and pandas' first-use costs paid before it, as the JIT's are for the JVM
            cmd.addAll(List.of("--warmup", "--cold"));
        }
        if (evictEach) {
            cmd.add("--evict-cache");
        }
        Exec.Result r = Exec.run(cmd, scratch, 3600);
        Map<String, Object> out = (Map<String, Object>) JSON.std.anyFrom(lastLine(r.stdout()));
        List<Number> epochSeconds = (List<Number>) out.get("epoch_seconds");
        List<Number> storage = (List<Number>) out.get("epoch_storage_bytes");
        List<Number> cpu = (List<Number>) out.get("epoch_cpu_seconds");
        List<String> sums = (List<String>) out.get("epoch_checksums");
        double checksum = Double.parseDouble(sums.get(0));
        for (String s : sums) {
            if (Double.compare(Double.parseDouble(s), checksum) != 0) {
                throw new IllegalStateException(name + " on " + c.id() + ": epochs summed differently: " + sums);
            }
        }
        long fileBytes = ColdData.fileBytes(c);
        int from = epochs > 1 ? 1 : 0;
        double seconds = 0;
        long stored = 0;
        double cpuSeconds = 0;
        for (int e = from; e < epochs; e++) {
            seconds += epochSeconds.get(e).doubleValue();
            long b = storage.get(e).longValue();
            stored = stored < 0 || b < 0 ? -1 : stored + b;
            cpuSeconds += cpu.get(e).doubleValue();
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("mode", mode);
        detail.put("epochs", epochs);
        detail.put("evict_each_file", evictEach);
        detail.put("epoch_seconds", epochSeconds);
        detail.put("epoch_storage_bytes", storage);
        detail.put("run_seconds", out.get("seconds"));
        detail.put("wall_seconds", r.wallSeconds());
        detail.put("pyarrow_version", out.get("pyarrow_version"));
        if (epochs > 1) {
            detail.put("steady_epochs", "2-" + epochs);
            detail.put("steady_mb_per_s", (epochs - 1) * fileBytes / seconds / 1e6);
            detail.put("whole_mb_per_s", epochs * fileBytes / ((Number) out.get("seconds")).doubleValue() / 1e6);
        }
        return new Outcome(seconds, (long) (epochs - from) * fileBytes, checksum, stored, cpuSeconds, detail);
    }

    static String lastLine(String stdout) {
        String[] lines = stdout.strip().split("\n");
        return lines[lines.length - 1];
    }
}
