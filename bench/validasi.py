"""Benchmark: validate an N-row FORM A (default 1.000) and print the time.

    .venv/bin/python -m bench.validasi [--n 1000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from macros.validation import validate
from workbooks.builder import SheetValues, build_workbook
from workbooks.forms.form_a import ANGGARAN, REALISASI
from workbooks.meta import Meta


def make(n: int, path: Path) -> Path:
    A, R = ANGGARAN, REALISASI
    kro = [f"{chr(65 + i % 26)}{chr(65 + (i // 26) % 26)}{chr(65 + (i // 676) % 26)}" for i in range(n)]
    ang = [{A.c1_output_kode: k, A.c1_output_nama: f"Output {k}", A.c4_rupiah_rp000: 1000 + i,
            A.c6_indikator_keluaran: "Jumlah layanan", A.c7_satuan: "1 Layanan"} for i, k in enumerate(kro)]
    rea = [{R.c2_lalu_keu_S: 10.0, R.c3_lalu_keu_R: 10.5, R.c4_lalu_fis_S: 11.0, R.c5_lalu_fis_R: 11.5,
            R.c6_ini_keu_S: 20.0, R.c7_ini_keu_R: 20.5, R.c8_ini_fis_S: 21.0, R.c9_ini_fis_R: 21.5,
            R.c14_lokasi: "ACEH"} for _ in kro]
    fields = {"unit_organisasi": "(247246) BALAI", "fungsi": "04. Ekonomi", "sub_fungsi": "04.07. Industri",
              "program": "04.07.EC. Program", "kegiatan": "6077 - Kegiatan", "penanggung_jawab": "A",
              "nomor_dipa": "SP DIPA-019.07.2.247246/2023", "pagu_satker_rp000": sum(r[A.c4_rupiah_rp000] for r in ang),
              "ttd_nama": "A", "ttd_jabatan": "Kepala"}
    wb, _ = build_workbook(Meta(form="form-a", versi="", satker="247246", tahun=2023, triwulan=2, kegiatan=("6077",)),
                           {"FORM A": SheetValues(fields=fields, tables={"anggaran": ang, "realisasi": rea})})
    wb.save(path)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--ulang", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = make(args.n, Path(tmp) / "form_a.xlsx")
        times, result = [], None
        for _ in range(args.ulang):
            t = time.perf_counter()
            result = validate(path)
            times.append(time.perf_counter() - t)
    print(f"FORM A {args.n} baris output: validasi {statistics.median(times):.3f} s (median dari {args.ulang}; "
          f"min {min(times):.3f} s), {result.galat} galat, {result.peringatan} peringatan")


if __name__ == "__main__":
    main()
