"""Benchmark: consolidate N synthetic satker submissions (default 1.000).

Prints the consolidation time next to the read-only floor (python-calamine
reading every sheet of the same files), a plain openpyxl + pandas loop, and
the steps in between (the kinerja reader; reader + Validasi), all with the
same number of processes.

    /tmp/venv/bin/python bench/konsolidasi.py [--n 1000] [--folder DIR] [--proses N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from macros.contoh import Output, Paket, write  # noqa: E402
from macros.konsolidasi import consolidate  # noqa: E402


def _one(i: int, folder: Path) -> Path:
    rng = random.Random(i)

    def pct() -> tuple[float, ...]:
        return tuple(round(rng.uniform(5, 25), 2) for _ in range(4))

    outs = {"6077": [Output("AEF", rng.randrange(40_000, 600_000), pct(), pct()),
                     Output("BAD", rng.randrange(40_000, 600_000), pct(), pct())],
            "6042": [Output("EBA", rng.randrange(200_000, 11_000_000), pct(), pct())]}
    p = Paket(satker=f"{800000 + i}", nama=f"Satker Sintetis {i}", kegiatan=outs,
              waktu_kirim=f"2023-07-0{3 + i % 5}T09:00:00",
              skm=[[rng.choice((2, 3, 3, 4, 4)) for _ in range(9)] for _ in range(10)],
              p3dn=[("521211", 100_000_000, rng.randrange(30, 90) * 1_000_000, 5_000_000)])
    return write(p, folder / f"{800000 + i}.xlsx")


def generate(folder: Path, n: int, workers: int) -> list[Path]:
    """``n`` distinct satker packages (reused when the folder already holds them)."""
    folder.mkdir(parents=True, exist_ok=True)
    missing = [i for i in range(n) if not (folder / f"{800000 + i}.xlsx").exists()]
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_one, missing, [folder] * len(missing), chunksize=8))
    return [folder / f"{800000 + i}.xlsx" for i in range(n)]


def _calamine(path: Path) -> int:
    wb = CalamineWorkbook.from_path(str(path))
    return sum(len(wb.get_sheet_by_name(s).to_python()) for s in wb.sheet_names)


def _openpyxl(path: Path) -> int:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    return sum(len(pd.DataFrame(ws.values)) for ws in wb.worksheets)


def _reader(path: Path) -> int:
    from workbooks.reader import read_workbook

    return len(read_workbook(path).sheets)


def _validated(path: Path) -> int:
    from macros.validation import validate
    from workbooks.reader import read_workbook

    return validate(read_workbook(path)).galat


def timed(fn: Callable[[Path], int], paths: list[Path], workers: int) -> float:
    t = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(fn, paths, chunksize=16))
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="jumlah kiriman satker sintetis")
    ap.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "kinerja-bench-kiriman")
    ap.add_argument("--proses", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    t = time.perf_counter()
    paths = generate(args.folder, args.n, args.proses)
    folder = Path(tempfile.mkdtemp(prefix="kinerja-bench-"))
    for p in paths:  # exactly the N files, whatever else the cache folder holds
        (folder / p.name).symlink_to(p)
    print(f"{len(paths)} kiriman satker sintetis ({time.perf_counter() - t:.1f} s untuk menyiapkan), "
          f"{args.proses} proses")
    floor = timed(_calamine, paths, args.proses)
    plain = timed(_openpyxl, paths, args.proses)
    reader = timed(_reader, paths, args.proses)
    validated = timed(_validated, paths, args.proses)
    out = folder / "hasil" / "rollup.xlsx"
    t = time.perf_counter()
    h = consolidate(folder, out, waktu=dt.datetime(2023, 7, 20, 9), workers=args.proses)
    total = time.perf_counter() - t
    size = out.stat().st_size
    shutil.rmtree(folder)
    rows = [("python-calamine saja (batas baca)", floor), ("openpyxl + pandas", plain),
            ("pembaca kinerja (calamine + tabel bertipe)", reader), ("pembaca kinerja + Validasi", validated),
            ("kinerja konsolidasi (baca, validasi, rollup, tulis)", total)]
    for label, secs in rows:
        print(f"{label:<54} {secs:7.2f} s  {secs / floor:6.1f}× batas baca  {secs / len(paths) * 1000:6.1f} ms/berkas")
    print(f"rollup {size / 1e6:.1f} MB; {len(h.dipakai)} kiriman dipakai")


if __name__ == "__main__":
    main()
