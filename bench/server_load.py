"""Benchmark: the add-in server under load, with 2 and 4 server processes side by side (Linux).

For each worker count it starts ``kinerja server --pekerja N`` on 127.0.0.1 with token auth, then sends
``--fungsi`` KINERJA.CAPAIAN calls (a 10-row column each) and ``--validasi`` ribbon Validasi calls (the demo
quarterly package, as Office.js sends it: addin/payload.py) from ``--klien`` concurrent clients, while a probe
asks ``GET /`` every 50 ms. Printed: throughput, p50/p99 latency, the probe's p50/max, and the growth of the
server's resident memory (all its processes) from after warm-up (a few calls of each kind) to the end.

    .venv/bin/python -m bench.server_load [--fungsi 2000 --validasi 200 --klien 8 --pekerja 2 4]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from addin.payload import payload

ROOT = Path(__file__).resolve().parents[1]
PAKET = "247246_BSPJI-Manado_2023_TW2_paket-triwulan.xlsx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    parent: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = {pid}, [pid]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parent.items() if pp == p and c not in tree]
        tree.update(kids)
        frontier.extend(kids)
    total = 0
    for p in tree:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def function_body(i: int) -> dict:
    target = [[70.0 + (i + k) % 30] for k in range(10)]
    actual = [[60.0 + (i * 7 + k) % 45] for k in range(10)]
    return {"func_name": "capaian", "args": [target, actual, [["maksimal"]], [[None]]], "caller_address": "Sheet1!A1",
            "formula_name": "KINERJA.CAPAIAN", "version": "0.37.8", "runtime": "1.4", "culture_info_name": "id-ID",
            "date_format": "dd/mm/yyyy", "client": "Office.js"}


async def run_phase(base: str, token: str, n: int, clients: int, make_request) -> dict:
    """n requests from `clients` concurrent clients, plus a GET / probe every 50 ms."""
    latencies: list[float] = []
    probes: list[float] = []
    failures = 0
    counter = iter(range(n))
    done = asyncio.Event()
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": token}, timeout=300,
                                 limits=httpx.Limits(max_connections=clients + 1)) as client:

        async def worker() -> None:
            nonlocal failures
            for i in counter:
                path, body = make_request(i)
                t = time.perf_counter()
                r = await client.post(path, json=body)
                latencies.append(time.perf_counter() - t)
                failures += r.status_code != 200

        async def probe() -> None:
            async with httpx.AsyncClient(base_url=base, timeout=30) as own:
                while not done.is_set():
                    t = time.perf_counter()
                    r = await own.get("/")
                    probes.append(time.perf_counter() - t)
                    assert r.status_code == 200
                    await asyncio.sleep(0.05)

        prober = asyncio.create_task(probe())
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started
        done.set()
        await prober
    return {"n": n, "gagal": failures, "per_detik": n / elapsed, "p50": pct(latencies, 0.5),
            "p99": pct(latencies, 0.99), "probe_p50": pct(probes, 0.5), "probe_max": max(probes)}


def start_server(workers: int, token: str, config: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial", "XLWINGS_AUTH_PROVIDERS": '["custom"]',
           "KINERJA_TOKEN": token, "XDG_CONFIG_HOME": str(config), "PYTHONUNBUFFERED": "1"}
    env.pop("KINERJA_ENV_FILE", None)
    env.pop("DOTENV_PATH", None)
    proc = subprocess.Popen([sys.executable, "-m", "addin.cli", "server", "--port", str(port), "--pekerja",
                             str(workers)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise SystemExit(f"server dengan {workers} pekerja tidak menjawab")
    # every worker process imports the app lazily: warm each one up before measuring
    with httpx.Client(base_url=base, headers={"Authorization": token}, timeout=120) as c:
        for i in range(workers * 4):
            c.post("/xlwings/custom-functions-call", json=function_body(i))
    return proc, base


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fungsi", type=int, default=2000)
    ap.add_argument("--validasi", type=int, default=200)
    ap.add_argument("--klien", type=int, default=8)
    ap.add_argument("--pekerja", type=int, nargs="+", default=[2, 4])
    args = ap.parse_args()

    from macros.demo import write_demo

    token = "bench-" + uuid.uuid4().hex
    with tempfile.TemporaryDirectory() as tmp:
        write_demo(Path(tmp))
        book = payload(Path(tmp) / PAKET)
        results = {}
        for workers in args.pekerja:
            proc, base = start_server(workers, token, Path(tmp))
            try:
                # the first Validasi in each worker process imports the validation stack: not measured
                asyncio.run(run_phase(base, token, workers * 3, workers,
                                      lambda i: ("/xlwings/custom-scripts-call/validasi", book)))
                rss0 = tree_rss_mib(proc.pid)
                fn = asyncio.run(run_phase(base, token, args.fungsi, args.klien,
                                           lambda i: ("/xlwings/custom-functions-call", function_body(i))))
                rss1 = tree_rss_mib(proc.pid)
                va = asyncio.run(run_phase(base, token, args.validasi, args.klien,
                                           lambda i: ("/xlwings/custom-scripts-call/validasi", book)))
                rss2 = tree_rss_mib(proc.pid)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
            results[workers] = (fn, va, rss0, rss1, rss2)

    def ms(s: float) -> str:
        return f"{s * 1000:,.0f} ms".replace(",", ".")

    cols = list(results)
    rows = [("", [f"{w} pekerja" for w in cols])]
    for label, k in (("Fungsi", 0), ("Validasi", 1)):
        ph = [results[w][k] for w in cols]
        rows += [
            (f"{label}: panggilan (gagal)", [f"{p['n']} ({p['gagal']})" for p in ph]),
            (f"{label}: per detik", [f"{p['per_detik']:.1f}".replace(".", ",") for p in ph]),
            (f"{label}: p50", [ms(p["p50"]) for p in ph]),
            (f"{label}: p99", [ms(p["p99"]) for p in ph]),
            (f"{label}: GET / p50 / maks", [f"{ms(p['probe_p50'])} / {ms(p['probe_max'])}" for p in ph]),
        ]
    rows += [
        ("Memori awal (semua proses)", [f"{results[w][2]:.0f} MiB" for w in cols]),
        ("Memori setelah fungsi", [f"{results[w][3]:.0f} MiB (+{results[w][3] - results[w][2]:.0f})" for w in cols]),
        ("Memori setelah Validasi",
         [f"{results[w][4]:.0f} MiB (+{results[w][4] - results[w][2]:.0f})" for w in cols]),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"Beban server add-in: {args.fungsi} fungsi dan {args.validasi} Validasi, {args.klien} klien bersamaan, "
          f"127.0.0.1, {os.cpu_count()} inti CPU")
    for label, values in rows:
        print(label.ljust(width), *(v.rjust(22) for v in values))


if __name__ == "__main__":
    main()
