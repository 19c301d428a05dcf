#!/usr/bin/env bash
# issue 17's report targets: a 2-rank, 3-epoch run's `inlay report --html` page under 1 MB and
# rendered by a browser in under 1 s. Runs 2 ranks under Open MPI's mpirun (else two processes
# with --rank, one after the other) through 3 epochs with --trace, makes the page, then loads it
# LOADS times in headless Chromium (the DevTools protocol, from the cli module's test
# HtmlReportTest#renderTimeOfAGivenPage) at 390 and 1000 px and prints the times.
# The time of `inlay report --html` is printed beside that of `inlay --version` (the JVM's start and
# the command line alone), so that the report's own share shows.
#   bench/run-report.sh [KEY=VALUE overrides of the built-in workload ...]     (LOADS=5; INLAY_BENCH_DATA)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${INLAY_BENCH_DATA:-$root/bench-data}/report"
rm -rf "$work/results" "$work/cfg"
mkdir -p "$work/cfg/workload"
"$root/inlay" --version >/dev/null
cp "$root/cli/src/main/resources/io/inlay/cli/builtin-workload.yaml" "$work/cfg/workload/builtin.yaml"
data="$work/data"
echo "report: $(date -u +%Y-%m-%dT%H:%M:%SZ), load average $(cut -d' ' -f1-3 /proc/loadavg); overrides: $*" >&2
"$root/inlay" generate --config "$work/cfg/workload/builtin.yaml" dataset.data_folder="$data" "$@" --quiet
if command -v mpirun >/dev/null; then
    over=()
    for o in "$@"; do over+=("++workload.$o"); done
    mpirun -np 2 --oversubscribe --allow-run-as-root "$root/bin/dlio_benchmark" workload=builtin --config-dir="$work/cfg" \
        ++workload.dataset.data_folder="$data" ++workload.train.epochs=3 ++workload.workflow.profiling=True \
        ++hydra.run.dir="$work/results" "${over[@]}" > "$work/run.log"
else
    for r in 0 1; do
        "$root/inlay" read --config "$work/cfg/workload/builtin.yaml" dataset.data_folder="$data" train.epochs=3 "$@" --trace \
            --rank $r --world-size 2 --quiet --output "$work/results/r$r"
    done
fi
# alternated, 3 times each: the bare JVM start (inlay --version), then the report
for i in 1 2 3; do
    s0=$(date +%s.%N)
    "$root/inlay" --version > /dev/null
    s1=$(date +%s.%N)
    "$root/inlay" report "$work/results" --html "$work/report.html" > /dev/null
    s2=$(date +%s.%N)
    echo "report: round $i: inlay report --html took $(python3 -c "print(f'{$s2 - $s1:.2f}')") s, inlay --version" \
        "$(python3 -c "print(f'{$s1 - $s0:.2f}')") s (the JVM's start)"
done
echo "report: page $(stat -c %s "$work/report.html") bytes; traces" \
    "$(du -cb "$work"/results/trace-* "$work"/results/*/trace-* 2>/dev/null | tail -1 | cut -f1) bytes"
(cd "$root" && ./mvnw -q -pl cli -am -Dtest=HtmlReportTest#renderTimeOfAGivenPage -Dsurefire.failIfNoSpecifiedTests=false \
    -Dreport.page="$work/report.html" -Dreport.loads="${LOADS:-5}" test 2>&1) | grep -E "^render|Tests|FAIL|ERROR" || true
grep -h "^render" "$root/cli/target/surefire-reports/io.inlay.cli.HtmlReportTest-output.txt" 2>/dev/null || true
echo "report: done $(date -u +%Y-%m-%dT%H:%M:%SZ), load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
