"""Benchmark: consolidate N realistic quarterly satker packages (default 200; the issue's figure is 1.000).

Each package (seeded by its number, so every run generates the same files) holds 2–4 FORM A sheets of 5–40
outputs, ALKI (two komponen per output, 30–300 rows), Pengukuran, P3DN and an SKM of 30 respondents. Printed
side by side, all with the same number of processes: the read-only floor (python-calamine reading every
sheet), the kinerja reader alone, reader + Validasi, a cold ``konsolidasi`` (no ledger) and a re-run after
three files changed; each with its wall and CPU time, their ratios to the floor and the peak memory of its
processes. Then ``kinerja validasi`` of one package as a process (import time included) and the 500-row FORM A
Validasi server-side.

    .venv/bin/python -m bench.konsolidasi [--n 200] [--proses 2] [--folder DIR] [--ringkas]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RUN = dt.datetime(2023, 7, 20, 9)


def paket(i: int, versi: int = 0):  # noqa: ANN201 - macros.contoh.Paket (imported lazily)
    """Package ``i`` (``versi`` > 0: the same satker's package sent again with other figures)."""
    from macros.contoh import KRO, Output, Paket

    rng = random.Random(i * 7919 + versi)

    def pct(lo: float, hi: float) -> tuple[float, ...]:
        s = round(rng.uniform(lo, hi), 2)
        f = round(rng.uniform(lo, hi), 2)
        return (s, round(s * rng.uniform(0.8, 1.0), 2), f, round(f * rng.uniform(0.8, 1.0), 2))

    kegiatan = {}
    for k in rng.sample(range(6000, 6100), rng.randint(2, 4)):
        n = rng.randint(5, 40)
        kro = rng.sample(range(26 * 26), n)  # distinct output codes within a kegiatan
        kegiatan[str(k)] = [Output(f"{KRO[j % len(KRO)][0]}{chr(65 + j // 26)}{chr(65 + j % 26)}",
                                   rng.randrange(40_000, 2_000_000), pct(5, 20), pct(5, 25)) for j in kro]
    outputs = sum(len(v) for v in kegiatan.values())
    while outputs > 150:  # ALKI: two komponen per output, at most 300 rows
        longest = max(kegiatan, key=lambda k: len(kegiatan[k]))
        kegiatan[longest].pop()
        outputs -= 1
    return Paket(satker=f"{800000 + i}", nama=f"Satker Sintetis {i}", kegiatan=kegiatan,
                 waktu_kirim=f"2023-07-{3 + i % 5:02d}T09:{versi:02d}:00",
                 skm=[[rng.choice((2, 3, 3, 4, 4)) for _ in range(9)] for _ in range(30)],
                 p3dn=[(a, 100_000_000, rng.randrange(30, 90) * 1_000_000, 5_000_000)
                       for a in ("521211", "521811", "523121")])


def _write(job: tuple[int, int, Path]) -> Path:
    from macros.contoh import write

    i, versi, path = job
    return write(paket(i, versi), path)


def generate(folder: Path, n: int, workers: int) -> list[Path]:
    """``n`` distinct packages in ``folder`` (reused when the folder already holds them)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{800000 + i}.xlsx" for i in range(n)]
    missing = [(i, 0, p) for i, p in enumerate(paths) if not p.exists()]
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_write, missing, chunksize=4))
    return paths


def _calamine(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    return sum(len(wb.get_sheet_by_name(s).to_python()) for s in wb.sheet_names)


def _reader(path: Path) -> int:
    from workbooks.reader import read_workbook

    return len(read_workbook(path).sheets)


def _validated(path: Path) -> int:
    from macros.validation import validate
    from workbooks.reader import read_workbook

    return validate(read_workbook(path)).galat


def _pool_stage(name: str, paths: list[str], workers: int) -> None:
    """One read stage in this (child) process: a pool of ``workers`` over ``paths``."""
    fn = {"calamine": _calamine, "pembaca": _reader, "validasi": _validated}[name]
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(fn, [Path(p) for p in paths], chunksize=8))


def _konsolidasi_stage(folder: str, out: str, workers: int) -> None:
    import macros.konsolidasi as kons
    from macros.konsolidasi import cache, collect, consolidate

    read = [0]
    pool = collect._run_pool

    def counted(jobs, todo, *args):  # noqa: ANN001, ANN202 - how many files the workers read
        read[0] += len(todo)
        return pool(jobs, todo, *args)

    collect._run_pool = counted
    spent: dict[str, float] = {}

    def timed(label: str, fn: Callable) -> Callable:  # the time of one step of consolidate
        def run(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - t
        return run

    steps = (("baca + cache", "load_all"), ("rollup", "build"), ("susun buku kerja", "build_rollup_workbook"),
             ("tulis xlsx", "to_bytes"))
    for label, name in steps:
        setattr(kons, name, timed(label, getattr(kons, name)))
    t = time.perf_counter()
    h = consolidate(Path(folder), Path(out), waktu=RUN, workers=workers)
    total = time.perf_counter() - t
    print(f"  {len(h.kiriman)} berkas, {len(h.dipakai)} dipakai, {read[0]} dibaca (versi aturan {cache.VERSI[:8]})",
          flush=True)
    other = total - sum(spent.values())
    print("  tahap: " + ", ".join(f"{label} {spent.get(label, 0.0):.2f} s" for label, _ in steps)
          + f", lainnya {other:.2f} s (impor dan mulai proses tidak termasuk)", flush=True)


def measured(args: list[str]) -> tuple[float, float, float]:
    """Run ``python -m bench.konsolidasi <args>`` as a process: (seconds, CPU seconds of it and its children,
    peak RSS in MB of them); printed at once (a long stage shows the ones before it). CPU time is the figure
    to compare when other work shares the machine (wall time then stretches, CPU time hardly)."""
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bench.konsolidasi", *args], cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    secs = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"tahap {args[:2]} gagal (kode {proc.returncode})")
    cpu = usage.ru_utime + usage.ru_stime
    print(f"  {args[3]}: {secs:.2f} s, CPU {cpu:.2f} s, {usage.ru_maxrss / 1024:.0f} MB", flush=True)
    return secs, cpu, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200, help="jumlah paket kiriman satker sintetis")
    ap.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "kinerja-bench-paket",
                    help="folder cache paket (dibuat sekali, dipakai ulang)")
    ap.add_argument("--proses", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--ringkas", action="store_true",
                    help="hanya batas baca dan konsolidasi (tanpa pembaca, Validasi, validasi satu paket dan server)")
    ap.add_argument("--tahap", nargs="+", help=argparse.SUPPRESS)  # internal: one measured stage
    args = ap.parse_args()
    if args.tahap:
        name, *rest = args.tahap
        if name == "konsolidasi":
            _konsolidasi_stage(rest[0], rest[1], args.proses)
        else:
            _pool_stage(name, Path(rest[0]).read_text().split("\n"), args.proses)
        return
    t = time.perf_counter()
    cache = generate(args.folder, args.n, args.proses)
    work = Path(tempfile.mkdtemp(prefix="kinerja-bench-"))
    folder = work / "kiriman"
    folder.mkdir()
    paths = []
    for p in cache:  # exactly the N files (hard links: konsolidasi does not follow links out of its folder)
        q = folder / p.name
        os.link(p, q) if p.stat().st_dev == folder.stat().st_dev else shutil.copyfile(p, q)
        paths.append(q)
    listing = work / "berkas.txt"
    listing.write_text("\n".join(str(p) for p in paths))
    sizes = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} paket triwulan sintetis ({sizes / 1e6:.0f} MB; {time.perf_counter() - t:.1f} s untuk "
          f"menyiapkan), {args.proses} proses", flush=True)
    pr = ["--proses", str(args.proses)]
    rows = []
    stages = (("python-calamine, semua lembar (batas baca)", "calamine"),
              ("pembaca kinerja", "pembaca"), ("pembaca kinerja + Validasi", "validasi"))
    for label, stage in stages[:1] if args.ringkas else stages:
        rows.append((label, *measured([*pr, "--tahap", stage, str(listing)])))
    out = work / "hasil" / "rollup.xlsx"
    rows.append(("kinerja konsolidasi, dingin (tanpa buku besar)",
                 *measured([*pr, "--tahap", "konsolidasi", str(folder), str(out)])))
    from macros.contoh import write

    for i in (1, len(paths) // 2, len(paths) - 1):  # three satkers send again with other figures
        paths[i].unlink()
        write(paket(i, 1), paths[i])
    rows.append(("kinerja konsolidasi ulang, 3 berkas berubah",
                 *measured([*pr, "--tahap", "konsolidasi", str(folder), str(out)])))
    floor, floor_cpu = rows[0][1], rows[0][2]
    print(f"{'':<50} {'waktu':>9} {'× batas':>8} {'ms/paket':>9} {'CPU':>9} {'× batas':>8} {'memori puncak':>14}")
    for label, secs, cpu, mb in rows:
        print(f"{label:<50} {secs:7.2f} s {secs / floor:7.2f}× {secs / len(paths) * 1000:8.1f} {cpu:7.2f} s "
              f"{cpu / floor_cpu:7.2f}× {mb:10.0f} MB")
    print(f"rollup {out.stat().st_size / 1e6:.1f} MB")
    if args.ringkas:
        shutil.rmtree(work)
        return
    one = paths[0]
    kinerja = Path(sys.executable).with_name("kinerja")
    times = []
    for _ in range(3):
        t = time.perf_counter()
        done = subprocess.run([str(kinerja), "validasi", str(one)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - t)
        if done.returncode != 0:  # a refusal or a crash is not a timing
            raise SystemExit(f"kinerja validasi gagal (kode {done.returncode}): {done.stderr[-500:]}")
    print(f"kinerja validasi satu paket sebagai proses (termasuk impor): {min(times):.2f} s (terbaik dari 3)")
    subprocess.run([sys.executable, "-m", "bench.server_validasi", "--n", "500"], cwd=ROOT)
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
