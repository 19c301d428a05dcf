#!/usr/bin/env bash
# A/B of DecodeBenchmark between two builds in one sitting: the benchmarks jar of the code before a
# change and of the code after it, run alternately (before/after, then after/before, ...) for
# ROUNDS rounds, so that the machine's load falls on both alike. Run it under the shared lock:
#
#   flock /tmp/bench.lock bench/ab-decode.sh BEFORE.jar AFTER.jar ROUNDS OUTDIR
#   bench/ab_report.py OUTDIR          # GB/s per round, medians, after / before
#
# Environment: INLAY_BENCH_DATA (the files, default <repo>/bench-data), AB_PARAMS (the JMH
# parameters and run lengths, default: vector; none and zstd; floor-place and Inlay's row_group and
# default-reuse modes; -wi 2 -i 3).
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: $0 BEFORE.jar AFTER.jar ROUNDS OUTDIR" >&2; exit 2; }
before=$1 after=$2 rounds=$3 out=$4
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
java="$(find_jdk)" || { echo "ab-decode: no JDK 25 or newer found (JAVA_HOME, /usr/lib/jvm/*)" >&2; exit 2; }
data="${INLAY_BENCH_DATA:-$root/bench-data}"
read -r -a params <<< "${AB_PARAMS:--wi 2 -i 3 -p shape=vector -p codec=none,zstd -p contender=floor-place,inlay-row_group-mapped,inlay-default-reuse-mapped}"
flags=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
       --add-opens=java.base/java.nio=ALL-UNNAMED --add-modules=jdk.incubator.vector
       "-Dinlay.bench.data=$data" -Dinlay.bench.writer=inlay)
mkdir -p "$out"
for r in $(seq 1 "$rounds"); do
    order="before after"; [ $((r % 2)) -eq 0 ] && order="after before"
    for side in $order; do
        jar=$before; [ "$side" = after ] && jar=$after
        echo "round $r $side start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/ab-log.txt"
        "$java" "${flags[@]}" -jar "$jar" DecodeBenchmark -foe true "${params[@]}" \
            -prof gc -rf json -rff "$out/ab-$side-$r.json" > "$out/ab-$side-$r.log" 2>&1
        echo "round $r $side end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/ab-log.txt"
    done
done
