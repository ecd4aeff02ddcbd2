"""Benchmark: consolidate N synthetic satker submissions (default 1.000).

Prints the consolidation time next to the read-only floor (python-calamine
reading every sheet of the same files) and a plain openpyxl + pandas loop.

    .venv/bin/python -m bench.konsolidasi [--n 1000] [--folder DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import openpyxl
import pandas as pd
from python_calamine import CalamineWorkbook

from macros.contoh import Output, Paket, write
from macros.konsolidasi import consolidate


def generate(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    have = sorted(folder.glob("*.xlsx"))
    if len(have) >= n:
        return have[:n]
    for i in range(len(have), n):
        outs = {"6077": [Output("AEF", 40000 + i, (10.0, 10.5, 11.0, 11.5), (20.0, 20.5, 21.0, 21.5)),
                         Output("BAD", 500000 + i, (17.0, 18.0, 18.5, 19.0), (8.0, 9.0, 8.5, 9.5))],
                "6042": [Output("EBA", 10_000_000 + i, (17.0, 16.5, 19.0, 19.5), (29.0, 28.0, 28.5, 29.5))]}
        write(Paket(satker=f"{800000 + i}", kegiatan=outs, waktu_kirim="2023-07-05T09:00:00"),
              folder / f"{800000 + i}.xlsx")
    return sorted(folder.glob("*.xlsx"))[:n]


def _calamine(path: Path) -> int:
    wb = CalamineWorkbook.from_path(str(path))
    return sum(len(wb.get_sheet_by_name(s).to_python()) for s in wb.sheet_names)


def _openpyxl(path: Path) -> int:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    return sum(len(pd.DataFrame(ws.values)) for ws in wb.worksheets)


def timed(fn, paths: list[Path], workers: int) -> float:
    t = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(fn, paths, chunksize=16))
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "kinerja-bench-kiriman")
    args = ap.parse_args()
    t = time.perf_counter()
    paths = generate(args.folder, args.n)
    print(f"{len(paths)} kiriman satker sintetis di {args.folder} ({time.perf_counter() - t:.1f} s untuk menyiapkan)")
    workers = os.cpu_count() or 1
    floor = timed(_calamine, paths, workers)
    plain = timed(_openpyxl, paths, workers)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        h = consolidate(args.folder, Path(tmp) / "rollup.xlsx", waktu=dt.datetime(2023, 7, 20, 9), workers=workers)
        total = time.perf_counter() - t
    print(f"python-calamine saja (baca semua lembar, {workers} proses): {floor:.2f} s")
    print(f"openpyxl + pandas ({workers} proses):                        {plain:.2f} s")
    print(f"kinerja konsolidasi (baca, validasi, rollup, tulis):     {total:.2f} s "
          f"= {total / floor:.2f}× batas baca; {len(h.dipakai)} kiriman dipakai")


if __name__ == "__main__":
    main()
