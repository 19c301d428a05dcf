#!/usr/bin/env bash
# Issue 18's targets, measured side by side with fio in one run (mlpstorage's unet3d workload, unchanged
# but for the format and scale):
#
#   bench/mlperf.sh [FILES] [ROUNDS]     FILES unet3d files (default 16: ~2.3 GB with the shipped stdev),
#                                        ROUNDS rounds of each measurement (default 3)
#
# 1. generate: `inlay generate` of unet3d_datagen.yaml at -Xmx64m, 1 thread and 2 threads. Generate's clock
#    stops when every file is on the device: written with O_DIRECT (no page cache), fdatasync'ed, renamed,
#    and (a no-op then) dropped from the cache. Two figures per run, from generate's own line: wall GB/s
#    per thread (GB/s / threads: bounded by the device when it is slower than the generator), and GB per
#    CPU second (the process's user + system time while generating, every thread counted: the cost per
#    byte, whatever the load or the device);
# 2. cold read: the files evicted (posix_fadvise DONTNEED after fsync), then `inlay read` of
#    unet3d_h100.yaml at -Xmx64m (computation_time 0, one epoch, checkpointing off), storage MB/s from its
#    JSON; alternating with fio reading the same files (O_DIRECT, io_uring, 1 MiB, QD16);
# 3. checkpoint: a checkpoint-only run of unet3d_h100.yaml (model_size 499153191 as shipped; workflow.train
#    False, num_checkpoints_write 1, num_checkpoints_read 1: no dataset needed), save_ and
#    load_checkpoint_io_mean_GB_per_second from summary.json (GiB/s), alternating with fio writing the
#    same size in the same folder (O_DIRECT, io_uring, 1 MiB, QD16, fsync at the end), then reading it
#    back (O_DIRECT, io_uring, 1 MiB, QD16).
# MLPERF_STEPS (comma-separated, default generate,read,checkpoint) picks the measurements; without
# generate, the files are generated once, untimed, unless they are already there (MLPERF_KEEP=1 earlier).
# Prints one line per measurement and the ratios; writes bench/results/mlperf-<UTC time>.txt. Data in
# $INLAY_BENCH_DATA/mlperf (default <repo>/bench-data), deleted at the end unless MLPERF_KEEP=1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
files="${1:-16}"
rounds="${2:-3}"
data="${INLAY_BENCH_DATA:-$root/bench-data}/mlperf"
wl="$root/../shared/configs/mlpstorage/workload"
[ -d "$wl" ] || { echo "mlperf: $wl not found (../shared beside the checkout)" >&2; exit 2; }
fio="$(ensure_fio)"
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
    (cd "$root" && ./mvnw -q -B -DskipTests -pl cli -am package) >&2
fi
mkdir -p "$data" "$root/bench/results"
out="$root/bench/results/mlperf-$(date -u +%Y%m%dT%H%M%SZ).txt"
exec > >(tee "$out") 2>&1
echo "mlperf: $(nproc) cpus, $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg), $files files, $rounds rounds"
inlay() { JAVA_OPTS="-Xmx64m" "$root/inlay" "$@"; }
scale=(dataset.format=parquet "dataset.data_folder=$data/ds" "dataset.num_files_train=$files")
steps=",${MLPERF_STEPS:-generate,read,checkpoint},"
step() { [[ "$steps" == *",$1,"* ]]; }

evict() {
    python3 - "$@" <<'PY'
import os, sys
for root in sys.argv[1:]:
    for d, _, fs in os.walk(root):
        for f in fs:
            fd = os.open(os.path.join(d, f), os.O_RDONLY)
            try:
                os.fsync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
PY
}
fio_gbps() { python3 -c 'import json,sys; j=json.load(sys.stdin)["jobs"][0]; k=sys.argv[1]; print("%.4f" % (j[k]["io_bytes"]/ (j[k]["runtime"]/1000) / 1e9))' "$1"; }

if ! step generate; then
    if step read && [ -z "$(find "$data/ds/train" -name '*.parquet' 2>/dev/null | head -1)" ]; then
        echo "== generate once, untimed (generate is not in MLPERF_STEPS)"
        inlay generate --config "$wl/unet3d_datagen.yaml" "${scale[@]}" --quiet
    fi
else
echo "== generate (unet3d_datagen.yaml, -Xmx64m)"
for r in $(seq "$rounds"); do
    for t in 1 2; do
        rm -rf "$data/ds"
        line="$(inlay generate --config "$wl/unet3d_datagen.yaml" "${scale[@]}" --threads=$t 2>&1 | grep '^generated')"
        gbps="$(sed -n 's/.*: \([0-9.]*\) GB\/s.*/\1/p' <<<"$line")"
        cpu="$(sed -n 's/.* \([0-9.]*\) GB per CPU second.*/\1/p' <<<"$line")"
        echo "round $r threads $t: $line -> $(python3 -c "print('%.3f' % ($gbps / $t))") GB/s per thread (wall), ${cpu:-?} GB per CPU second; load $(cut -d' ' -f1-3 /proc/loadavg)"
    done
done
fi
sync

if step read; then
echo "== cold read (unet3d_h100.yaml, -Xmx64m) vs fio (O_DIRECT, io_uring, 1 MiB, QD16) on the same files"
list="$(find "$data/ds/train" -name '*.parquet' | sort | paste -sd:)"
bytes="$(find "$data/ds/train" -name '*.parquet' -printf '%s\n' | awk '{s+=$1} END {print s}')"
echo "files: $files, $bytes bytes"
for r in $(seq "$rounds"); do
    evict "$data/ds"
    rm -rf "$data/read"
    inlay read --config "$wl/unet3d_h100.yaml" "${scale[@]}" train.computation_time=0 train.epochs=1 workflow.checkpoint=False \
        reader.batch_size=1 --quiet --json "$data/read.json" --output "$data/read" >/dev/null
    in="$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print("%.4f %d" % (j["bytes_read"]/j["seconds"]/1e9, j["peak_heap_bytes"]))' "$data/read.json" 2>/dev/null \
        || python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j)' "$data/read.json")"
    evict "$data/ds"
    f="$("$fio" --name=cold --rw=read --bs=1M --iodepth=16 --direct=1 --ioengine=io_uring --filename="$list" \
        --output-format=json | fio_gbps read)"
    echo "round $r: inlay read $(cut -d' ' -f1 <<<"$in") GB/s (peak heap $(cut -d' ' -f2 <<<"$in") bytes), fio $f GB/s, ratio $(python3 -c "print('%.3f' % ($(cut -d' ' -f1 <<<"$in") / $f))"); load $(cut -d' ' -f1-3 /proc/loadavg)"
done
fi

if step checkpoint; then
echo "== checkpoint write and read-back (unet3d_h100.yaml: model_size 499153191; a checkpoint-only run, one checkpoint"
echo "   written then read back) vs fio sequential write then read of the same size (O_DIRECT, io_uring, 1 MiB, QD16)"
for r in $(seq "$rounds"); do
    rm -rf "$data/ckpt" "$data/run"
    JAVA_OPTS="-Xmx64m" "$root/bin/dlio_benchmark" workload=unet3d_h100 --config-dir="$wl/.." ++workload.workflow.train=False \
        ++workload.checkpoint.num_checkpoints_write=1 ++workload.checkpoint.num_checkpoints_read=1 \
        "++workload.checkpoint.checkpoint_folder=$data/ckpt" "++hydra.run.dir=$data/run" >/dev/null 2>&1
    ck="$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["metric"]; print("%.4f %.3f %.4f %.3f" % (m["save_checkpoint_io_mean_GB_per_second"], m["save_checkpoint_duration_mean_seconds"], m["load_checkpoint_io_mean_GB_per_second"], m["load_checkpoint_duration_mean_seconds"]))' "$data/run/summary.json")"
    rm -rf "$data/ckpt"
    mkdir -p "$data/ckpt"
    fw="$("$fio" --name=ckpt --rw=write --bs=1M --iodepth=16 --direct=1 --ioengine=io_uring --size=499153191 --end_fsync=1 \
        --filename="$data/ckpt/fio.bin" --output-format=json | python3 -c 'import json,sys; j=json.load(sys.stdin)["jobs"][0]["write"]; print("%.4f" % (j["io_bytes"]/(j["runtime"]/1000)/2**30))')"
    fr="$("$fio" --name=ckptread --rw=read --bs=1M --iodepth=16 --direct=1 --ioengine=io_uring --size=499153191 \
        --filename="$data/ckpt/fio.bin" --output-format=json | python3 -c 'import json,sys; j=json.load(sys.stdin)["jobs"][0]["read"]; print("%.4f" % (j["io_bytes"]/(j["runtime"]/1000)/2**30))')"
    rm -rf "$data/ckpt"
    read -r sw sd lw ld <<<"$ck"
    echo "round $r: inlay checkpoint write $sw GiB/s ($sd s, fsynced), fio write $fw GiB/s, ratio $(python3 -c "print('%.3f' % ($sw / $fw))");" \
        "read-back $lw GiB/s ($ld s, O_DIRECT), fio read $fr GiB/s, ratio $(python3 -c "print('%.3f' % ($lw / $fr))"); load $(cut -d' ' -f1-3 /proc/loadavg)"
done
fi
[ "${MLPERF_KEEP:-0}" = 1 ] || rm -rf "$data"
echo "results in $out"
