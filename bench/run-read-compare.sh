#!/usr/bin/env bash
# inlay read against the Python reference path on the same datasets (issue 5's comparison):
# selective_read and dlrm_parquet scaled down, 1 and 2 threads, page cache hot for both (each
# dataset is read once before timing), no computation time, 6 epochs. Two rates each: steady
# (epochs 2-6: a JVM's first epoch includes JIT compilation, which a long training run amortises)
# and overall (all epochs, first included). Results:
# bench/results/read-compare.json and .md. Needs python3; pyarrow and pandas are installed into
# bench/.venv from the machine's package index when missing (skipped, with a note, if that fails).
#   bench/run-read-compare.sh            (READ_COMPARE_DATA=dir to put the datasets elsewhere)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${READ_COMPARE_DATA:-$root/bench-data/read-compare}"
results="$root/bench/results"
mkdir -p "$data" "$results"

# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
py="$(pyarrow_python "$root")" || { py=""; echo "read-compare: pyarrow could not be installed; only inlay is measured" >&2; }

"$root/inlay" --version >/dev/null
epochs=6
declare -A overrides=(
    [selective_read]="dataset.num_files_train=64 dataset.num_samples_per_file=1000"
    [dlrm_parquet]="dataset.num_files_train=8192"
)
declare -A columns=(
    [selective_read]="label,primary_features,dense_embedding"
    [dlrm_parquet]="dense_features,sparse_features,label"
)
out="$results/read-compare.json"
echo "[" > "$out"
first=1
emit() { if [ $first = 0 ]; then echo "," >> "$out"; fi; first=0; echo "$1" >> "$out"; }
for name in selective_read dlrm_parquet; do
    cfg="$root/../shared/configs/$name.yaml"
    folder="$data/$name"
    # shellcheck disable=SC2086
    "$root/inlay" generate --config "$cfg" dataset.data_folder="$folder" ${overrides[$name]} --quiet
    cat $(find "$folder" -name '*.parquet') > /dev/null   # page cache hot for everyone
    for t in 1 2; do
        json="$results/read-compare-$name-inlay-$t.json"
        # shellcheck disable=SC2086
        "$root/inlay" read --config "$cfg" dataset.data_folder="$folder" ${overrides[$name]} \
            reader.read_threads=$t train.computation_time=0 train.epochs=$epochs --quiet --json "$json"
        emit "$(python3 -c "import json,sys; d=json.load(open('$json')); es=[e['seconds'] for e in d['per_epoch']]; print(json.dumps({'dataset':'$name','reader':'inlay read','threads':$t,'samples':d['samples'],'seconds':d['seconds'],'samples_per_second':d['samples']/d['seconds'],'epoch_seconds':es,'bytes_read':d['bytes_read']}))")"
        rm -f "$json"
        if [ -n "$py" ]; then
            for mode in reference projected; do
                r="$("$py" "$root/bench/pyarrow_read.py" --data "$folder/train" --mode $mode --columns "${columns[$name]}" \
                    --threads $t --epochs $epochs --batch-size 32)"
                emit "$(python3 -c "import json; d=json.loads('''$r'''); d.update({'dataset':'$name','reader':'pyarrow $mode'}); print(json.dumps(d))")"
            done
        fi
    done
done
echo "]" >> "$out"
python3 - "$out" <<'PY' | tee "${out%.json}.md"
import json, sys
rows = json.load(open(sys.argv[1]))
def steady(r):
    es = r["epoch_seconds"]
    per_epoch = r["samples"] / len(es)
    return per_epoch * (len(es) - 1) / sum(es[1:])
print("| dataset | reader | threads | samples/s, epochs 2-6 | inlay / this | samples/s, all epochs | inlay / this |")
print("|---|---|---:|---:|---:|---:|---:|")
inlay = {(r["dataset"], r["threads"]): r for r in rows if r["reader"] == "inlay read"}
for r in rows:
    i = inlay[(r["dataset"], r["threads"])]
    print(f"| {r['dataset']} | {r['reader']} | {r['threads']} | {steady(r):,.0f} | {steady(i) / steady(r):.2f}x "
          f"| {r['samples_per_second']:,.0f} | {i['samples_per_second'] / r['samples_per_second']:.2f}x |")
PY
