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
epoch_seconds (one entry per epoch) for the steady-state rate of epochs after the first; with
epoch_storage_bytes (read_bytes of /proc/self/io: bytes fetched from storage) and epoch_cpu_seconds.

  --checksum     also the sum of the --columns' floats per epoch (epoch_checksums, float.hex), taken
                 from what each file's read produced (the pandas array in reference mode) after the
                 epoch's time is taken: what a file's read returns is kept until then
  --evict-cache  drop each file from the page cache right after reading it (posix_fadvise DONTNEED,
                 as `inlay read --evict-cache` does), so every epoch reads the device
  --warmup       before timing, read the first file's footer and no columns and convert that empty
                 table to pandas, so that the timed epochs do not pay pyarrow's and pandas' first-use
                 costs (a long-running data loader has paid them); with --cold the first file is then
                 dropped from the page cache again, as the caller left it
"""
import argparse
import concurrent.futures
import json
import os
import sys
import time

import numpy as np
import pandas  # noqa: F401  (imported up front, as DLIO does, not inside the first timed to_pandas())
import pyarrow
import pyarrow.parquet as pq


def files_under(folder):
    out = []
    for root, _, names in os.walk(folder):
        out.extend(os.path.join(root, n) for n in names if n.endswith(".parquet"))
    return sorted(out)


def read_reference(path, columns, batch_size, keep):
    table = pq.read_table(path, memory_map=True)
    names = table.column_names
    rows = table.to_pandas().to_numpy()
    del table
    n = len(rows)
    for start in range(0, n, batch_size):
        rows[start:start + batch_size]
    return n, ((names, rows) if keep else None)


def read_projected(path, columns, batch_size, keep):
    table = pq.read_table(path, columns=columns, memory_map=True)
    arrays = []
    for name in columns:
        col = table.column(name).combine_chunks()
        arrays.append(col.flatten().to_numpy() if hasattr(col, "flatten") else col.to_numpy(zero_copy_only=False))
    n = table.num_rows
    for start in range(0, n, batch_size):
        for a in arrays:
            a[start:start + batch_size]
    return n, ((columns, arrays) if keep else None)


def checksum(kept, columns):
    """The sum of the --columns' floats in what one file's read produced, as a float64."""
    names, data = kept
    total = 0.0
    for name in columns:
        if isinstance(data, list):  # projected: one flat numpy array per column
            values = data[names.index(name)]
        else:  # reference: the pandas object array, one cell per row and column
            col = data[:, names.index(name)]
            values = np.concatenate(col) if len(col) and isinstance(col[0], np.ndarray) else col
        total += float(np.sum(np.asarray(values, dtype=np.float64)))
    return total


def storage_bytes():
    """read_bytes of /proc/self/io (bytes this process fetched from storage), or -1."""
    try:
        with open("/proc/self/io") as f:
            for line in f:
                if line.startswith("read_bytes:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def warm_up(path):
    """pyarrow's reader and the pandas conversion used once, on the footer of `path` and no columns."""
    pq.ParquetFile(path, memory_map=True).read_row_group(0, columns=[]).to_pandas().to_numpy()


def evict(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="the dataset's train folder")
    p.add_argument("--columns", default="", help="read:true columns, comma separated (projected mode)")
    p.add_argument("--mode", choices=["reference", "projected"], default="reference")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--checksum", action="store_true", help="also sum the --columns' floats per epoch")
    p.add_argument("--evict-cache", action="store_true", help="drop each file from the page cache after reading it")
    p.add_argument("--warmup", action="store_true", help="use pyarrow and pandas once before timing (no column read)")
    p.add_argument("--cold", action="store_true", help="the files are cold: drop the warm-up's footer read again")
    a = p.parse_args()
    files = files_under(a.data)
    if not files:
        print(f"pyarrow_read: no .parquet files under {a.data}", file=sys.stderr)
        return 2
    columns = [c for c in a.columns.split(",") if c]
    if a.checksum and not columns:
        print("pyarrow_read: --checksum needs --columns", file=sys.stderr)
        return 2
    read = read_reference if a.mode == "reference" else read_projected
    if a.warmup:
        warm_up(files[0])
        if a.cold or a.evict_cache:
            evict(files[0])

    def one(path):
        result = read(path, columns, a.batch_size, a.checksum)
        if a.evict_cache:
            evict(path)
        return result

    samples = 0
    epoch_seconds, epoch_storage, epoch_cpu, epoch_checksums = [], [], [], []
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.threads) as pool:
        for _ in range(a.epochs):
            io0, cpu0, e0 = storage_bytes(), time.process_time(), time.perf_counter()
            results = list(pool.map(one, files))
            epoch_seconds.append(time.perf_counter() - e0)
            epoch_cpu.append(time.process_time() - cpu0)
            io1 = storage_bytes()
            epoch_storage.append(io1 - io0 if io0 >= 0 and io1 >= 0 else -1)
            samples += sum(n for n, _ in results)
            if a.checksum:
                epoch_checksums.append(float.hex(sum(checksum(kept, columns) for _, kept in results)))
            del results
    seconds = sum(epoch_seconds)
    out = {"mode": a.mode, "threads": a.threads, "files": len(files) * a.epochs, "samples": samples,
           "seconds": seconds, "samples_per_second": samples / seconds, "epoch_seconds": epoch_seconds,
           "epoch_storage_bytes": epoch_storage, "epoch_cpu_seconds": epoch_cpu,
           "pyarrow_version": pyarrow.__version__}
    if a.checksum:
        out["epoch_checksums"] = epoch_checksums
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
