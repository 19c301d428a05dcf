#!/usr/bin/env bash
# Two ranks under mpirun, generate + read through bin/dlio_benchmark from another folder, with the
# jar ./mvnw verify built; then the result folder is checked file by file.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v mpirun.openmpi >/dev/null; then
    echo "dlio-e2e: skipped: mpirun.openmpi is not installed (apt-get install -y openmpi-bin libopenmpi-dev)"
    exit 0
fi
work="$root/target/dlio-e2e"
rm -rf "$work"
mkdir -p "$work/configs/workload" "$work/cwd"
cp "$root/../shared/configs/selective_read.yaml" "$work/configs/workload/"
cd "$work/cwd"
mpi=(mpirun.openmpi --oversubscribe --allow-run-as-root -np 2)
common=(workload=selective_read --config-dir="$work/configs" ++workload.dataset.data_folder="$work/data"
    ++workload.dataset.num_files_train=8 ++workload.dataset.num_samples_per_file=400 ++workload.reader.read_threads=2
    ++hydra.output_subdir=dlio_config)
"${mpi[@]}" "$root/bin/dlio_benchmark" "${common[@]}" ++workload.workflow.generate_data=True ++workload.workflow.train=False \
    ++hydra.run.dir="$work/datagen"
"${mpi[@]}" "$root/bin/dlio_benchmark" "${common[@]}" ++workload.workflow.generate_data=False ++workload.train.epochs=2 \
    ++hydra.run.dir="$work/run" | tee "$work/run.out"
fail() { echo "dlio-e2e: FAILED: $*" >&2; exit 1; }
for f in summary.json 0_output.json 1_output.json 0_per_epoch_stats.json 1_per_epoch_stats.json dlio.log \
    dlio_config/config.yaml dlio_config/hydra.yaml dlio_config/overrides.yaml; do
    [ -s "$work/run/$f" ] || fail "$f is missing from the result folder"
done
ls "$work/run" | grep -q '_metadata.json$' && fail "a *_metadata.json is in the folder (mlpstorage writes its own)"
grep -q '"num_accelerators" : 2,' "$work/run/summary.json" || fail "summary.json does not count 2 accelerators"
grep -q '"train_au_meet_expectation" :' "$work/run/summary.json" || fail "summary.json has no train_au_meet_expectation"
grep -q '"complete" : true,' "$work/run/summary.json" || fail "summary.json is not marked complete"
grep -q '^\[METRIC\] Training Throughput (samples/second)' "$work/run/dlio.log" || fail "dlio.log has no [METRIC] block"
head -1 "$work/run/dlio_config/config.yaml" | grep -q '^workload:' || fail "config.yaml is not under workload:"
[ "$(ls "$work/data/train" | grep -c '\.parquet$')" = 8 ] || fail "the ranks did not generate the 8 files"
echo "dlio-e2e: 2 ranks generated and read through bin/dlio_benchmark; the result folder is complete: $work/run"
