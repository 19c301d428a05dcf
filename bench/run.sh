#!/usr/bin/env bash
# Builds bench/target/benchmarks.jar and runs Inlay's benchmarks; JSON results go to bench/results/.
#
#   bench/run.sh codecs              codec decompress/compress throughput and allocation (JMH -prof gc)
#   bench/run.sh smoke               tiny files, every contender through the gate, one short JMH iteration each
#   bench/run.sh peers               the read benchmark at 1 GiB: every contender, shape, codec, 1 and 2 threads
#   bench/run.sh full                the read benchmark at 64 MiB, 1 GiB and 4 GiB (hours; for a quiet machine)
#   bench/run.sh memory              MemoryRun on the 4 GiB vector file: Inlay's two modes at -Xmx64m, parquet-java
#   bench/run.sh zerocopy            zero-copy slices against the floor, 1 GiB uncompressed, 1 and 2 threads
#   bench/run.sh decode              issue 4: decoding alone (file kept open) against floor-scan / floor-decompress, 1 GiB
#   bench/run.sh trace               issue 17: what one trace event costs the recording thread, tracing off and on (-prof gc)
#   bench/run.sh trace-read          issue 17: what --trace costs a hot read in steady state (TracedReadBenchmark, -prof gc)
#   bench/run.sh trace-interleaved   issue 17: the same, tracing on and off epoch by epoch in one JVM (InterleavedTraceRun)
#   bench/run.sh cold [--quick]      issue 13: every contender cold (files evicted before each read) against fio's
#                                    floors on the same files, 1 and 2 threads, plus inlay read's DLIO-level view
#                                    (~40 min; --quick: small files, ~5 min)
#   bench/run.sh gate  [key=a,b ...] the checksum gate alone (ChecksumGate arguments), writing missing files
#   bench/run.sh report FILE.json    Markdown table and SVG chart from a read-benchmark JSON file
#
# Extra arguments after codecs/smoke/peers/full go to JMH (e.g. -p contender=floor-scan,duckdb -p codec=none).
# Environment: INLAY_BENCH_DATA (data directory, default <repo>/bench-data, outside git),
# JAVA_HOME or /usr/lib/jvm/* for a JDK >= 25, BENCH_NO_BUILD=1 to skip the build,
# BENCH_WRITER=parquet-java or duckdb to write the files with those instead of Inlay; for peers/full:
# BENCH_SHAPES (vector,flat), BENCH_CODECS (none,zstd,snappy,lz4), BENCH_THREADS (1,2) narrow the run
# (gate and JMH alike), BENCH_TAG names the result files (default: the mode), and BENCH_GATE=0 skips
# the up-front gate over all contenders (each JMH trial still gates its own contender in setup).
# For cold: COLD_THREADS (default "1 2": one JVM per count), COLD_ROUNDS (3), COLD_CASES and
# COLD_CONTENDERS (comma-separated names, default all), BENCH_TAG (default cold, cold-quick); extra
# arguments go to io.inlay.bench.cold.ColdRun (key=value, e.g. views=matrix).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results="$root/bench/results"
jar="$root/bench/target/benchmarks.jar"
export INLAY_BENCH_DATA="${INLAY_BENCH_DATA:-$root/bench-data}"

# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
java="$(find_jdk)" || { echo "bench: no JDK 25 or newer found (JAVA_HOME, /usr/lib/jvm/*)" >&2; exit 2; }

# the flags JMH passes on to its forks: native access (codecs, DuckDB, Arrow), Arrow's Unsafe and
# java.nio access, Hardwood's SIMD path (the incubating Vector API)
flags=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
       --add-opens=java.base/java.nio=ALL-UNNAMED --add-modules=jdk.incubator.vector
       "-Dinlay.bench.data=$INLAY_BENCH_DATA" "-Dinlay.bench.writer=${BENCH_WRITER:-inlay}")

if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
    modules=bench
    [ "${1:-}" = cold ] && modules=bench,cli   # the cold mode runs ./inlay read too: build its jar now, not mid-run
    (cd "$root" && ./mvnw -q -B -DskipTests -pl "$modules" -am package) >&2
fi
mkdir -p "$results" "$INLAY_BENCH_DATA"

# BENCH_JAVA_OPTS: extra JVM options for every Java step (e.g. a -D switch of an experiment, -XX:+PreserveFramePointer for perf)
run_java() { "$java" "${flags[@]}" ${BENCH_JAVA_OPTS:-} "$@"; }
jmh() { wait_for_jmh bench; run_java -jar "$jar" -foe true "$@"; }
gate() { run_java -cp "$jar" io.inlay.bench.read.ChecksumGate "$@"; }
machine() {
    echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM; $("$java" -version 2>&1 | head -1); $(date -u +%Y-%m-%dT%H:%MZ); load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

mode="${1:-}"
[ $# -gt 0 ] && shift
case "$mode" in
    codecs)
        machine | tee "$results/codecs-machine.txt"
        run_java -cp "$jar" io.inlay.bench.codec.CodecRatios > "$results/codec-ratios.json"
        jmh 'io.inlay.bench.codec.*' -prof gc -f 1 -wi 3 -w 1s -i 5 -r 1s \
            -rf json -rff "$results/codecs.json" "$@"
        python3 "$root/bench/report.py" codecs "$results/codecs.json" "$results/codec-ratios.json"
        ;;
    smoke)
        gate shapes=vector sizes=256KiB codecs=none,zstd,snappy,lz4 rowGroupRows=16 threads=1,2
        jmh ReadBenchmark -p size=256KiB -p rowGroupRows=16 -p shape=vector -p codec=zstd -p threads=1 \
            -f 1 -wi 0 -i 1 -r 100ms -rf json -rff "$results/smoke.json" "$@"
        ;;
    peers|full)
        sizes=1GiB
        [ "$mode" = full ] && sizes=64MiB,1GiB,4GiB
        shapes="${BENCH_SHAPES:-vector,flat}" codecs="${BENCH_CODECS:-none,zstd,snappy,lz4}" threads="${BENCH_THREADS:-1,2}"
        tag="${BENCH_TAG:-$mode}"
        machine | tee "$results/$tag-machine.txt"
        if [ "${BENCH_GATE:-1}" != 0 ]; then
            gate shapes="$shapes" sizes="$sizes" codecs="$codecs" threads="$threads" | tee "$results/$tag-gate.txt"
        fi
        jmh ReadBenchmark -p size="$sizes" -p shape="$shapes" -p codec="$codecs" -p threads="$threads" \
            -prof gc -rf json -rff "$results/$tag.json" "$@"
        python3 "$root/bench/report.py" read "$results/$tag.json" --svg "$results/$tag.svg" | tee "$results/$tag.md"
        ;;
    zerocopy)
        tag="${BENCH_TAG:-zerocopy}"
        machine | tee "$results/$tag-machine.txt"
        jmh ZeroCopyBenchmark -p size=1GiB -prof gc -rf json -rff "$results/$tag.json" "$@" \
            | tee "$results/$tag.txt"
        ;;
    decode)
        # issue 4's targets: decoding alone (the file kept open) against floor-scan and, for
        # compressed files, floor-decompress; zero-copy on the uncompressed file only
        shapes="${BENCH_SHAPES:-vector,flat}" codecs="${BENCH_CODECS:-zstd,snappy,lz4}"
        tag="${BENCH_TAG:-decode}"
        machine | tee "$results/$tag-machine.txt"
        inlay=inlay-row_group-mapped,inlay-default-reuse-mapped,inlay-default-mapped
        jmh DecodeBenchmark -p shape="$shapes" -p codec=none -p contender=floor-scan,floor-place,floor-place-fresh,$inlay,inlay-zero-copy-mapped \
            -prof gc -rf json -rff "$results/$tag-none.json" "$@"
        jmh DecodeBenchmark -p shape="$shapes" -p codec="$codecs" -p contender=floor-scan,floor-decompress,floor-place,floor-place-fresh,$inlay \
            -prof gc -rf json -rff "$results/$tag-compressed.json" "$@"
        python3 "$root/bench/report.py" decode "$results/$tag-none.json" "$results/$tag-compressed.json" \
            --svg "$results/$tag.svg" | tee "$results/$tag.md"
        ;;
    trace)
        # issue 17: what one recorded event costs, tracing off (a branch) and on; -prof gc: nothing allocated
        machine | tee "$results/trace-machine.txt"
        # record: the recording thread's cost, off and on; collect: rings into the stash (epoch ends);
        # writeOut: formatting and writing (at close), to a file and to /dev/null
        { jmh 'TraceBenchmark.record' -p sink=file -prof gc -rf json -rff "$results/trace-record.json" "$@"
          jmh 'TraceBenchmark.(collect|writeOut)' -p tracing=on -prof gc -rf json -rff "$results/trace-write.json" "$@"; } |
            tee "$results/trace.txt"
        ;;
    trace-read)
        # issue 17: inlay read's worker loop in process, 2 threads, hot, tracing off and on (the session's
        # writer writing the events out during the measurement once the stash is full), ms per epoch.
        # TRACE_READ_ROUNDS rounds (default 4), each one fork off then one fork on, so that this VM's
        # drift (15% from one minute to the next) hits both alike; the verdict is the rounds' ratios.
        # TRACE_READ_JAR=some/benchmarks.jar measures another build; BENCH_TAG names the files (trace-read);
        # TRACE_READ_MODES="off on buffered" adds the trace file written through the page cache; mode "base" is
        # tracing on with TRACE_READ_BASE_JAR (an earlier build's benchmarks.jar), alternated with this build's.
        tag="${BENCH_TAG:-trace-read}"
        tjar="${TRACE_READ_JAR:-$jar}"
        machine | tee "$results/$tag-machine.txt"
        : > "$results/$tag.txt"
        for r in $(seq 1 "${TRACE_READ_ROUNDS:-4}"); do
            for t in ${TRACE_READ_MODES:-off on}; do
                echo "trace-read: round $r, tracing $t, $(date -u +%H:%M:%S), load average $(cut -d' ' -f1 /proc/loadavg)" |
                    tee -a "$results/$tag.txt"
                wait_for_jmh bench
                mjar="$tjar" mode="$t"
                if [ "$t" = base ]; then
                    mjar="${TRACE_READ_BASE_JAR:?mode base needs TRACE_READ_BASE_JAR}" mode=on
                fi
                run_java -jar "$mjar" -foe true TracedReadBenchmark -f 1 -p tracing=$mode -prof gc -rf json \
                    -rff "$results/$tag-r$r-$t.json" "$@" | tee -a "$results/$tag.txt" | grep -E '^(Traced|trace:)' || true
            done
        done
        python3 "$root/bench/report.py" trace-read "$results/$tag"-r*-*.json | tee "$results/$tag.md"
        ;;
    trace-interleaved)
        # issue 17: tracing on and off epoch by epoch in one JVM (InterleavedTraceRun), which resolves a few
        # percent where alternated forks cannot; arguments key=value (dataset=dlrm engine=pread pairs=150 ...)
        tag="${BENCH_TAG:-trace-interleaved}"
        machine | tee "$results/$tag-machine.txt"
        wait_for_jmh bench
        run_java -cp "$jar" io.inlay.bench.trace.InterleavedTraceRun "$@" json="$results/$tag.json" | tee "$results/$tag.txt"
        ;;
    memory)
        machine | tee "$results/memory-machine.txt"
        gate shapes=vector sizes=4GiB codecs=none contenders=floor-scan threads=1
        # Inlay's modes in a 64 MiB heap (row_group: bounded buffers; default: the whole file decoded
        # off-heap), then parquet-java at the same and at larger heaps
        for c in inlay-row_group inlay-default; do
            run_java -Xmx64m -cp "$jar" io.inlay.bench.memory.MemoryRun contender=$c shape=vector \
                size=4GiB codec=none threads=1 json="$results/memory-$c-xmx64m.json" || true
        done
        for xmx in 64m 128m 1g; do
            run_java "-Xmx$xmx" -cp "$jar" io.inlay.bench.memory.MemoryRun contender=parquet-java shape=vector \
                size=4GiB codec=none threads=1 json="$results/memory-parquet-java-xmx$xmx.json" || true
        done
        ;;
    cold)
        scale=full
        if [ "${1:-}" = --quick ]; then scale=quick; shift; fi
        tag="${BENCH_TAG:-$([ $scale = quick ] && echo cold-quick || echo cold)}"
        fio="$(ensure_fio)" || fio=none
        py="$(pyarrow_python "$root")" || py=none
        wait_for_jmh cold
        machine | tee "$results/$tag-machine.txt"
        rc=0
        inputs=()
        for t in ${COLD_THREADS:-1 2}; do
            run_java -cp "$jar" io.inlay.bench.cold.ColdRun scale=$scale data="$INLAY_BENCH_DATA" threads="$t" \
                rounds="${COLD_ROUNDS:-3}" cases="${COLD_CASES:-}" contenders="${COLD_CONTENDERS:-}" \
                fio="$fio" python="$py" pyarrow="$root/bench/pyarrow_read.py" inlay="$root/inlay" \
                out="$results/$tag-${t}t.json" "$@" || rc=$?
            [ -f "$results/$tag-${t}t.json" ] && inputs+=("$results/$tag-${t}t.json")
            # 3: the run finished with some reads failed (named in its output): go on to the next count
            [ $rc = 0 ] || [ $rc = 3 ] || break
        done
        machine | tee -a "$results/$tag-machine.txt"
        if [ ${#inputs[@]} -gt 0 ]; then
            python3 "$root/bench/cold_report.py" "${inputs[@]}" | tee "$results/$tag.md"
        fi
        exit $rc
        ;;
    gate)
        gate "$@"
        ;;
    report)
        python3 "$root/bench/report.py" read "$@"
        ;;
    *)
        sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
        exit 2
        ;;
esac
