"""The demo's submissions folder: the seed workbooks plus generated packages of more sample satkers.

The generated packages are internally consistent paket-triwulan workbooks made
by the template builder (:mod:`macros.contoh`), named like the seed satker's
kegiatan and outputs; one arrives late, one has a galat (a capaian typed over
its formula) and one satker sends twice (the older copy must lose).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from macros.contoh import Output, Paket, write
from workbooks.builder import SheetValues, Typed
from workbooks.forms import PENGUKURAN
from workbooks.forms.form_a import ANGGARAN, KENDALA
from workbooks.reader import read_workbook
from workbooks.units import Unit, load_units

SEED_PAKET = "247246"  # the seed satker (BSPJI Manado), whose FORM A names the generated outputs


def _names(seeds: Sequence[Path]) -> dict[str, tuple[str, dict[str, tuple[str, str, str]]]]:
    """kegiatan → (name, {KRO: (output name, indikator, satuan)}) from the seed package's FORM A sheets."""
    out: dict[str, tuple[str, dict[str, tuple[str, str, str]]]] = {}
    for p in seeds:
        data = read_workbook(p)
        if not (data.meta and data.meta.satker == SEED_PAKET and data.sheets_of("form-a")):
            continue
        for sd in data.sheets_of("form-a"):
            v = sd.tables["anggaran"].values
            outputs = {str(r.c1_output_kode): (str(r.c1_output_nama), str(r.c6_indikator_keluaran),
                                               str(r.c7_satuan) if isinstance(r.c7_satuan, str) else "1 Layanan")
                       for r in v.itertuples()}
            out[sd.kegiatan] = (str(sd.fields["kegiatan"].value).split("-", 1)[-1].strip(), outputs)
    return out


def _named(p: Paket, u: Unit, names: dict[str, tuple[str, dict[str, tuple[str, str, str]]]],
           galat: bool) -> Callable[[dict[str, SheetValues]], None]:
    def mutate(values: dict[str, SheetValues]) -> None:
        for keg in p.kegiatan:
            sv = values[f"FORM A {keg}"]
            sv.fields["unit_organisasi"] = f"({u.kode}) {u.nama.upper()}"
            if keg in names:
                nama, outs = names[keg]
                sv.fields["kegiatan"] = f"{keg} - {nama}"
                A = ANGGARAN
                for row in sv.tables["anggaran"]:
                    o = outs.get(row[A.c1_output_kode])
                    if o:
                        row.update(zip((A.c1_output_nama, A.c6_indikator_keluaran, A.c7_satuan), o))
                for row, ang in zip(sv.tables["kendala"], sv.tables["anggaran"]):
                    row[KENDALA.c2_output] = ang[ANGGARAN.c1_output_nama]
        values["PENGUKURAN"].fields["unit_organisasi"] = u.nama.upper()
        if galat:  # a capaian typed over its formula: the whole package stays out of the totals
            values["PENGUKURAN"].tables["indikator"][0][PENGUKURAN.indikator.c12_capaian_pct] = Typed(150.0)
    return mutate


def generate(folder: Path, seeds: Sequence[Path] = (), n: int = 8, seed: int = 2023) -> list[Path]:
    """Packages of ``n`` BSKJI sample satkers for TW II 2023 (deterministic)."""
    rng = random.Random(seed)
    names = _names(seeds)
    units = [u for u in load_units().values() if u.eselon1 == "BSKJI" and u.kode != SEED_PAKET][:n]
    folder.mkdir(parents=True, exist_ok=True)

    def pct(lo: float, hi: float) -> float:
        return round(rng.uniform(lo, hi), 2)

    paths = []
    for i, u in enumerate(units):
        outs = {"6077": [Output(k, rng.randrange(40_000, 600_000), tuple(pct(10, 20) for _ in range(4)),
                                tuple(pct(5, 25) for _ in range(4))) for k in ("AEF", "BAD")],
                "6042": [Output(k, rng.randrange(200_000, 11_000_000), tuple(pct(10, 20) for _ in range(4)),
                                tuple(pct(20, 30) for _ in range(4))) for k in ("EBA", "EBD")]}
        p = Paket(satker=u.kode, nama=u.nama, kegiatan=outs, lokasi=u.provinsi or "DKI JAKARTA",
                  waktu_kirim="2023-07-12T10:00:00" if i == 1 else f"2023-07-0{3 + i % 4}T09:00:00",  # i = 1 late
                  skm=[[rng.choice((3, 3, 4, 4, 4, 2)) for _ in range(9)] for _ in range(12)],
                  p3dn=[("521211", 100_000_000, rng.randrange(30, 90) * 1_000_000, 5_000_000),
                        ("532111", 250_000_000, rng.randrange(50, 200) * 1_000_000, 0)])
        stem = f"{u.kode}_{u.nama.replace(' ', '-').replace(',', '')[:30]}_2023_TW2"
        paths.append(write(p, folder / f"{stem}.xlsx", mutate=_named(p, u, names, galat=i == 2)))
        if i == 3:  # sent twice: an older, smaller copy
            older = Paket(**{**p.__dict__, "waktu_kirim": "2023-07-03T08:00:00", "kegiatan": {"6077": outs["6077"][:1]}})
            paths.append(write(older, folder / f"{u.kode}_kiriman-pertama.xlsx", mutate=_named(older, u, names, False)))
    return paths


def prepare(folder: Path, seeds: Sequence[Path], received: dt.datetime) -> Path:
    """``folder`` (emptied) with copies of ``seeds`` dated ``received`` and generated packages.

    The seeds carry no "Siapkan Kiriman" stamp: konsolidasi shows their arrival as unknown (a file's date
    is never trusted) until a ledger run has seen them."""
    if folder.exists():
        shutil.rmtree(folder)
    generate(folder, seeds)
    stamp = received.timestamp()
    for p in seeds:
        target = folder / p.name
        shutil.copyfile(p, target)
        os.utime(target, (stamp, stamp))
    return folder
