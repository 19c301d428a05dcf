#!/usr/bin/env bash
# Writer benchmarks (issue 3). Builds bench/target/benchmarks.jar, runs, and prints Markdown tables;
# raw results go to bench/results/writer-*.
#
#   bench/run-writer.sh jmh [JMH args]   generation + write of float32 vectors (1024 per row), every codec,
#                                        1 thread, with -prof gc; then the uncompressed case on 2 threads
#   bench/run-writer.sh large [ROWS]     one file of one row group under -Xmx128m: LargeFileRun (peak heap,
#                                        RSS) and the same through ./inlay generate under /usr/bin/time -v
#   bench/run-writer.sh cli [FILES]      what a user sees: ./inlay generate (seed_example, uncompressed, --threads 1,
#                                        FILES files of 10,000 rows, default 24: 1 GB) into a new folder, three runs,
#                                        each beside dd writing as many bytes into a new file (the page cache's
#                                        share) and the same run in one warm JVM (JIT warm-up's share)
#   bench/run-writer.sh table FILE.json  the Markdown table of a JMH result file
#
# Environment: WRITE_DIR (where files are written; default: the temporary directory, e.g. /dev/shm to
# take the disk out), JMH_RUN (iterations, default "-f 1 -wi 2 -w 3s -i 3 -r 5s"), BENCH_NO_BUILD=1 to
# skip the build, JAVA_HOME or /usr/lib/jvm/* for a JDK >= 25.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results="$root/bench/results"
jar="$root/bench/target/benchmarks.jar"
dir="${WRITE_DIR:-${TMPDIR:-/tmp}}"
read -r -a run <<< "${JMH_RUN:--f 1 -wi 2 -w 3s -i 3 -r 5s}"

# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
java="$(find_jdk)" || { echo "run-writer: no JDK 25 or newer found (JAVA_HOME, /usr/lib/jvm/*)" >&2; exit 2; }
flags=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)

machine() {
    echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM;" \
        "$("$java" -version 2>&1 | head -1); files in $dir ($(df -T "$dir" | awk 'NR==2 {print $2}')); load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
}

table() { # Markdown from a JMH JSON file: GB/s of float data per thread, file GB/s, heap bytes per MB written
    python3 - "$1" <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1]))
print("| benchmark | codec | threads | float GB/s per thread | file GB/s per thread | file MB | heap B per MB written |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    name = r["benchmark"].rsplit(".", 1)[1]
    t = r["threads"]
    ops = r["primaryMetric"]["score"]
    sec = r["secondaryMetrics"]
    floats = sec["floatBytes"]["score"] / t / 1e9
    files = sec["fileBytes"]["score"] / t / 1e9
    mb = sec["fileBytes"]["score"] / ops / 1e6 if ops else 0
    alloc = sec.get("gc.alloc.rate.norm", {}).get("score")
    per_mb = "%.0f" % (alloc / mb) if alloc is not None and mb else "-"
    print("| %s | %s | %d | %.2f | %.2f | %.1f | %s |" % (name, r["params"]["codec"], t, floats, files, mb, per_mb))
EOF
}

mode="${1:-}"
[ $# -gt 0 ] && shift
if [ "$mode" != table ] && [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
    (cd "$root" && ./mvnw -q -B -DskipTests -pl cli,bench -am package) >&2
fi
mkdir -p "$results"

case "$mode" in
    jmh)
        wait_for_jmh run-writer
        machine | tee "$results/writer-machine.txt"
        "$java" "${flags[@]}" -jar "$jar" 'io.inlay.bench.write.WriteBenchmark' -p dir="$dir" -prof gc \
            "${run[@]}" -rf json -rff "$results/writer-1t.json" "$@"
        wait_for_jmh run-writer
        "$java" "${flags[@]}" -jar "$jar" 'io.inlay.bench.write.WriteBenchmark.(generate|ioFloor)' -p dir="$dir" \
            -p codec=none -t 2 -prof gc "${run[@]}" -rf json -rff "$results/writer-2t.json" "$@"
        table "$results/writer-1t.json"
        table "$results/writer-2t.json" | tail -n +3
        ;;
    large)
        rows="${1:-524288}"
        wait_for_jmh run-writer
        machine | tee "$results/writer-large.txt"
        "$java" -Xmx128m "${flags[@]}" -cp "$jar" io.inlay.bench.write.LargeFileRun "$dir" "$rows" | tee -a "$results/writer-large.txt"
        out="$(mktemp -d "$dir/inlay-large-cli-XXXXXX")"
        JAVA_OPTS=-Xmx128m /usr/bin/time -v "$root/inlay" generate --config "$root/../shared/configs/seed_example.yaml" \
            dataset.data_folder="$out" dataset.num_files_train=1 dataset.num_samples="$rows" \
            dataset.parquet.row_group_size="$rows" --threads 1 --json "$out/summary.json" 2>&1 \
            | grep -E 'generated|Maximum resident|Elapsed' | tee -a "$results/writer-large.txt"
        rm -rf "$out"
        ;;
    cli)
        files="${1:-24}"
        wait_for_jmh run-writer
        machine | tee "$results/writer-cli.txt"
        out="$(mktemp -d "$dir/inlay-cli-XXXXXX")"
        config="$root/../shared/configs/seed_example.yaml"
        printf '| run | %s |\n|---|---|\n' "what it measured" | tee -a "$results/writer-cli.txt"
        for i in 1 2 3; do
            rm -rf "$out/data"
            # let the memory freed by the last run go back to the host first, as on a machine that did not just write
            sleep 20
            line="$("$root/inlay" generate --config "$config" dataset.data_folder="$out/data" \
                dataset.num_files_train="$files" --threads 1 | head -1)"
            echo "| ./inlay generate, run $i | $line |" | tee -a "$results/writer-cli.txt"
            bytes="$(du -sb "$out/data" | cut -f1)"
            rm -rf "$out/data"
            sleep 20
            rate="$(dd if=/dev/zero of="$out/dd.bin" bs=1M count="$((bytes >> 20))" 2>&1 | tail -1)"
            rm -f "$out/dd.bin"
            echo "| dd into a new file, run $i | $rate |" | tee -a "$results/writer-cli.txt"
        done
        # the same generation repeated in one JVM: the first pass pays for JIT warm-up, later ones do not
        "$java" "${flags[@]}" -cp "$jar" io.inlay.bench.write.WarmGenerateRun "$out/warm" "$files" 4 \
            | sed 's/^/| one JVM, /; s/$/ |/' | tee -a "$results/writer-cli.txt"
        rm -rf "$out"
        ;;
    table)
        table "$1"
        ;;
    *)
        sed -n '2,18p' "$0" >&2
        exit 2
        ;;
esac
