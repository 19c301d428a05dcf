#!/usr/bin/env bash
# What --trace costs (issue 17's target: <= 3% of read throughput hot, unmeasurable cold):
# inlay read of the same dataset with and without --trace, alternated (off, on, off, on, ...)
# so that drift on this shared machine hits both alike, ROUNDS rounds each, no computation time
# (the read is the bottleneck, so any cost of tracing shows in the rate), EPOCHS epochs per run.
# Hot: the dataset read once before timing; cold: --evict-cache (every epoch from the device).
# Rates: samples/s over DLIO's metric window (mean over epochs) and Inlay's bytes from storage/s;
# also each process's wall time (JVM start to exit, the trace's writing at close included) and the
# rate of epochs 2 on (samples over their seconds: without epoch 1's JIT warm-up).
# Results: bench/results/$RESULTS_NAME.json, .md and -runs.jsonl (medians, ratio on/off, the spread;
# RESULTS_NAME defaults to trace-overhead). INLAY_CLASSPATH=some.jar runs another build (the inlay launcher's).
#   bench/run-trace-overhead.sh                      (ROUNDS=7 EPOCHS=4 MODES="hot cold" CASES="selective dlrm")
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${TRACE_OVERHEAD_DATA:-$root/bench-data/trace-overhead}"
results="$root/bench/results"
rounds="${ROUNDS:-7}"
epochs="${EPOCHS:-4}"
modes="${MODES:-hot cold}"
cases="${CASES:-selective dlrm}"
mkdir -p "$data" "$results"
"$root/inlay" --version >/dev/null

declare -A config=(
    [selective]="$root/../shared/configs/selective_read.yaml"
    [dlrm]="$root/../shared/configs/dlrm_parquet.yaml"
)
# selective_read: 512 files of 1,000 samples (1.9 GB); dlrm_parquet: 4,096 one-sample files (many events per byte)
declare -A overrides=(
    [selective]="dataset.num_files_train=512 dataset.num_samples_per_file=1000 reader.read_threads=2"
    [dlrm]="dataset.num_files_train=4096 reader.read_threads=2"
)
name="${RESULTS_NAME:-trace-overhead}"
runs="$results/$name-runs.jsonl"
: > "$runs"
echo "trace-overhead: $(date -u +%Y-%m-%dT%H:%M:%SZ), load average $(cut -d' ' -f1-3 /proc/loadavg), rounds $rounds, epochs $epochs, ${INLAY_CLASSPATH:-the worktree build}" | tee "$results/$name.log" >&2
for c in $cases; do
    folder="$data/$c"
    # shellcheck disable=SC2086
    "$root/inlay" generate --config "${config[$c]}" dataset.data_folder="$folder" ${overrides[$c]} --quiet
    for mode in $modes; do
        extra=""
        if [ "$mode" = cold ]; then extra="--evict-cache"; else cat $(find "$folder" -name '*.parquet') > /dev/null; fi
        for r in $(seq 1 "$rounds"); do
            for trace in off on; do
                out="$data/out-$c-$mode-$trace"
                rm -rf "$out"
                flag=""
                if [ "$trace" = on ]; then flag="--trace"; fi
                w0=$(date +%s.%N)
                # shellcheck disable=SC2086
                /usr/bin/time -f "%U %S" -o "$out.cpu" "$root/inlay" read --config "${config[$c]}" dataset.data_folder="$folder" ${overrides[$c]} train.computation_time=0 \
                    train.epochs="$epochs" --quiet --output "$out" --json "$out.json" $extra $flag
                w1=$(date +%s.%N)
                python3 - "$out.json" "$out" "$c" "$mode" "$trace" "$r" "$w0" "$w1" "$(cut -d' ' -f1 /proc/loadavg)" "$(tail -1 "$out.cpu")" >> "$runs" <<'PY'
import json, os, sys, glob
d = json.load(open(sys.argv[1]))
traces = glob.glob(os.path.join(sys.argv[2], "trace-*.pfw*"))
events = 0
for t in traces:
    with open(t) as f:
        events += sum(1 for line in f if line.startswith("{"))
# samples/s is null when DLIO's metric window is empty (too few steps once exclude_start_steps /
# exclude_end_steps are taken off); fall back to the whole run's samples over its seconds, marked as such.
sps, basis = d.get("samples_per_second"), "metric window"
if sps is None and d.get("samples") and d.get("seconds"):
    sps, basis = d["samples"] / d["seconds"], "whole run"
mbs = d.get("storage_read_mb_per_second")
if mbs is None and d.get("bytes_read") is not None and d.get("seconds"):
    mbs = d["bytes_read"] / 1e6 / d["seconds"]
later = [e for e in d.get("per_epoch", []) if e.get("epoch", 1) > 1 and e.get("seconds")]
steady = sum(e["samples"] for e in later) / sum(e["seconds"] for e in later) if later else None
print(json.dumps({"case": sys.argv[3], "mode": sys.argv[4], "trace": sys.argv[5], "round": int(sys.argv[6]),
                  "samples_per_second": sps, "rate_basis": basis, "storage_mb_per_second": mbs,
                  "seconds": d.get("seconds"), "wall_seconds": float(sys.argv[8]) - float(sys.argv[7]), "epochs_2_on_samples_per_second": steady, "trace_events": events,
                  "trace_bytes": sum(os.path.getsize(t) for t in traces), "load_average_1m": float(sys.argv[9]),
                  "cpu_seconds": sum(float(x) for x in sys.argv[10].split())}))
PY
                rm -rf "$out" "$out.json" "$out.cpu"
            done
        done
    done
done
python3 - "$runs" "$results/$name.json" <<'PY' | tee "$results/$name.md"
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
out = []
print("| case | page cache | samples/s off (median) | samples/s on (median) | on / off | median of the rounds' on / off | process CPU s off / on (ratio) | spread off (min-max) | spread on | MB/s off | MB/s on | trace events per run | trace MB per run | process wall s off / on | epochs 2+ samples/s off / on (ratio) |")
print("|---|---|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|")
for c in sorted({r["case"] for r in rows}):
    for m in ("hot", "cold"):
        sel = [r for r in rows if r["case"] == c and r["mode"] == m]
        bad = [r for r in sel if r["samples_per_second"] is None or r["storage_mb_per_second"] is None]
        if bad:
            print(f"trace-overhead: {c} {m}: {len(bad)} run(s) left out, no rate in their result", file=sys.stderr)
        off = [r for r in sel if r["trace"] == "off" and r not in bad]
        on = [r for r in sel if r["trace"] == "on" and r not in bad]
        if not off or not on:
            continue
        if any(r.get("rate_basis", "metric window") != "metric window" for r in off + on):
            print(f"trace-overhead: {c} {m}: some samples/s are the whole run's (empty metric window)", file=sys.stderr)
        so = statistics.median(r["samples_per_second"] for r in off)
        sn = statistics.median(r["samples_per_second"] for r in on)
        mo = statistics.median(r["storage_mb_per_second"] for r in off)
        mn = statistics.median(r["storage_mb_per_second"] for r in on)
        ev = statistics.median(r["trace_events"] for r in on)
        tb = statistics.median(r["trace_bytes"] for r in on) / 1e6
        wo = statistics.median(r.get("wall_seconds", 0) for r in off)
        wn = statistics.median(r.get("wall_seconds", 0) for r in on)
        lo = [r["epochs_2_on_samples_per_second"] for r in off if r.get("epochs_2_on_samples_per_second")]
        ln = [r["epochs_2_on_samples_per_second"] for r in on if r.get("epochs_2_on_samples_per_second")]
        later = f"{statistics.median(lo):,.0f} / {statistics.median(ln):,.0f} ({statistics.median(ln) / statistics.median(lo):.3f})" \
            if lo and ln else "-"
        pairs = {}
        for r in off + on:
            pairs.setdefault(r["round"], {})[r["trace"]] = r
        paired = statistics.median(p["on"]["samples_per_second"] / p["off"]["samples_per_second"]
                                   for p in pairs.values() if len(p) == 2)
        co = statistics.median(r.get("cpu_seconds", 0) for r in off)
        cn = statistics.median(r.get("cpu_seconds", 0) for r in on)
        cpu = f"{co:.2f} / {cn:.2f} ({cn / co:.3f})" if co else "-"
        sp = lambda l: f"{min(r['samples_per_second'] for r in l):,.0f}-{max(r['samples_per_second'] for r in l):,.0f}"
        out.append({"case": c, "mode": m, "samples_per_second_off": so, "samples_per_second_on": sn, "ratio": sn / so,
                    "storage_mb_per_second_off": mo, "storage_mb_per_second_on": mn, "trace_events": ev, "trace_mb": tb,
                    "wall_seconds_off": wo, "wall_seconds_on": wn, "rounds": len(off), "paired_ratio_median": paired,
                    "cpu_seconds_off": co, "cpu_seconds_on": cn})
        print(f"| {c} | {m} | {so:,.0f} | {sn:,.0f} | {sn / so:.3f} | {paired:.3f} | {cpu} | {sp(off)} | {sp(on)} | {mo:,.0f} | {mn:,.0f} | {ev:,.0f} | {tb:.1f} | {wo:.2f} / {wn:.2f} | {later} |")
json.dump(out, open(sys.argv[2], "w"), indent=1)
PY
echo "trace-overhead: done $(date -u +%Y-%m-%dT%H:%M:%SZ), load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results/$name.log" >&2
