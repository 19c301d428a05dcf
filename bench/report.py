#!/usr/bin/env python3
"""Tables and charts from Inlay's JMH JSON results (standard library only).

  report.py trace-read NAME-rROUND-off.json NAME-rROUND-on.json [NAME-rROUND-buffered.json] ...
      TracedReadBenchmark's alternated forks: per round ms per epoch off, on (and buffered), ratios to off, GC time
  report.py read RESULTS.json [--svg OUT.svg] [--size 1GiB]
      Markdown table per shape/size/threads: GB/s and M values/s of float data, % of the floor
      (floor-scan), heap bytes allocated per GiB read, and for Inlay's contenders (names starting
      with "inlay") the ratio to each peer; plus an SVG bar chart of GB/s per contender per codec.
  report.py decode RESULTS.json [--svg OUT.svg]
      The same for DecodeBenchmark (decoding alone, the file kept open), with a second ratio for
      compressed files: % of floor-decompress (the raw decompression speed of the same pages), and
      % of floor-place (the pages decompressed or copied into place in a row-group-sized buffer) and
      of floor-place-fresh (the same into new memory per operation).
  report.py codecs CODECS.json [RATIOS.json]
      Markdown table of codec throughput (MB/s of uncompressed data) and heap bytes per page.
  report.py cold COLD-1t.json [COLD-2t.json ...]
      The cold-read benchmark's tables (bench/run.sh cold): see cold_report.py.
"""
import json
import re
import sys
from collections import OrderedDict

FLOORS = ("floor-scan", "floor-copy", "floor-scan-open", "floor-decompress", "floor-place", "floor-place-fresh")
EXTRA_FLOORS = ("floor-decompress", "floor-place", "floor-place-fresh")
PEERS = ("parquet-java", "hardwood", "arrow", "duckdb")
COLOURS = ["#4c72b0", "#8fb0e0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860",
           "#da8bc3", "#8c8c8c", "#ccb974", "#64b5cd", "#2f4b7c"]


def parse_size(text):
    m = re.fullmatch(r"\s*(\d+)\s*(KiB|MiB|GiB)?\s*", text)
    if not m:
        raise ValueError("size %r" % text)
    unit = {"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, None: 1}[m.group(2)]
    return int(m.group(1)) * unit


def load(path):
    with open(path) as f:
        return json.load(f)


def num(value):
    """JMH writes "NaN" (a string) for errors it cannot compute."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if v != v else v


def alloc_norm(run):
    metric = run.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
    return None if metric is None else metric["score"]


def read_rows(results, benchmark="ReadBenchmark.read"):
    rows = []
    for run in results:
        if not run["benchmark"].endswith(benchmark):
            continue
        p = run["params"]
        size = parse_size(p["size"])
        ops = run["primaryMetric"]["score"]
        norm = alloc_norm(run)
        rows.append({
            "contender": p["contender"], "shape": p["shape"], "size": p["size"], "codec": p["codec"],
            "threads": int(p["threads"]), "gbps": ops * size / 1e9, "mvps": ops * size / 4 / 1e6,
            "err": num(run["primaryMetric"].get("scoreError")) * size / 1e9,
            "alloc_per_gib": None if norm is None else norm / (size / (1 << 30)),
        })
    return rows


def human_bytes(b):
    if b is None:
        return "n/a"
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if b >= scale:
            return "%.1f %s" % (b / scale, unit)
    return "%.0f B" % b


def read_table(rows):
    out = []
    groups = OrderedDict()
    for r in rows:
        groups.setdefault((r["shape"], r["size"], r["threads"]), []).append(r)
    for (shape, size, threads), rs in groups.items():
        inlays = sorted({r["contender"] for r in rs if r["contender"].startswith("inlay")})
        out.append("### %s, %s, %d thread%s\n" % (shape, size, threads, "" if threads == 1 else "s"))
        extra = [f for f in EXTRA_FLOORS if any(r["contender"] == f for r in rs)]
        head = "| codec | contender | GB/s | M values/s | % of floor | heap alloc. per GiB |"
        sep = "|---|---|---:|---:|---:|---:|"
        if extra:
            head = head.replace("% of floor |", "% of floor-scan | " + " | ".join("% of " + f for f in extra) + " |")
            sep += "---:|" * len(extra)
        out.append(head)
        out.append(sep)
        by_codec = OrderedDict()
        for r in rs:
            by_codec.setdefault(r["codec"], []).append(r)
        for codec, cs in by_codec.items():
            floor = next((c["gbps"] for c in cs if c["contender"] == "floor-scan"), None)
            floors = [next((c["gbps"] for c in cs if c["contender"] == f), None) for f in extra]
            for c in cs:
                pct = "%.0f%%" % (100 * c["gbps"] / floor) if floor else "n/a"
                for f in floors:
                    pct += " | " + ("%.0f%%" % (100 * c["gbps"] / f) if f else "n/a")
                out.append("| %s | %s | %.2f ± %.2f | %.0f | %s | %s |" % (
                    codec, c["contender"], c["gbps"], c["err"], c["mvps"], pct, human_bytes(c["alloc_per_gib"])))
        if inlays and any(r["contender"] in PEERS for r in rs):
            out.append("")
            out.append("| codec | contender | " + " | ".join("x " + p for p in PEERS) + " |")
            out.append("|---|---|" + "---:|" * len(PEERS))
            for codec, cs in by_codec.items():
                speed = {c["contender"]: c["gbps"] for c in cs}
                for name in inlays:
                    if name in speed:
                        ratios = ["%.2f" % (speed[name] / speed[p]) if speed.get(p) else "n/a" for p in PEERS]
                        out.append("| %s | %s | %s |" % (codec, name, " | ".join(ratios)))
        out.append("")
    return "\n".join(out)


def svg_chart(rows, size=None):
    """One panel per (shape, size, threads): bars of GB/s per contender, grouped by codec, on a
    log scale (the floor is an order of magnitude above the peers; ratios read as distances)."""
    import math
    if size:
        rows = [r for r in rows if r["size"] == size]
    panels = OrderedDict()
    for r in rows:
        panels.setdefault((r["shape"], r["size"], r["threads"]), []).append(r)
    contenders = list(OrderedDict.fromkeys(r["contender"] for r in rows))
    colour = {c: COLOURS[i % len(COLOURS)] for i, c in enumerate(contenders)}
    codecs_all = list(OrderedDict.fromkeys(r["codec"] for r in rows))
    bar, gap, group_gap = 16, 2, 30
    left, top, panel_h, legend_h = 60, 44, 240, 34
    group_w = len(contenders) * (bar + gap) + group_gap
    legend_w = sum(14 + 7 * len(c) + 16 for c in contenders)
    width = max(left + 20 + max(1, len(codecs_all)) * group_w, left + legend_w + 20)
    height = top + legend_h + len(panels) * (panel_h + 56)
    positive = [r["gbps"] for r in rows if r["gbps"] > 0] or [1.0]
    lo = 10 ** math.floor(math.log10(min(positive)))
    top_value = max(positive)
    hi = min(m * 10 ** e for e in range(-3, 4) for m in (1, 2, 5) if m * 10 ** e >= top_value)
    ticks = [m * 10 ** e for e in range(int(math.log10(lo)), int(math.ceil(math.log10(hi))) + 1) for m in (1, 2, 5)
             if lo <= m * 10 ** e <= hi * 1.0001]

    def y_of(v, base):
        return base - (math.log10(max(v, lo)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * (panel_h - 24)

    s = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">' % (width, height),
         '<rect width="100%" height="100%" fill="white"/>',
         '<text x="%d" y="20" font-size="14" font-weight="bold">Read throughput, GB/s of float data (log scale, higher is better)</text>' % left]
    x = left
    for c in contenders:
        s.append('<rect x="%d" y="%d" width="10" height="10" fill="%s"/>' % (x, top - 9, colour[c]))
        s.append('<text x="%d" y="%d">%s</text>' % (x + 14, top, c))
        x += 14 + 7 * len(c) + 16
    y0 = top + legend_h
    for (shape, size_, threads), rs in panels.items():
        base = y0 + panel_h
        s.append('<text x="%d" y="%d" font-weight="bold">%s, %s, %d thread%s</text>' % (
            left, y0 - 6, shape, size_, threads, "" if threads == 1 else "s"))
        for t in ticks:
            yy = y_of(t, base)
            s.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>' % (left, yy, width - 10, yy))
            s.append('<text x="%d" y="%.1f" text-anchor="end">%g</text>' % (left - 4, yy + 4, t))
        s.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>' % (left, base, width - 10, base))
        for gi, codec in enumerate(codecs_all):
            gx = left + 10 + gi * group_w
            s.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (
                gx + len(contenders) * (bar + gap) / 2, base + 15, codec))
            for ci, c in enumerate(contenders):
                r = next((r for r in rs if r["codec"] == codec and r["contender"] == c), None)
                if r is None:
                    continue
                top_y = y_of(r["gbps"], base)
                bx = gx + ci * (bar + gap)
                s.append('<rect x="%d" y="%.1f" width="%d" height="%.1f" fill="%s"><title>%s %s: %.2f GB/s</title></rect>' % (
                    bx, top_y, bar, base - top_y, colour[c], c, codec, r["gbps"]))
                s.append('<text transform="translate(%.1f,%.1f) rotate(-90)" font-size="9">%.2f</text>' % (
                    bx + bar / 2 + 3, top_y - 3, r["gbps"]))
        y0 += panel_h + 56
    s.append("</svg>")
    return "\n".join(s)


def codec_table(results, ratios_path=None):
    ratios = {}
    if ratios_path:
        for r in load(ratios_path):
            ratios[(r["codec"], r["data"])] = r["ratio"]
    out = ["| benchmark | codec | data | ratio | MB/s | ± | heap B/op |", "|---|---|---|---:|---:|---:|---:|"]
    for run in results:
        name = run["benchmark"].rsplit(".", 2)
        bench = name[-2].replace("Benchmark", "").lower()
        p = run["params"]
        page = int(p["pageBytes"])
        ops = run["primaryMetric"]["score"]
        err = num(run["primaryMetric"].get("scoreError"))
        norm = alloc_norm(run)
        ratio = ratios.get((p["codec"], p["data"]))
        out.append("| %s | %s | %s | %s | %.0f | %.0f | %s |" % (
            bench, p["codec"], p["data"], "%.2f" % ratio if ratio else "", ops * page / 1e6, err * page / 1e6,
            "n/a" if norm is None else "%.1f" % norm))
    return "\n".join(out)


def trace_read_table(paths):
    """TracedReadBenchmark's alternated forks (files NAME-rROUND-MODE.json, MODE off, on, buffered or base: an
    earlier build traced): per dataset
    and round, ms per epoch per mode, each traced mode's throughput relative to off's (off ms / its ms), GC time;
    then the rounds' medians."""
    import re
    import statistics
    runs = {}  # (dataset, round) -> tracing -> (ms, err, gc ms, B/op)
    for path in paths:
        m = re.search(r"-r(\d+)-(off|on|buffered|base)\.json$", path)
        if not m:
            continue
        for r in load(path):
            if not r["benchmark"].endswith("TracedReadBenchmark.epoch"):
                continue
            p = r["params"]
            sec = r.get("secondaryMetrics", {})
            gc = sec.get("gc.time", {}).get("score")
            norm = sec.get("gc.alloc.rate.norm", {}).get("score")
            runs.setdefault((p["dataset"], int(m.group(1))), {})[m.group(2)] = (
                r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"], gc, norm)
    modes = [t for t in ("off", "on", "buffered", "base") if any(t in v for v in runs.values())]
    traced = [t for t in modes if t != "off"]
    out = ["| dataset | round | " + " | ".join("ms/epoch " + t for t in modes) + " | "
           + " | ".join("throughput %s / off" % t for t in traced) + " | GC ms " + " / ".join(modes)
           + " | MB allocated per epoch " + " / ".join(modes) + " |",
           "|---|---:|" + "---:|" * (2 * len(modes) + len(traced))]
    ratios = {}  # dataset -> mode -> [ratio]
    ms = {}  # dataset -> mode -> [ms]
    for (ds, rnd) in sorted(runs):
        t = runs[(ds, rnd)]
        if not all(x in t for x in modes):
            continue
        for x in modes:
            ms.setdefault(ds, {}).setdefault(x, []).append(t[x][0])
        cells = ["%.1f ± %.1f" % (t[x][0], t[x][1]) for x in modes]
        for x in traced:
            r = t["off"][0] / t[x][0]
            ratios.setdefault(ds, {}).setdefault(x, []).append(r)
            cells.append("%.3f" % r)
        cells.append(" / ".join("%.0f" % t[x][2] if t[x][2] is not None else "-" for x in modes))
        cells.append(" / ".join("%.1f" % ((t[x][3] or 0) / 1e6) for x in modes))
        out.append("| %s | %d | %s |" % (ds, rnd, " | ".join(cells)))
    out.append("")
    for ds, per in ratios.items():
        for x, rr in per.items():
            off_ms = statistics.median(ms[ds]["off"])
            x_ms = statistics.median(ms[ds][x])
            out.append("%s: throughput %s / off, median of %d rounds %.3f (range %.3f-%.3f); medians %.1f / %.1f ms per epoch (%.3f)" % (
                ds, x, len(rr), statistics.median(rr), min(rr), max(rr), off_ms, x_ms, off_ms / x_ms))
    return "\n".join(out)


def main(argv):
    if len(argv) >= 2 and argv[0] == "trace-read":
        print(trace_read_table(argv[1:]))
        return 0
    if len(argv) < 2 or argv[0] not in ("read", "decode", "codecs", "cold"):
        print(__doc__)
        return 2
    if argv[0] == "cold":
        import os
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import cold_report
        return cold_report.main(argv[1:])
    if argv[0] == "codecs":
        print(codec_table(load(argv[1]), argv[2] if len(argv) > 2 else None))
        return 0
    args = argv[1:]
    svg = None
    size = None
    files = []
    i = 0
    while i < len(args):
        if args[i] == "--svg":
            svg = args[i + 1]
            i += 2
        elif args[i] == "--size":
            size = args[i + 1]
            i += 2
        else:
            files.append(args[i])
            i += 1
    benchmark = "DecodeBenchmark.decode" if argv[0] == "decode" else "ReadBenchmark.read"
    rows = [r for f in files for r in read_rows(load(f), benchmark)]
    if size:
        rows = [r for r in rows if r["size"] == size]
    print(read_table(rows))
    if svg:
        with open(svg, "w") as f:
            f.write(svg_chart(rows))
        print("chart: %s" % svg)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
