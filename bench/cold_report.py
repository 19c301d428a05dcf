#!/usr/bin/env python3
"""Markdown tables from the cold-read benchmark's JSON (bench/run.sh cold; standard library only).

  cold_report.py RESULTS.json [RESULTS.json ...]      (also: report.py cold ...)

One JSON per thread count (io.inlay.bench.cold.ColdRun writes one per JVM). Prints:
  * per case, every contender's median MB/s (of file bytes) at 1 and 2 threads and its ratio to
    fio io_uring QD16 O_DIRECT on the same files and thread count (same run), the bytes it fetched
    from storage against the file bytes (and, for a projected case, against the projected chunks'
    bytes), and the spread of its rounds;
  * the DLIO-level view: `inlay read --evict-cache` (epochs 2-3) against fio and DLIO's pyarrow path;
  * cold against hot: each Inlay engine's cold rate against min(fio, inlay-auto-hot), the default
    engine reading the same files from the page cache in the same rounds (issue 13's zstd target);
  * the hot whole run: 5 epochs from the page cache, whole run against epochs 2-5;
  * the evictions that did not work and the checksums compared, and the load averages seen.
"""
import json
import sys
from collections import OrderedDict

REFERENCE = "fio-io_uring-qd16-direct"
KIND_ORDER = {"floor": 0, "inlay": 1, "peer": 2, "python": 3}


def load(path):
    with open(path) as f:
        return json.load(f)


def mb(v):
    return "n/a" if v is None else ("%.0f" % v if v >= 100 else "%.1f" % v)


def ratio(v):
    return "n/a" if v is None else "%.2fx" % v


def main(paths):
    runs = [load(p) for p in paths]
    summary = [dict(s, _run=i) for i, r in enumerate(runs) for s in r.get("summary", [])]
    cases = OrderedDict()
    for r in runs:
        for c in r["cases"]:
            cases.setdefault(c["id"], c)
    threads = sorted({s["threads"] for s in summary})
    out = []
    out.append("Runs:")
    for r, p in zip(runs, paths):
        loads = [s["load1"] for s in r["samples"] if s.get("load1") is not None and not s.get("warmup")]
        out.append("* `%s`: threads %s, %s rounds (+%s warm-up), %s to %s; load average (1 min) %s-%s during reads"
                   % (p.split("/")[-1], ",".join(map(str, r["settings"]["threads"])), r["settings"]["rounds"],
                      r["settings"]["warmup"], r["started"][:19] + "Z", r.get("finished", "?")[:19] + "Z",
                      "%.2f" % min(loads) if loads else "?", "%.2f" % max(loads) if loads else "?"))
    out.append("* %s" % runs[0]["machine"])
    skipped = sorted({m for r in runs for m in r.get("skipped", [])})
    for m in skipped:
        out.append("* left out: %s" % m)
    out.append("")

    matrix = [s for s in summary if s["view"] == "matrix"]
    for cid, c in cases.items():
        rows = [s for s in matrix if s["case"] == cid]
        if not rows:
            continue
        projected = c["projected_chunk_bytes"] if len(c["projected_columns"]) < c["columns"] else None
        out.append("#### %s: %s" % (cid, c["description"]))
        out.append("")
        out.append("%d file%s, %.1f MB; %s. Medians of the rounds, MB/s of file bytes; x fio = against fio io_uring QD16 "
                   "O_DIRECT on the same files and thread count." % (
                       c["files"], "" if c["files"] == 1 else "s", c["file_bytes"] / 1e6,
                       "projected: %d of %d columns, %.1f MB of chunks" % (len(c["projected_columns"]), c["columns"],
                                                                          projected / 1e6) if projected else "every column read"))
        out.append("")
        head = "| contender |"
        sep = "|---|"
        for t in threads:
            head += " %dt MB/s | %dt x fio |" % (t, t)
            sep += "---:|---:|"
        head += " storage / file bytes |" + (" storage / projected |" if projected else "") + " spread |"
        sep += "---:|" + ("---:|" if projected else "") + "---:|"
        out.append(head)
        out.append(sep)
        names = OrderedDict()
        for s in sorted(rows, key=lambda s: (KIND_ORDER.get(s["kind"], 9), s["_run"])):
            names.setdefault(s["contender"], {})[s["threads"]] = s
        for name, by_t in names.items():
            line = "| %s |" % (("**%s**" % name) if name.startswith("inlay") else name)
            for t in threads:
                s = by_t.get(t)
                if s is None or "median_mb_per_s" not in s:
                    line += " %s | |" % ("failed" if s else "-")
                else:
                    line += " %s | %s |" % (mb(s["median_mb_per_s"]), ratio(s.get("ratio_to_fio_qd16_direct")))
            first = by_t.get(threads[0]) or next(iter(by_t.values()))
            st = first.get("storage_over_file_bytes")
            line += " %s |" % ("n/a" if st is None else "%.2f" % st)
            if projected:
                sp = first.get("storage_over_projected_bytes")
                line += " %s |" % ("n/a" if sp is None else "%.2f" % sp)
            spreads = [s["spread_percent"] for s in by_t.values() if "spread_percent" in s]
            line += " %s |" % ("%.0f%%" % max(spreads) if spreads else "")
            out.append(line)
        out.append("")

    engines = engine_lines(runs)
    if engines:
        out.append("#### Engines Inlay's files were read with")
        out.append("")
        out.append("Over the timed rounds: file opens per engine (auto's choice, after fallbacks; one file is opened by "
                   "each thread) and the reads that went through io_uring, of all reads submitted (mmap: ranges advised).")
        out.append("")
        out.append("| case | threads | contender | opens per engine | reads through io_uring |")
        out.append("|---|---:|---|---|---:|")
        out.extend(engines)
        out.append("")

    against = cold_vs_hot(runs)
    if against:
        out.append("#### Cold against hot: each engine's cold rate / min(fio, the default engine hot)")
        out.append("")
        out.append("`inlay-auto-hot` is the default engine reading the same files after they were read into the page "
                   "cache, in the same rounds (the same reader, checksum and loop: Inlay's hot decode rate on this case). "
                   "Per round: the cold rate over the smaller of that round's fio and hot rates; the median and range of "
                   "those ratios, and the ratio of the medians.")
        out.append("")
        out.append("| case | threads | contender | cold MB/s | hot MB/s | fio MB/s | per-round ratio, median (min-max) | ratio of medians |")
        out.append("|---|---:|---|---:|---:|---:|---:|---:|")
        out.extend(against)
        out.append("")

    dlio = [s for s in summary if s["view"] == "dlio"]
    if dlio:
        out.append("#### DLIO-level view: `inlay read --evict-cache`, epochs 2-3")
        out.append("")
        out.append("3-epoch runs, files evicted before the run and after each file is read; MB/s of file bytes over "
                   "epochs 2-3 (epoch 1 pays JVM start and JIT), medians of the rounds; fio from the same rounds.")
        out.append("")
        out.append("| case | threads | inlay read | fio io_uring QD16 direct | DLIO's pyarrow path | inlay / fio | inlay / pyarrow |")
        out.append("|---|---:|---:|---:|---:|---:|---:|")
        for cid in cases:
            for t in threads:
                inl = find(dlio, cid, t, "inlay-read-evict-3ep")
                py = find(dlio, cid, t, "pyarrow-reference-evict-3ep")
                fio = find(matrix, cid, t, REFERENCE)
                if not (inl or py):
                    continue
                vi, vp, vf = rate(inl), rate(py), rate(fio)
                out.append("| %s | %d | %s | %s | %s | %s | %s |" % (
                    cid, t, mb(vi), mb(vf), mb(vp), ratio(vi / vf if vi and vf else None),
                    ratio(vi / vp if vi and vp else None)))
        out.append("")

    hot = [s for s in summary if s["view"] == "hot"]
    if hot:
        out.append("#### Hot whole run: 5 epochs from the page cache")
        out.append("")
        out.append("| case | threads | reader | epochs 2-5 MB/s | whole run MB/s | whole / steady | whole run with JVM start |")
        out.append("|---|---:|---|---:|---:|---:|---:|")
        for s in hot:
            out.append("| %s | %d | %s | %s | %s | %s | %s |" % (
                s["case"], s["threads"], s["contender"], mb(s.get("median_mb_per_s")), mb(s.get("median_whole_mb_per_s")),
                ratio(s.get("whole_over_steady")), mb(s.get("median_whole_with_jvm_start_mb_per_s"))))
        for cid in cases:
            for t in threads:
                i, p = find(hot, cid, t, "inlay-read-hot-5ep"), find(hot, cid, t, "pyarrow-reference-hot-5ep")
                if i and p and p.get("median_whole_mb_per_s"):
                    out.append("")
                    out.append("%s, %d thread%s: inlay read / DLIO's pyarrow path = %.2fx over the whole run, %.2fx over epochs 2-5."
                               % (cid, t, "" if t == 1 else "s", i["median_whole_mb_per_s"] / p["median_whole_mb_per_s"],
                                  i["median_mb_per_s"] / p["median_mb_per_s"]))
        out.append("")

    files = ok = 0
    gated = 0
    not_cold = []
    errors = [e for r in runs for e in r.get("errors", [])]
    for r in runs:
        for s in r["samples"]:
            if s.get("warmup") or "cache" not in s:
                continue
            files += s["cache"]["files"]
            ok += s["cache"]["files_ok"]
            if not s["cache"]["worked"]:
                not_cold.append("%s %s %dt round %d: %d of %d files as asked, %d bytes resident" % (
                    s["contender"], s["case"], s["threads"], s["round"], s["cache"]["files_ok"], s["cache"]["files"],
                    s["cache"]["resident_after"]))
            if s.get("gate") == "ok":
                gated += 1
    out.append("Page cache: %d of %d file preparations worked (evicted before cold reads, resident before hot ones)." % (ok, files))
    for m in not_cold:
        out.append("* not as asked: %s" % m)
    out.append("Checksums: %d timed reads summed the projected floats, every one equal to the case's reference sum "
               "(parquet-java) bit for bit; fio and `inlay read` do not sum." % gated if not any("checksum" in e for e in errors)
               else "Checksums: a MISMATCH stopped the run (see errors).")
    for e in errors:
        out.append("* error: %s" % e)
    print("\n".join(out))
    return 0


def engine_lines(runs):
    """Table rows: per case, thread count and Inlay contender, the engines its files used and its io_uring reads."""
    acc = OrderedDict()
    for r in runs:
        for s in r["samples"]:
            d = s.get("detail") or {}
            if s.get("warmup") or "engines" not in d:
                continue
            a = acc.setdefault((s["case"], s["threads"], s["contender"]), {"engines": {}, "reads": 0, "uring": 0})
            for k, v in d["engines"].items():
                a["engines"][k] = a["engines"].get(k, 0) + v
            a["reads"] += d.get("reads", 0)
            a["uring"] += d.get("uring_reads", 0)
    lines = []
    for (case, t, name), a in acc.items():
        lines.append("| %s | %d | %s | %s | %d of %d |" % (
            case, t, name, ", ".join("%s %d" % kv for kv in sorted(a["engines"].items())), a["uring"], a["reads"]))
    return lines


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return None if n == 0 else (xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2)


def cold_vs_hot(runs):
    """Table rows: per case and thread count with an inlay-auto-hot contender, each cold Inlay engine against min(fio, hot)."""
    rates = OrderedDict()  # (case, threads) -> contender -> round -> MB/s
    for r in runs:
        for s in r["samples"]:
            if s.get("warmup") or s.get("view") != "matrix" or s.get("mb_per_s") is None:
                continue
            rates.setdefault((s["case"], s["threads"]), OrderedDict()).setdefault(s["contender"], {})[s["round"]] = s["mb_per_s"]
    lines = []
    for (case, t), by in rates.items():
        hot, fio = by.get("inlay-auto-hot"), by.get(REFERENCE)
        if not hot:
            continue
        for name, rounds in by.items():
            if not name.startswith("inlay") or name == "inlay-auto-hot":
                continue
            per = [v / min(hot[k], fio[k]) if fio and k in fio else v / hot[k] for k, v in rounds.items() if k in hot]
            mc, mh = median(rounds.values()), median(hot.values())
            mf = median(fio.values()) if fio else None
            floor = min(mh, mf) if mf else mh
            lines.append("| %s | %d | **%s** | %s | %s | %s | %s (%s-%s) | %s |" % (
                case, t, name, mb(mc), mb(mh), mb(mf), ratio(median(per)), ratio(min(per)) if per else "n/a",
                ratio(max(per)) if per else "n/a", ratio(mc / floor)))
    return lines


def find(rows, case, threads, contender):
    return next((s for s in rows if s["case"] == case and s["threads"] == threads and s["contender"] == contender), None)


def rate(s):
    return None if s is None else s.get("median_mb_per_s")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
