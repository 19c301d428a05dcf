#!/usr/bin/env bash
# Where a traced read's CPU goes (issue 17): one TracedReadBenchmark fork (dlrm, 2 reader threads, hot)
# with tracing off and one with it on, each sampled by `perf record -F 999 -g` for 15 s of its
# measurement, then, per fork, the share of all samples in trace code (io.inlay.engine.trace.*, the
# clock readings) and by thread. On a host whose rate varies by 20% from fork to fork, the samples'
# attribution is the figure that resolves a few percent.
#
#   bench/profile-traced-read.sh [ENGINE] [OUT_DIR]     ENGINE: auto (default) or pread; OUT_DIR: bench/results/perf
#
# Needs perf (linux-perf) and the bench jar (bench/run.sh builds it; BENCH_NO_BUILD=1 skips that here too).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
java="$(find_jdk)" || { echo "profile-traced-read: no JDK 25 or newer found" >&2; exit 2; }
command -v perf > /dev/null || { echo "profile-traced-read: perf is not installed (apt-get install linux-perf)" >&2; exit 2; }
engine="${1:-auto}"
out="${2:-$root/bench/results/perf}"
mkdir -p "$out"
data="${INLAY_BENCH_DATA:-$root/bench-data}"
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
    (cd "$root" && ./mvnw -q -B -DskipTests -pl bench -am package) >&2
fi
for mode in off on; do
    name="$out/traced-read-$engine-$mode"
    "$java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow --add-opens=java.base/java.nio=ALL-UNNAMED \
        --add-modules=jdk.incubator.vector "-Dinlay.bench.data=$data" -jar "$root/bench/target/benchmarks.jar" TracedReadBenchmark \
        -f 1 -p tracing=$mode -p dataset=dlrm -p engine="$engine" -wi 6 -i 10 \
        -jvmArgsAppend "-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer" > "$name.jmh.txt" 2>&1 &
    bench=$!
    pid=""
    for _ in $(seq 1 120); do # the fork, once it runs (the dataset may be generated first)
        pid="$(pgrep -f 'jmh.runner.ForkedMain' | head -1 || true)"
        [ -n "$pid" ] && break
        sleep 1
    done
    [ -n "$pid" ] || { echo "profile-traced-read: the benchmark's fork did not start (see $name.jmh.txt)" >&2; exit 1; }
    sleep 28 # past the warm-up (6 x 3 s) and the setup's hot read
    perf record -F 999 -g -p "$pid" -o "$name.data" -- sleep 15 2> /dev/null
    wait "$bench"
    {
        echo "== tracing $mode, engine $engine: $(grep -E '^TracedReadBenchmark.epoch ' "$name.jmh.txt" | tail -1)"
        perf report -i "$name.data" --no-children --sort comm --stdio -g none -n 2> /dev/null | grep -E '^ +[0-9]' | head -8
        perf report -i "$name.data" --no-children --sort sym --stdio -g none -n 2> /dev/null |
            awk '/Samples:/ { print } /engine\.trace|clock_gettime/ { s += $1; print } END { printf "   %.2f%%  in trace code and clock readings\n", s }' |
            cut -c1-160
    } | tee "$name.txt"
done
