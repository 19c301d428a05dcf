#!/usr/bin/env python3
"""The Python reference's training read, timed the way `inlay read` times its own.

DLIO's ParquetReader (dlio_benchmark/reader/parquet_reader.py) opens each file with
pq.read_table(filename) and converts it with table.to_pandas().to_numpy(): every column, whatever
`read: false` says. This script replays that over a dataset made by `inlay generate`:

  --mode reference   pq.read_table(f, memory_map=True).to_pandas().to_numpy(), all columns
  --mode projected   only the read:true columns, each flattened straight to numpy (no pandas):
                     the fastest pyarrow path, for a fair comparison

Files are split over --threads Python threads (pyarrow releases the GIL while reading); samples
are then taken in batches of --batch-size, as a data loader hands them out, with no compute time.
Prints one JSON object: samples, seconds, samples_per_second, files, threads, mode, and
epoch_seconds (one entry per epoch) for the steady-state rate of epochs after the first.
"""
import argparse
import concurrent.futures
import json
import os
import sys
import time

import pyarrow.parquet as pq


def files_under(folder):
    out = []
    for root, _, names in os.walk(folder):
        out.extend(os.path.join(root, n) for n in names if n.endswith(".parquet"))
    return sorted(out)


def read_reference(path, columns, batch_size):
    rows = pq.read_table(path, memory_map=True).to_pandas().to_numpy()
    n = len(rows)
    for start in range(0, n, batch_size):
        rows[start:start + batch_size]
    return n


def read_projected(path, columns, batch_size):
    table = pq.read_table(path, columns=columns, memory_map=True)
    arrays = []
    for name in columns:
        col = table.column(name).combine_chunks()
        arrays.append(col.flatten().to_numpy() if hasattr(col, "flatten") else col.to_numpy(zero_copy_only=False))
    n = table.num_rows
    for start in range(0, n, batch_size):
        for a in arrays:
            a[start:start + batch_size]
    return n


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="the dataset's train folder")
    p.add_argument("--columns", default="", help="read:true columns, comma separated (projected mode)")
    p.add_argument("--mode", choices=["reference", "projected"], default="reference")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--epochs", type=int, default=1)
    a = p.parse_args()
    files = files_under(a.data)
    if not files:
        print(f"pyarrow_read: no .parquet files under {a.data}", file=sys.stderr)
        return 2
    columns = [c for c in a.columns.split(",") if c]
    read = read_reference if a.mode == "reference" else read_projected
    samples = 0
    epoch_seconds = []
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.threads) as pool:
        for _ in range(a.epochs):
            e0 = time.perf_counter()
            samples += sum(pool.map(lambda f: read(f, columns, a.batch_size), files))
            epoch_seconds.append(time.perf_counter() - e0)
    seconds = time.perf_counter() - start
    print(json.dumps({"mode": a.mode, "threads": a.threads, "files": len(files) * a.epochs, "samples": samples,
                      "seconds": seconds, "samples_per_second": samples / seconds, "epoch_seconds": epoch_seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
