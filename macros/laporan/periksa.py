"""periksa-laporan: find the numbers a Laporan Kinerja (.docx) quotes for each indicator and compare them
with the workbooks.

Paragraphs: a paragraph that names an indicator is split into sentences; a number
after *ditargetkan / target*, *terealisasi / realisasi(nya)* or *capaian(nya)*
is that measure, of the year named last before it in the sentence ("Dibandingkan
tahun 2022, realisasinya …"), against the Renstra when "Renstra" precedes it.
Tables: a row whose cell is an indicator name; columns by their header (Target,
Realisasi, Capaian, with a year or "TW II"). A quoted number agrees when the
workbook figure, rounded half-up to the decimals the text shows, equals it.
A sasaran's "rata-rata capaian" is that of the sasaran whose Perjanjian Kinerja kode
(SP3) the paragraph names, else the one its text names; two sasaran may share a text
(BPSDMI's SP3 and SP7), so a shared text is that of the sasaran whose kode the last
paragraph naming one (its heading, "Sasaran SP7: …") named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from docx import Document

from macros.laporan.angka import RE_ANGKA, Angka, sama_tertulis
from macros.laporan.model import Indikator, Laporan, Sasaran
from macros.laporan.susun import norm

_NUM = RE_ANGKA.pattern
_FILL = r"(?:\s+(?:sebesar|sebanyak|mencapai|yaitu|adalah|hanya|kinerja|baru))*"
_RE_UKUR = re.compile(
    r"\b(?P<kw>target akhir periode|capaian jangka menengah(?:nya)?|ditargetkan|targetnya|target|terealisasi|"
    r"realisasinya|realisasi|capaiannya|capaian)"
    rf"(?:\s+Renstra)?(?:\s+\(?(?:tahun\s+)?(?:20\d\d|ini)\)?)?{_FILL}\s+(?:Rp\s*)?(?P<num>{_NUM})",
    re.IGNORECASE)
_RE_TAHUN = re.compile(r"\btahun\s+(20\d\d)\b", re.IGNORECASE)
_RE_TW = re.compile(r"\bTW\s+(IV|III|II|I)\b")
T = TypeVar("T")
_TW = {"I": 1, "II": 2, "III": 3, "IV": 4}
_KW = {"target akhir periode": "target_akhir", "capaian jangka menengah": "capaian_akhir",
       "capaian jangka menengahnya": "capaian_akhir", "ditargetkan": "target", "targetnya": "target",
       "target": "target", "terealisasi": "realisasi",
       "realisasinya": "realisasi", "realisasi": "realisasi", "capaiannya": "capaian", "capaian": "capaian"}


@dataclass
class Selisih:
    """One number of the document that differs from the workbooks."""

    tempat: str  # "paragraf 12" / "tabel 5 (Tabel 3.1 …), baris 4, kolom 'Realisasi'"
    indikator: str
    besaran: str  # "realisasi 2022"
    tertulis: str
    seharusnya: str
    sumber: str  # file — sheet!cell
    jenis: str = "indikator"  # "sasaran SP3" for a sasaran's mean

    def teks(self) -> str:
        return (f"{self.tempat}: {self.besaran} {self.jenis} '{self.indikator}' tertulis {self.tertulis}, menurut "
                f"buku kerja {self.seharusnya} ({self.sumber}).")


@dataclass
class HasilPeriksa:
    selisih: list[Selisih]
    diperiksa: int  # numbers compared
    tanpa_data: list[Selisih] = field(default_factory=list)  # quoted numbers the workbooks hold no value for


def _split_sentences(text: str) -> list[str]:
    protected = text.replace("s.d.", "s\u2024d\u2024").replace("s/d.", "s/d\u2024")
    return [s.replace("\u2024", ".") for s in re.split(r"(?<=[.!?;])\s+", protected) if s.strip()]


def _cari(teks: str, nama: dict[str, T]) -> T | None:
    """The value of the longest key (a normalised name) that ``teks`` contains."""
    t = norm(teks)
    best = None
    for k, x in nama.items():
        if k and k in t and (best is None or len(k) > len(best[0])):
            best = (k, x)
    return best[1] if best else None


@dataclass
class _Sasaran:
    """The report's sasaran found by the PK kode a paragraph names, else by their text; ``kini`` is the sasaran
    the last paragraph naming a kode named (its heading), which decides between sasaran sharing a text."""

    semua: list[Sasaran]
    kini: Sasaran | None = None

    def __post_init__(self) -> None:
        self.nama: dict[str, list[Sasaran]] = {}
        for s in self.semua:
            self.nama.setdefault(norm(s.nama), []).append(s)
        # a kode with a letter (SP3): a bare number would match any number of the text
        self.kode = [(re.compile(rf"(?<![\w-]){re.escape(s.kode)}(?![\w-])", re.IGNORECASE), s)
                     for s in self.semua if re.search(r"[^\W\d_]", s.kode)]

    def cari(self, teks: str) -> list[Sasaran]:
        """The sasaran ``teks`` is about: one, or several sharing the text it names (none: [])."""
        hits = [(m.start(), i, s) for i, (pola, s) in enumerate(self.kode) if (m := pola.search(teks))]
        if hits:
            self.kini = min(hits, key=lambda h: h[:2])[2]
            return [self.kini]
        sama = _cari(teks, self.nama) or []
        return [self.kini] if any(s is self.kini for s in sama) else sama


def _harapan(x: Indikator, besaran: str, tahun: int | None, tw: int | None, lap: Laporan) -> Angka | None | str:
    """The workbook figure for a quoted measure; "" when the measure is not one kinerja checks."""
    if besaran.endswith(("_renstra", "_akhir")):
        r = x.renstra
        if r is None:
            return None
        return {"target_renstra": r.target_tahun, "capaian_renstra": r.capaian_tahun, "target_akhir": r.target_akhir,
                "capaian_akhir": r.capaian_akhir}[besaran]
    if tw is not None:
        if besaran == "target":
            return x.target
        pair = x.per_tw.get(tw)
        if pair is None:
            return None
        return pair[0] if besaran == "realisasi" else pair[1]
    if tahun is not None and tahun != lap.tahun:
        r = next((r for r in x.riwayat if r.tahun == tahun), None)
        if r is None:
            return None
        return {"target": r.target, "realisasi": r.realisasi, "capaian": r.capaian}[besaran]
    return {"target": x.target, "realisasi": x.realisasi, "capaian": x.capaian}[besaran]


def _nama_besaran(besaran: str, tahun: int | None, tw: int | None) -> str:
    b = {"target_renstra": "target Renstra", "capaian_renstra": "capaian terhadap target Renstra",
         "target_akhir": "target akhir periode Renstra",
         "capaian_akhir": "capaian jangka menengah"}.get(besaran, besaran)
    if tw:
        return f"{b} TW {['', 'I', 'II', 'III', 'IV'][tw]}"
    return f"{b} {tahun}" if tahun else b


def _bandingkan(out: HasilPeriksa, tempat: str, x: Indikator | Sasaran, besaran: str, tertulis: str,
                harapan: Angka | None, tahun: int | None, tw: int | None) -> bool:
    """Compare one quoted number; returns whether it was compared."""
    label = _nama_besaran(besaran, tahun, tw)
    jenis = "indikator" if isinstance(x, Indikator) else f"sasaran {x.kode}".strip()
    if harapan is None:  # not a difference: the workbooks cannot say (e.g. a year without its PK in the folder)
        out.tanpa_data.append(Selisih(tempat, x.nama, label, tertulis, "tidak ada nilainya", "tidak ada sel sumber",
                                      jenis))
        return False
    if not sama_tertulis(tertulis, harapan.nilai):
        sumber = "; ".join(str(s) for s in harapan.sumber[:2]) or harapan.rumus or "dihitung"
        out.selisih.append(Selisih(tempat, x.nama, label, tertulis, harapan.teks, sumber, jenis))
    return True


def _paragraf(out: HasilPeriksa, n: int, text: str, names: dict, sasaran: _Sasaran, lap: Laporan) -> int:
    calon = sasaran.cari(text)
    x = _cari(text, names)
    count = 0
    if x is None:
        if not calon:
            return 0
        for m in re.finditer(rf"rata-rata capaian{_FILL}\s+(?P<num>{_NUM})", text):
            # sasaran sharing a text, no kode named yet: the one whose mean agrees, if any
            s = next((s for s in calon if s.capaian is not None and sama_tertulis(m.group("num"), s.capaian.nilai)),
                     calon[0])
            count += _bandingkan(out, f"paragraf {n}", s, "rata-rata capaian", m.group("num"), s.capaian, None, None)
        return count
    assert isinstance(x, Indikator)
    for kal in _split_sentences(text):
        renstra = "renstra" in kal.casefold()
        for m in _RE_UKUR.finditer(kal):
            before = kal[: m.start("num")]
            years = _RE_TAHUN.findall(before)
            tahun = int(years[-1]) if years else None
            besaran = _KW[re.sub(r"\s+", " ", m.group("kw")).casefold()]
            if renstra and besaran in ("target", "capaian") and "akhir" not in besaran:
                tahun, besaran = None, f"{besaran}_renstra"
            h = _harapan(x, besaran, tahun, None, lap)
            if h == "":
                continue
            count += _bandingkan(out, f"paragraf {n}", x, besaran, m.group("num"), h,  # type: ignore[arg-type]
                                 tahun, None)
    return count


def _kolom(header: str) -> tuple[str, int | None, int | None] | None:
    h = header.casefold()
    if any(w in h for w in ("antara", "fisik", "anggaran", "pdn", "tkdn", "p3dn", "pagu", "rp")):
        return None
    if "jangka menengah" in h:
        besaran = "capaian_akhir" if "capaian" in h else ""
    elif "target akhir" in h:
        besaran = "target_akhir"
    elif "renstra" in h:
        besaran = "capaian_renstra" if "capaian" in h else ("target_renstra" if "target" in h else "")
    elif "capaian" in h:
        besaran = "capaian"
    elif "realisasi" in h:
        besaran = "realisasi"
    elif "target" in h:
        besaran = "target"
    else:
        return None
    if not besaran:
        return None
    y = re.search(r"\b(20\d\d)\b", header)
    tw = _RE_TW.search(header)
    return besaran, (int(y.group(1)) if y else None), (_TW[tw.group(1)] if tw else None)


def _tabel(out: HasilPeriksa, n: int, tbl, names: dict, lap: Laporan) -> int:
    rows = tbl.rows
    if not rows:
        return 0
    header = [c.text.strip() for c in rows[0].cells]
    cols = {j: _kolom(h) for j, h in enumerate(header)}
    count = 0
    for r, row in enumerate(rows[1:], start=2):
        cells = [c.text.strip() for c in row.cells]
        x = next((names[norm(c)] for c in cells if norm(c) in names), None)
        if x is None:
            continue
        for j, spec in cols.items():
            if spec is None or j >= len(cells):
                continue
            tertulis = cells[j]
            if not RE_ANGKA.fullmatch(tertulis):
                continue
            besaran, tahun, tw = spec
            h = _harapan(x, besaran, tahun, tw, lap)
            tempat = f"tabel ke-{n}, baris {r}, kolom '{header[j]}'"
            count += _bandingkan(out, tempat, x, besaran, tertulis, h, tahun, tw)  # type: ignore[arg-type]
    return count


def periksa_dokumen(dokumen, lap: Laporan) -> HasilPeriksa:
    """Compare every number the document (path or python-docx Document) quotes next to an indicator with ``lap``
    (built from the workbooks)."""
    doc = Document(str(dokumen)) if isinstance(dokumen, (str, Path)) else dokumen
    names = {norm(x.nama): x for x in lap.indikator}
    sasaran = _Sasaran(lap.sasaran)
    out = HasilPeriksa([], 0)
    count = 0
    for n, p in enumerate(doc.paragraphs, 1):
        if p.text.strip():
            count += _paragraf(out, n, p.text, names, sasaran, lap)
    for n, t in enumerate(doc.tables, 1):
        count += _tabel(out, n, t, names, lap)
    out.diperiksa = count
    return out


def tahun_dokumen(dokumen) -> int | None:
    """The report year from the document's title ("LAPORAN KINERJA TAHUN 2023")."""
    doc = Document(str(dokumen)) if isinstance(dokumen, (str, Path)) else dokumen
    for p in doc.paragraphs[:10]:
        m = re.search(r"LAPORAN KINERJA\b.*?\bTAHUN\s+(20\d\d)", p.text, re.IGNORECASE)
        if m:
            return int(m.group(1))
    return None
