#!/usr/bin/env bash
# Per-step barrier overhead (issue 14): steps/s of 2 ranks under mpirun with DLIO's barrier after
# every step (train.step_barrier=true, the default) and without it, alternated, from the same
# page-cached dataset. Prints one line per run; figures come from each run's summary.json.
#   bench/run-barrier.sh [rounds] [openmpi|mpich] [key=value ...]   (overrides, e.g. train.computation_time=0.001)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
flavour="${2:-openmpi}"
shift $(( $# > 2 ? 2 : $# ))
extra=("$@")
work="$root/bench-data/barrier"
mkdir -p "$work"
case "$flavour" in
    openmpi) mpirun=(mpirun.openmpi --oversubscribe --allow-run-as-root -np 2) ;;
    mpich) mpirun=(mpirun.mpich -np 2) ;;
    *) echo "flavour: openmpi or mpich" >&2; exit 2 ;;
esac
config="$root/testdata/workloads/barrier.yaml"
"$root/inlay" --version >/dev/null # build once before the ranks start
"$root/inlay" generate --config "$config" dataset.data_folder="$work/data" --quiet ${extra[@]+"${extra[@]}"}
for round in $(seq 1 "$rounds"); do
    for barrier in true false; do
        out="$work/run-$barrier-$round"
        rm -rf "$out"
        "${mpirun[@]}" "$root/inlay" read --config "$config" dataset.data_folder="$work/data" train.step_barrier="$barrier" \
            --output "$out" --quiet ${extra[@]+"${extra[@]}"} >/dev/null
        python3 - "$out/summary.json" "$barrier" "$round" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
m = s["metric"]
world = s["num_accelerators"]
batch = json.load(open(sys.argv[1].replace("summary.json", "0_output.json")))["inlay"]["batch_size"]
per_rank_steps = [t / world / batch for t in m["train_throughput_samples_per_second"]]
print(f"round {sys.argv[3]} step_barrier={sys.argv[2]:5s} steps/s per rank (per epoch): "
      + " ".join(f"{x:,.0f}" for x in per_rank_steps)
      + f"  after the first: {sum(per_rank_steps[1:]) / len(per_rank_steps[1:]):,.0f}")
PY
    done
done
