"""Verifikasi by Eselon I: accept or send back each submission with a note, in the rollup itself.

The rollup's Status Pengiriman sheet carries two input columns per unit, *Keputusan Verifikator*
(Diterima / Dikembalikan / —) and *Catatan Verifikator*, and a hidden key naming the submissions the row
decides (sha256, unit, form, period of each file). The next konsolidasi reads the decisions from the previous
rollup (or another copy of it), records every new or changed one in the ledger's ``keputusan`` table (who, when,
from which workbook) and applies the latest decision per file content (sha256):

- *Dikembalikan*: the file leaves every total and is listed as ``dikembalikan`` with the note;
- *Diterima*: the file is locked. A later file for the same sheet (unit, form, kegiatan, period) is listed as
  ``revisi setelah diterima`` and not used until the verifier accepts it; the accepted one stays used.

Every unit gets a colour like the status boards users know: merah (nothing, ditolak or dikembalikan), kuning
(late, arrival unknown, or a revision awaiting a decision), hijau (valid and on time, or accepted).
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from macros import waktu as wk
from macros.konsolidasi.collect import DIPAKAI, DITOLAK, DUPLIKAT, SEBAGIAN, Kiriman, _key, _order
from macros.konsolidasi.rollup import REVISI, Rollup, StatusUnit
from workbooks.forms import FORMS_TAHUNAN

DITERIMA, DIKEMBALIKAN, TANPA = "Diterima", "Dikembalikan", "—"
PILIHAN = (DITERIMA, DIKEMBALIKAN, TANPA)
COL_KEPUTUSAN, COL_CATATAN, COL_KUNCI = "Keputusan Verifikator", "Catatan Verifikator", "Kunci kiriman"
STATUS_SHEET = "Status Pengiriman"
ST_DIKEMBALIKAN = "dikembalikan"  # a file's status (Kiriman sheet) and a unit's
ST_REVISI = REVISI
ST_DITERIMA = "diterima"
HIJAU, KUNING, MERAH = "hijau", "kuning", "merah"
WARNA_FILL = {HIJAU: "C6EFCE", KUNING: "FFEB9C", MERAH: "FFC7CE"}
_COMPETING = (DIPAKAI, SEBAGIAN, DUPLIKAT, DITOLAK)  # statuses of files that took part in duplicate resolution
_RE_PART = re.compile(r"([0-9a-f]{64})\|([^|;]*)\|([^|;]*)\|(\d{4})?\|([1-4])?")


class KeputusanError(Exception):
    """The decisions cannot be read; the message is Bahasa Indonesia."""


@dataclass
class Keputusan:
    """One verifier's decision on one file content."""

    sha256: str
    unit: str
    form: str
    tahun: int | None
    triwulan: int | None
    keputusan: str  # one of PILIHAN
    catatan: str = ""
    verifikator: str = ""
    waktu: str = ""  # ISO time with offset
    sumber: str = ""  # the workbook and cell it was read from


@dataclass
class Verifikasi:
    """The decisions of one run: read from the workbook, new since the ledger, and in force (per sha256)."""

    dibaca: list[Keputusan] = field(default_factory=list)
    baru: list[Keputusan] = field(default_factory=list)
    berlaku: dict[str, Keputusan] = field(default_factory=dict)
    catatan: list[str] = field(default_factory=list)


# --- the key written in each status row ------------------------------------------------------------------

def kunci(files: Iterable[Kiriman]) -> str:
    """The hidden key of a status row: ``sha256|unit|form|tahun|triwulan`` per file, ``;``-separated."""
    parts = []
    for k in files:
        i = k.ident
        parts.append(f"{k.sha256}|{k.unit}|{k.form}|{(i.tahun or '') if i else ''}|{(i.triwulan or '') if i else ''}")
    return ";".join(sorted(set(parts)))


def parse_kunci(text: str) -> list[tuple[str, str, str, int | None, int | None]]:
    out = []
    for part in str(text or "").split(";"):
        m = _RE_PART.fullmatch(part.strip())
        if m:
            out.append((m[1], m[2], m[3], int(m[4]) if m[4] else None, int(m[5]) if m[5] else None))
    return out


def pilihan(value: object) -> str | None:
    """A decision cell → one of PILIHAN ("" for an empty cell), None when the text is not a decision."""
    text = re.sub(r"\s+", " ", str(value or "")).strip()
    if text in ("", "-", "–", TANPA):
        return TANPA if text else ""
    return next((p for p in (DITERIMA, DIKEMBALIKAN) if p.casefold() == text.casefold()), None)


# --- reading decisions -----------------------------------------------------------------------------------

def read_decisions(path: Path) -> tuple[list[Keputusan], list[str]]:
    """The decisions written in a rollup's Status Pengiriman sheet, and warnings (Bahasa Indonesia).

    A rollup of an earlier kinerja (without the columns) has no decisions. Raises :class:`KeputusanError`
    when the workbook cannot be read."""
    from workbooks.reader import BacaGagal, grid_of, open_workbook

    try:  # python-calamine reads only that sheet: 0,01 s where openpyxl took 0,4 s on a 200-unit rollup
        wb = open_workbook(path)
        if STATUS_SHEET not in wb.sheet_names:
            return [], [f"'{path.name}' tidak berlembar {STATUS_SHEET}; tidak ada keputusan verifikator dibaca."]
        rows = [[_typed(v) for v in row] for row in grid_of(wb, STATUS_SHEET)]
    except (BacaGagal, OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise KeputusanError(f"Keputusan verifikator di '{path}' tidak dapat dibaca ({exc}); periksa berkasnya "
                             "atau pilih berkas lain dengan --keputusan.") from exc
    head = next((i for i, r in enumerate(rows[:20]) if COL_KEPUTUSAN in r and COL_KUNCI in r), None)
    if head is None:
        return [], []
    cols = {name: rows[head].index(name) for name in (COL_KEPUTUSAN, COL_CATATAN, COL_KUNCI)}
    out, notes = [], []
    for n, row in enumerate(rows[head + 1:], start=head + 2):
        cell = lambda name: row[cols[name]] if cols[name] < len(row) else None  # noqa: E731
        value, key = cell(COL_KEPUTUSAN), cell(COL_KUNCI)
        choice = pilihan(value)
        where = f"{path.name}, {STATUS_SHEET}!{_letter(cols[COL_KEPUTUSAN])}{n}"
        if choice is None:
            notes.append(f"{where}: '{value}' bukan keputusan (Diterima, Dikembalikan atau —); diabaikan.")
            continue
        files = parse_kunci(key)
        if not files:
            if choice not in ("", TANPA):
                notes.append(f"{where}: baris tanpa kunci kiriman; keputusan diabaikan.")
            continue
        note = re.sub(r"[ \t]+", " ", str(cell(COL_CATATAN) or "")).strip()
        out += [Keputusan(sha, unit, form, t, tw, choice, note, sumber=where) for sha, unit, form, t, tw in files]
    return out, notes


def _typed(value: object) -> object:
    """A calamine value as the cell shows it: empty is None, a whole number an int (a note typed as 12)."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


# --- the ledger's keputusan table ------------------------------------------------------------------------

_FIELDS = "sha256, unit, form, tahun, triwulan, keputusan, catatan, verifikator, waktu, sumber"


def latest(con: sqlite3.Connection) -> dict[str, Keputusan]:
    """The decision in force per sha256 (the last recorded); none in a ledger of an earlier kinerja."""
    if not _has_table(con):
        return {}
    rows = con.execute(f"SELECT {_FIELDS} FROM keputusan WHERE id IN (SELECT MAX(id) FROM keputusan "
                       "GROUP BY sha256)").fetchall()
    return {r[0]: Keputusan(*r) for r in rows}


def history(con: sqlite3.Connection, sha256: str) -> list[Keputusan]:
    rows = con.execute(f"SELECT {_FIELDS} FROM keputusan WHERE sha256 = ? ORDER BY id", (sha256,)).fetchall()
    return [Keputusan(*r) for r in rows]


def prepare(con: sqlite3.Connection | None, source: Path | None) -> Verifikasi:
    """Read the decisions of ``source`` (when it exists) and merge them with the ledger's.

    Only a decision that differs from the one in force for that file is new; an emptied cell withdraws a
    decision in force (recorded as —)."""
    v = Verifikasi()
    if source is not None and source.is_file():
        v.dibaca, v.catatan = read_decisions(source)
    v.berlaku = latest(con) if con is not None else {}
    for d in v.dibaca:
        now = v.berlaku.get(d.sha256)
        if d.keputusan == "" and (now is None or now.keputusan == TANPA):
            continue
        if d.keputusan == "":
            d.keputusan = TANPA
        if now is None and d.keputusan == TANPA and not d.catatan:
            continue
        if now is not None and (now.keputusan, now.catatan) == (d.keputusan, d.catatan):
            continue
        v.baru.append(d)
        v.berlaku[d.sha256] = d
    return v


def record(con: sqlite3.Connection, run_id: int | None, items: list[Keputusan], verifikator: str,
           when: dt.datetime) -> None:
    """Record the new decisions (one transaction); ``when`` is stored with its offset."""
    stamp = wk.aware(when).isoformat()
    with con:
        for d in items:
            d.verifikator, d.waktu = verifikator, stamp
            con.execute(f"INSERT INTO keputusan (run, {_FIELDS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        (run_id, d.sha256, d.unit, d.form, d.tahun, d.triwulan, d.keputusan, d.catatan,
                         d.verifikator, d.waktu, d.sumber))


# --- applying decisions ----------------------------------------------------------------------------------

def _dec(decisions: dict[str, Keputusan], k: Kiriman) -> str:
    d = decisions.get(k.sha256) if k.sha256 else None
    return d.keputusan if d else ""


def apply(kiriman: list[Kiriman], decisions: dict[str, Keputusan], run: dt.datetime) -> None:
    """Apply the decisions in force to the resolved files (after :func:`collect.resolve`)."""
    competing = [k for k in kiriman if k.ident is not None and k.status in _COMPETING]
    for k in competing:
        if _dec(decisions, k) == DIKEMBALIKAN:
            for b in k.bagian:
                b.dipakai = False
            note = decisions[k.sha256].catatan
            k.status = ST_DIKEMBALIKAN
            k.alasan = "; ".join(x for x in ("dikembalikan oleh verifikator" + (f": {note}" if note else ""),
                                             k.alasan) if x)
    groups: dict[tuple, list] = {}
    for k in competing:
        for b in k.bagian:
            groups.setdefault(_key(k, b), []).append((k, b))
    restored: dict[str, tuple[Kiriman, list[str]]] = {}
    revisions: dict[str, tuple[Kiriman, str]] = {}
    for group in groups.values():
        group.sort(key=lambda kb: _order(kb[0], run))
        accepted = [i for i, (k, _) in enumerate(group) if _dec(decisions, k) == DITERIMA and k.valid]
        if not accepted or accepted[-1] == len(group) - 1:
            continue
        a = accepted[-1]
        ka, ba = group[a]
        ba.digantikan, ba.dipakai = "", True
        restored.setdefault(ka.rel, (ka, []))
        for k, b in group[:a]:
            b.digantikan, b.dipakai = ka.rel, False
        for k, b in group[a + 1:]:  # a returned revision is superseded by the accepted file; others wait
            b.digantikan, b.dipakai = (ka.rel if k.status == ST_DIKEMBALIKAN else ""), False
            if k.status != ST_DIKEMBALIKAN:
                revisions[k.rel] = (k, ka.rel)
                restored.setdefault(ka.rel, (ka, []))[1].append(k.rel)
    for k, newer in restored.values():
        k.status = DIPAKAI if all(b.dipakai for b in k.bagian) else SEBAGIAN
        k.alasan = "diterima verifikator" + (f"; revisi {', '.join(sorted(set(newer)))} menunggu keputusan "
                                             "verifikator" if newer else "; berkas yang lebih baru dikembalikan")
    for k, used in revisions.values():
        why = f"revisi setelah diterima: yang dipakai {used} (diterima verifikator) sampai revisi ini diterima"
        k.status = SEBAGIAN if k.dipakai else ST_REVISI
        k.alasan = "; ".join(x for x in (k.alasan if not k.valid else "", why) if x)


def current(st: StatusUnit, by_rel: dict[str, Kiriman]) -> list[Kiriman]:
    """The unit's files still in play (the rule of the Status Pengiriman sheet)."""
    ks = [by_rel[r] for r in st.berkas if r in by_rel]
    return [k for k in ks if any(not b.digantikan for b in k.bagian) or not k.bagian]


def annotate(roll: Rollup, kiriman: list[Kiriman], decisions: dict[str, Keputusan]) -> None:
    """Per status row: the files it decides (its key), the decision shown, the verification status, colour."""
    by_rel = {k.rel: k for k in kiriman}
    for st in roll.status:
        now = current(st, by_rel)
        pending = [k for k in now if k.status == ST_REVISI]
        subject = pending or now
        st.kunci = kunci(subject)
        ds = {_dec(decisions, k) for k in subject}
        if len(ds) == 1 and subject:
            d = decisions.get(subject[0].sha256)
            st.keputusan, st.catatan = (d.keputusan, d.catatan) if d else ("", "")
        notes = []
        if any(k.status == ST_DIKEMBALIKAN for k in now):
            st.verifikasi = ST_DIKEMBALIKAN
            notes.append("dikembalikan oleh verifikator; tidak dihitung")
        elif pending:
            st.verifikasi = ST_REVISI
            used = sorted({k.rel for k in now if k not in pending and k.dipakai})
            notes.append(f"revisi {', '.join(k.rel for k in pending)} menunggu keputusan verifikator; yang dipakai "
                         f"{', '.join(used)} (diterima)")
        elif subject and ds == {DITERIMA}:
            st.verifikasi = ST_DITERIMA
        st.keterangan = "; ".join(x for x in (st.keterangan, *notes) if x)
        st.warna = warna(st)


def warna(st: StatusUnit) -> str:
    """merah: nothing received, ditolak or dikembalikan; kuning: late, arrival unknown or a revision awaiting a
    decision; hijau: valid and on time, or accepted by the verifier."""
    if not st.diterima or st.validasi == "ditolak" or st.verifikasi == ST_DIKEMBALIKAN:
        return MERAH
    if st.verifikasi == ST_REVISI:
        return KUNING
    if st.verifikasi == ST_DITERIMA:
        return HIJAU
    return KUNING if st.terlambat is not False else HIJAU


# --- what the terminal shows: the status table and a unit's history ------------------------------------------

STATUS_FIELDS = {"kode_satker": "Kode satker", "nama": "Nama unit", "eselon1": "Eselon I", "masuk": "Masuk",
                 "validasi": "Validasi", "ketepatan": "Ketepatan waktu", "keputusan": "Keputusan verifikator",
                 "catatan": "Catatan verifikator", "warna": "Warna", "keterangan": "Keterangan",
                 "berkas": "Berkas"}


def status_rows(roll: Rollup) -> list[dict[str, str]]:
    """One row per unit for the terminal and a mail merge (keys of STATUS_FIELDS)."""
    out = []
    for st in roll.status:
        tepat = "" if not st.diterima else "tidak diketahui" if st.terlambat is None else (
            "terlambat" if st.terlambat else "tepat waktu")
        out.append({"kode_satker": st.unit.kode, "nama": st.unit.nama, "eselon1": st.unit.eselon1,
                    "masuk": "ya" if st.diterima else "tidak", "validasi": st.validasi or "belum mengirim",
                    "ketepatan": tepat,
                    "keputusan": st.keputusan if st.keputusan != TANPA else "", "catatan": st.catatan,
                    "warna": st.warna, "keterangan": st.keterangan, "berkas": ", ".join(st.berkas)})
    return out


def status_counts(roll: Rollup) -> dict[str, int]:
    """received / valid / dikembalikan / diterima / missing / late, over the units of the list (or every
    sender without one)."""
    units = [s for s in roll.status if s.terdaftar] or roll.status
    return {"masuk": sum(s.diterima for s in units),
            "valid": sum(s.diterima and s.validasi == "valid" for s in units),
            "dikembalikan": sum(s.verifikasi == ST_DIKEMBALIKAN for s in units),
            "diterima": sum(s.verifikasi == ST_DITERIMA for s in units),
            "belum mengirim": sum(not s.diterima for s in units),
            "terlambat": sum(bool(s.terlambat) for s in units)}


RIWAYAT_FIELDS = {"periode": "Periode", "form": "Form", "berkas": "Berkas", "sha256": "SHA-256",
                  "pertama": "Pertama terlihat", "galat": "Galat", "peringatan": "Peringatan",
                  "status": "Status terakhir", "keputusan": "Keputusan", "catatan": "Catatan",
                  "verifikator": "Verifikator", "waktu": "Waktu keputusan"}


def riwayat(con: sqlite3.Connection, kode: str) -> list[dict[str, object]]:
    """A unit's submissions over the quarters (per file content), each decision on its own row."""
    rows = con.execute(
        "SELECT k.sha256, k.berkas, k.form, k.tahun, k.triwulan, k.galat, k.peringatan, k.status, r.waktu "
        "FROM kiriman k JOIN run r ON r.id = k.run WHERE k.unit = ? AND r.status = 'selesai' ORDER BY r.id",
        (kode,)).fetchall()
    seen: dict[str, dict[str, object]] = {}
    for sha, berkas, form, tahun, tw, galat, peringatan, status, waktu in rows:
        periode = f"Tahun {tahun or '?'}" if form in FORMS_TAHUNAN else f"TW {tw or '?'} {tahun or '?'}"
        item = seen.setdefault(sha, {"periode": periode, "form": form, "sha256": sha,
                                     "pertama": wk.shown(wk.aware(dt.datetime.fromisoformat(waktu))), "_t": (tahun or 0,
                                                                                                   tw or 0)})
        item.update(berkas=berkas, galat=galat, peringatan=peringatan, status=status)
    out: list[dict[str, object]] = []
    for item in sorted(seen.values(), key=lambda i: i["_t"]):  # stable: first seen order within a quarter
        item.pop("_t")
        decided = history(con, str(item["sha256"])) if _has_table(con) else []
        for d in decided or [None]:
            out.append({**item, "sha256": str(item["sha256"])[:12],
                        "keputusan": d.keputusan if d else "", "catatan": d.catatan if d else "",
                        "verifikator": d.verifikator if d else "",
                        "waktu": wk.shown(dt.datetime.fromisoformat(d.waktu)) if d and d.waktu else ""})
    return out


def _has_table(con: sqlite3.Connection) -> bool:
    return bool(con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'keputusan'").fetchone())
