#!/usr/bin/env python3
"""A/B rounds of one JMH benchmark: two jars (before, after) run alternately in rounds, each round's
JSON named <prefix>-before-<round>.json and <prefix>-after-<round>.json in one folder.

    bench/ab_report.py DIR [--prefix ab] [--size-bytes 1073741824]

Prints a Markdown table per (shape, codec, contender): GB/s of each round for both sides, the
median of each side, and after / before as the ratio of the medians and as the median of the
rounds' own ratios (each round ran its two sides back to back, so its ratio shares its load).
"""
import argparse, glob, json, os, re, statistics
from collections import defaultdict


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--prefix", default="ab")
    ap.add_argument("--size-bytes", type=float, default=float(1 << 30))
    a = ap.parse_args()
    runs = defaultdict(dict)  # (shape, codec, contender) -> {(side, round): GB/s}
    rounds = set()
    for f in sorted(glob.glob(os.path.join(a.dir, a.prefix + "-*-*.json"))):
        m = re.match(re.escape(a.prefix) + r"-(before|after)-(\d+)\.json$", os.path.basename(f))
        if not m:
            continue
        side, r = m.group(1), int(m.group(2))
        rounds.add(r)
        for run in json.load(open(f)):
            p = run["params"]
            key = (p.get("shape", "?"), p.get("codec", "?"), p["contender"])
            runs[key][(side, r)] = run["primaryMetric"]["score"] * a.size_bytes / 1e9
    rounds = sorted(rounds)
    head = ["shape", "codec", "contender"] + ["before r%d" % r for r in rounds] + ["after r%d" % r for r in rounds] \
        + ["median before", "median after", "after / before (medians)", "median of round ratios"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * 3 + "---:|" * (len(head) - 3))
    for key in sorted(runs):
        v = runs[key]
        b = [v.get(("before", r)) for r in rounds]
        af = [v.get(("after", r)) for r in rounds]
        bb = [x for x in b if x is not None]
        aa = [x for x in af if x is not None]
        mb = statistics.median(bb) if bb else None
        ma = statistics.median(aa) if aa else None
        ratios = [y / x for x, y in zip(b, af) if x and y]
        cells = list(key) + [fmt(x) for x in b] + [fmt(x) for x in af] + [fmt(mb), fmt(ma),
            "%.2f" % (ma / mb) if mb and ma else "n/a", "%.2f" % statistics.median(ratios) if ratios else "n/a"]
        print("| " + " | ".join(cells) + " |")


def fmt(x):
    return "n/a" if x is None else "%.2f" % x


if __name__ == "__main__":
    main()
