"""Benchmark: server-side time of the ribbon's Validasi on a 500-row FORM A payload (xlwings Server).

    .venv/bin/python -m bench.server_validasi [--n 500]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

from fastapi.testclient import TestClient  # noqa: E402

from addin.app import create_app  # noqa: E402
from bench.validasi import make  # noqa: E402
from addin.payload import payload  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--ulang", type=int, default=5)
    args = ap.parse_args()
    client = TestClient(create_app())
    with tempfile.TemporaryDirectory() as tmp:
        body = payload(make(args.n, Path(tmp) / "form_a.xlsx"))
    times = []
    for _ in range(args.ulang):
        t = time.perf_counter()
        r = client.post("/xlwings/custom-scripts-call/validasi", json=body)
        times.append(time.perf_counter() - t)
        assert r.status_code == 200, r.text
    print(f"Validasi lewat xlwings Server, FORM A {args.n} baris: {statistics.median(times):.3f} s di server "
          f"(median dari {args.ulang}, min {min(times):.3f} s), {len(r.json()['actions'])} aksi dikembalikan")


if __name__ == "__main__":
    main()
