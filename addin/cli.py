"""The ``kinerja`` command line (Bahasa Indonesia): a thin front end over the macros."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from addin.bahasa import pasang

pasang()

from workbooks.forms import FORM_IDS, LAYOUTS  # noqa: E402
from workbooks.package import SUFFIXES  # noqa: E402
from workbooks.reader import BacaGagal  # noqa: E402

app = typer.Typer(
    name="kinerja",
    help="kinerja: templat, validasi dan konsolidasi laporan kinerja (PP 39/2006, SAKIP) di Excel.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
out = Console()
err = Console(stderr=True)


def gagal(pesan: str, kode: int = 2) -> typer.Exit:
    # soft_wrap: the terminal wraps the line, so a long path in the message is never cut by a newline (it can be
    # copied whole)
    err.print(f"[bold red]Galat:[/] {pesan}", soft_wrap=True)
    return typer.Exit(kode)


_TIMPA_HELP = "Timpa berkas keluaran yang sudah ada (isinya hilang)."


def jangan_timpa(keluaran: Path, timpa: bool) -> None:
    """Refuse an existing output file (a workbook the user fills by hand) unless ``--timpa`` was given."""
    if keluaran.is_file() and not timpa:
        raise gagal(f"Berkas '{keluaran}' sudah ada dan tidak ditimpa agar isiannya tidak hilang. Pilih nama berkas "
                    "lain, atau tambahkan --timpa bila memang ingin menggantinya.")


_FORM_HELP = "Jenis form: " + ", ".join(FORM_IDS) + "."


@app.command("templat", options_metavar="[OPSI]", help="Buat templat form kosong yang siap diisi dan dicetak.\n\n" + _FORM_HELP)
def templat(
    form: Annotated[str, typer.Argument(help=_FORM_HELP, show_default=False, metavar="FORM")],
    keluaran: Annotated[Path, typer.Option("-o", "--keluaran", help="Berkas .xlsx yang dibuat.", metavar="BERKAS")],
    satker: Annotated[str | None, typer.Option("--satker", help="Kode satker 6 digit.", metavar="KODE")] = None,
    tahun: Annotated[int | None, typer.Option("--tahun", help="Tahun anggaran (bawaan: tahun ini).", metavar="TAHUN", min=2000,
                                              max=2100)] = None,
    triwulan: Annotated[int | None, typer.Option("--triwulan", help="Triwulan 1–4 (bawaan: triwulan berjalan).", metavar="1-4",
                                                 min=1, max=4)] = None,
    kegiatan: Annotated[list[str] | None, typer.Option("--kegiatan", metavar="KODE", help="Kode kegiatan 4 digit; ulangi untuk "
                                                       "setiap kegiatan (satu lembar FORM A per kegiatan).")] = None,
    baris: Annotated[int | None, typer.Option("--baris", metavar="N", min=1, max=500,
                                              help="Jumlah baris isian setiap tabel (bawaan: sesuai form).")] = None,
    timpa: Annotated[bool, typer.Option("--timpa", help=_TIMPA_HELP)] = False,
) -> None:
    from macros.files import OutputError
    from macros.templat import OpsiSalah, make_template

    if keluaran.suffix.lower() not in SUFFIXES:
        raise gagal(f"Nama berkas keluaran '{keluaran}' harus berakhiran .xlsx.")
    jangan_timpa(keluaran, timpa)
    try:
        path = make_template(form, keluaran, satker=satker, tahun=tahun, triwulan=triwulan, kegiatan=kegiatan or (),
                             baris=baris)
    except (OpsiSalah, OutputError) as exc:
        raise gagal(str(exc)) from exc
    nama = LAYOUTS[form].nama if form in LAYOUTS else "Paket laporan triwulan satker"
    out.print(f"[green]Templat dibuat:[/] {path}  ({nama})")


@app.command("demo", options_metavar="[OPSI]", help="Tulis contoh buku kerja dari laporan nyata (BSPJI Manado, BPSDMI TW II 2023).")
def demo(
    folder: Annotated[Path, typer.Argument(help="Folder tujuan.", metavar="FOLDER")] = Path("kinerja-demo"),
) -> None:
    from macros.demo import write_demo

    with out.status("Membuat buku kerja demo…"):
        paths = write_demo(folder)
    for p in paths:
        out.print(f"[green]ditulis[/] {p}")
    _demo_extra(folder)


def _demo_extra(folder: Path) -> None:
    """Validate the demo workbooks (annotated copies in ``anotasi/``), then consolidate them together with
    generated submissions of more satkers (``kiriman/`` → ``konsolidasi/rollup.xlsx``)."""
    from macros.demo import DEMO_FILES, DEMO_TIME
    from macros.validation.run import validate_files

    seeds = sorted(folder / name for name in DEMO_FILES.values())  # the demo's own: never other files in FOLDER
    validate_files(seeds, anotasi=folder / "anotasi", console=out)
    from macros.konsolidasi.demo import prepare

    kiriman = prepare(folder / "kiriman", seeds, dt.datetime.fromisoformat(DEMO_TIME))
    _konsolidasi(kiriman, folder / "konsolidasi" / "rollup.xlsx", _sample_units(), 2023, 2,
                 dt.datetime(2023, 7, 20, 9, 0))


def _sample_units() -> Path:
    from importlib import resources

    return Path(str(resources.files("workbooks.data").joinpath("unit_contoh.csv")))


def _konsolidasi(folder: Path, keluaran: Path, unit: Path | None, tahun: int | None, triwulan: int | None,
                 waktu=None, cuti_bersama=(), proses: int | None = None, skb: bool = False,
                 batas_waktu: float | None = None, keputusan: Path | None = None, verifikator: str = "",
                 umpan_balik: Path | None = None) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from macros.files import OutputError
    from macros.konsolidasi import ConsolidationError, consolidate
    from macros.konsolidasi.collect import TIMEOUT

    try:
        with Progress(TextColumn("Membaca dan memvalidasi kiriman"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=out, transient=True) as bar:
            task = bar.add_task("kiriman", total=None)
            h = consolidate(folder, keluaran, units=unit, tahun=tahun, triwulan=triwulan, waktu=waktu,
                            cuti_bersama=cuti_bersama, cuti_bersama_skb=skb, workers=proses,
                            progress=lambda done, n: bar.update(task, completed=done, total=n),
                            batas_waktu=batas_waktu or TIMEOUT, keputusan=keputusan, verifikator=verifikator,
                            umpan_balik=umpan_balik)
    except (OutputError, ConsolidationError) as exc:
        raise gagal(str(exc)) from exc
    for note in h.catatan:
        err.print(f"[bold yellow]Peringatan:[/] {note}")
    counts: dict[str, int] = {}
    for k in h.kiriman:
        counts[k.status] = counts.get(k.status, 0) + 1
    periode = f"triwulan {h.rollup.triwulan or '?'} tahun {h.rollup.tahun or '?'}"
    out.print(f"[green]Rollup ditulis:[/] {h.out} ({periode}); buku besar kiriman: {h.ledger}")
    out.print(f"Berkas: {len(h.kiriman)} — " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
    for k in h.kiriman:
        if k.status not in ("dipakai",):
            out.print(f"  [yellow]{k.status}[/] {k.rel}: {k.alasan}")
    listed = [s for s in h.status if s.terdaftar]
    out.print(f"Unit: {len(listed)} dalam daftar, {sum(not s.diterima for s in listed)} tidak mengirim, "
              f"{sum(s.validasi == 'ditolak' for s in listed)} ditolak, {sum(bool(s.terlambat) for s in listed)} "
              "terlambat.")
    for d in h.keputusan:
        out.print(f"  keputusan verifikator dicatat: {d.unit} {d.keputusan}" + (f" — {d.catatan}" if d.catatan else ""))
    for p in h.umpan_balik:
        out.print(f"[green]Umpan balik ditulis:[/] {p}")
    if h.changes.pertama:
        out.print("Konsolidasi pertama untuk rollup ini.")
    else:
        changed = [(label, items) for label, items in h.changes.items() if items]
        out.print("Sejak konsolidasi sebelumnya: " + ("tidak ada perubahan berkas." if not changed else ""))
        for label, items in changed:
            out.print(f"  {label} ({len(items)}): " + ", ".join(items[:10]) + (" …" if len(items) > 10 else ""))


def _tanggal(teks: str) -> dt.date:
    try:
        return dt.date.fromisoformat(teks)
    except ValueError as exc:
        raise typer.BadParameter(f"'{teks}' bukan tanggal TTTT-BB-HH (mis. 2023-06-28).") from exc


def _waktu(teks: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(teks)
    except ValueError as exc:
        raise typer.BadParameter(f"'{teks}' bukan waktu TTTT-BB-HHTjj:mm (mis. 2023-07-20T09:00).") from exc


@app.command("konsolidasi", options_metavar="[OPSI]",
             help="Gabungkan folder kiriman satker menjadi FORM B per program dan rollup kementerian (Ringkasan, "
                  "Capaian Kinerja, Indeks Kepuasan Masyarakat, P3DN, Status Pengiriman, Jejak Data). Kiriman "
                  "dengan galat tidak dihitung; bila satu satker mengirim beberapa kali, yang terbaru dipakai.")
def konsolidasi(
    folder: Annotated[Path, typer.Argument(help="Folder berisi kiriman .xlsx/.xlsm (termasuk subfolder).",
                                           metavar="FOLDER")],
    keluaran: Annotated[Path, typer.Option("-o", "--keluaran", help="Berkas rollup .xlsx.", metavar="BERKAS")],
    unit: Annotated[Path | None, typer.Option("--unit", metavar="BERKAS",
                                              help="Daftar unit CSV: kode_satker, nama, eselon1, provinsi "
                                                   "(tanpa opsi ini: unit diambil dari kiriman).")] = None,
    tahun: Annotated[int | None, typer.Option("--tahun", metavar="TAHUN", min=2000, max=2100,
                                              help="Tahun anggaran (bawaan: periode terbaru dalam kiriman).")] = None,
    triwulan: Annotated[int | None, typer.Option("--triwulan", metavar="1-4", min=1, max=4,
                                                 help="Triwulan (bawaan: periode terbaru dalam kiriman).")] = None,
    cuti_bersama: Annotated[list[str] | None, typer.Option(
        "--cuti-bersama", metavar="TANGGAL", help="Tanggal cuti bersama (TTTT-BB-HH), bukan hari kerja; ulangi "
                                                  "untuk setiap tanggal, atau tulis 'skb' untuk memakai daftar cuti "
                                                  "bersama SKB yang dikenal kinerja.")] = None,
    waktu: Annotated[str | None, typer.Option(
        "--waktu", metavar="WAKTU", help="Cap waktu konsolidasi (TTTT-BB-HHTjj:mm; bawaan: sekarang). Kiriman dan "
                                         "cap waktu yang sama menghasilkan berkas rollup yang sama persis.")] = None,
    proses: Annotated[int | None, typer.Option("--proses", metavar="N", min=1,
                                               help="Jumlah proses pembaca (bawaan: jumlah inti CPU).")] = None,
    batas_waktu: Annotated[float | None, typer.Option(
        "--batas-waktu", metavar="DETIK", min=1, help="Batas waktu membaca satu berkas; berkas yang melewatinya "
                                                      "dicatat 'tidak dapat dibaca' (bawaan: 120).")] = None,
    keputusan: Annotated[Path | None, typer.Option(
        "--keputusan", metavar="BERKAS", help="Rollup berisi keputusan verifikator (kolom Keputusan Verifikator dan "
                                              "Catatan Verifikator di lembar Status Pengiriman; bawaan: rollup "
                                              "sebelumnya di -o).")] = None,
    verifikator: Annotated[str, typer.Option("--verifikator", metavar="NAMA",
                                             help="Nama verifikator yang dicatat bersama keputusan baru.")] = "",
    umpan_balik: Annotated[Path | None, typer.Option(
        "--umpan-balik", metavar="FOLDER", help="Tulis umpan balik untuk setiap satker yang bertemuan atau "
                                                "dikembalikan: salinan kirimannya dengan tanda validasi dan catatan "
                                                "verifikator, siap dikirim kembali.")] = None,
) -> None:
    if not folder.is_dir():
        raise gagal(f"Folder '{folder}' tidak ditemukan.")
    if unit is not None and not unit.is_file():
        raise gagal(f"Daftar unit '{unit}' tidak ditemukan.")
    if keluaran.suffix.lower() != ".xlsx":
        raise gagal(f"Nama berkas rollup '{keluaran}' harus berakhiran .xlsx.")
    if keputusan is not None and not keputusan.is_file():
        raise gagal(f"Berkas keputusan '{keputusan}' tidak ditemukan.")
    dates = [t for t in cuti_bersama or () if t.strip().lower() != "skb"]
    _konsolidasi(folder, keluaran, unit, tahun, triwulan, _waktu(waktu) if waktu else None,
                 [_tanggal(t) for t in dates], proses, skb=len(dates) < len(cuti_bersama or ()),
                 batas_waktu=batas_waktu, keputusan=keputusan, verifikator=verifikator, umpan_balik=umpan_balik)


_WARNA = {"hijau": "green", "kuning": "yellow", "merah": "red"}


@app.command("status", options_metavar="[OPSI]",
             help="Tampilkan status pengiriman setiap unit (masuk, valid, dikembalikan, diterima verifikator, belum "
                  "mengirim, terlambat) tanpa menulis rollup; --csv untuk surat berantai.")
def status(
    folder: Annotated[Path, typer.Argument(help="Folder berisi kiriman .xlsx/.xlsm.", metavar="FOLDER")],
    unit: Annotated[Path | None, typer.Option("--unit", metavar="BERKAS",
                                              help="Daftar unit CSV (tanpa opsi ini: unit diambil dari kiriman).")] = None,
    keluaran: Annotated[Path | None, typer.Option(
        "-o", "--rollup", metavar="BERKAS", help="Rollup yang dipakai: keputusan verifikator dan waktu pertama "
                                                 "terlihat dibaca dari rollup dan buku besarnya (tidak diubah).")] = None,
    csv_out: Annotated[Path | None, typer.Option("--csv", metavar="BERKAS",
                                                 help="Tulis tabel status ke berkas CSV (UTF-8).")] = None,
    tahun: Annotated[int | None, typer.Option("--tahun", metavar="TAHUN", min=2000, max=2100,
                                              help="Tahun anggaran (bawaan: periode terbaru dalam kiriman).")] = None,
    triwulan: Annotated[int | None, typer.Option("--triwulan", metavar="1-4", min=1, max=4,
                                                 help="Triwulan (bawaan: periode terbaru dalam kiriman).")] = None,
) -> None:
    _status(folder, unit, keluaran, csv_out, tahun, triwulan)


def _status(folder: Path, unit: Path | None, rollup: Path | None, csv_out: Path | None, tahun: int | None,
            triwulan: int | None) -> None:
    import csv
    import io

    from rich.table import Table

    from macros.files import OutputError, guard_output, write_bytes_atomic
    from macros.konsolidasi import ConsolidationError, status as status_of
    from macros.konsolidasi.verifikasi import STATUS_FIELDS, status_counts, status_rows

    if not folder.is_dir():
        raise gagal(f"Folder '{folder}' tidak ditemukan.")
    if unit is not None and not unit.is_file():
        raise gagal(f"Daftar unit '{unit}' tidak ditemukan.")
    try:
        if csv_out is not None:
            guard_output(csv_out, files=[p for p in (unit, rollup) if p], folders=[folder], what="Berkas CSV")
        with out.status("Membaca dan memvalidasi kiriman…"):
            roll, _, notes = status_of(folder, rollup, unit, tahun, triwulan)
    except (OutputError, ConsolidationError) as exc:
        raise gagal(str(exc)) from exc
    for note in notes:
        err.print(f"[bold yellow]Peringatan:[/] {note}")
    rows = status_rows(roll)
    shown = [k for k in STATUS_FIELDS if k not in ("keterangan", "berkas")]
    table = Table(title=f"Status pengiriman triwulan {roll.triwulan or '?'} tahun {roll.tahun or '?'}",
                  header_style="bold")
    for k in shown:
        table.add_column(STATUS_FIELDS[k], overflow="fold")
    for r in rows:
        style = _WARNA.get(r["warna"], "")
        table.add_row(*[f"[{style}]{r[k]}[/]" if k == "warna" and style else r[k] for k in shown])
    out.print(table)
    counts = status_counts(roll)
    out.print("Unit: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
    if csv_out is not None:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(STATUS_FIELDS), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows({k: _csv_text(v) for k, v in r.items()} for r in rows)
        try:
            write_bytes_atomic(("\ufeff" + buf.getvalue()).encode("utf-8"), csv_out)
        except OutputError as exc:
            raise gagal(str(exc)) from exc
        out.print(f"[green]CSV ditulis:[/] {csv_out}")


def _csv_text(value: str) -> str:
    """A cell of the mail-merge CSV: text that a spreadsheet would read as a formula gets a leading apostrophe."""
    from workbooks.teks import formula_like

    return "'" + value if formula_like(value) else value


@app.command("riwayat", options_metavar="[OPSI]",
             help="Riwayat kiriman satu unit dari buku besar: berkas, hash, jumlah temuan dan keputusan verifikator "
                  "per triwulan.")
def riwayat(
    kode: Annotated[str, typer.Argument(help="Kode satker (6 angka) atau singkatan Eselon I.", metavar="KODE_SATKER")],
    buku_besar: Annotated[Path | None, typer.Option("--buku-besar", metavar="BERKAS",
                                                    help="Buku besar kiriman (ROLLUP.ledger.sqlite).")] = None,
    keluaran: Annotated[Path | None, typer.Option("-o", "--rollup", metavar="BERKAS",
                                                  help="Rollup; buku besarnya dipakai.")] = None,
) -> None:
    _riwayat(kode, buku_besar, keluaran)


def _riwayat(kode: str, buku_besar: Path | None, rollup: Path | None) -> None:
    import sqlite3

    from rich.table import Table

    from macros.konsolidasi import ledger_path
    from macros.konsolidasi.ledger import sqlite_alasan
    from macros.konsolidasi.verifikasi import RIWAYAT_FIELDS, riwayat as history_of

    if buku_besar is None and rollup is None:
        raise gagal("Sebutkan --buku-besar BERKAS atau -o ROLLUP.xlsx.")
    path = buku_besar or ledger_path(rollup)  # type: ignore[arg-type]
    if not path.is_file():
        raise gagal(f"Buku besar '{path}' tidak ditemukan.")
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            rows = history_of(con, kode.strip())
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise gagal(f"Buku besar '{path}' tidak dapat dibaca ({sqlite_alasan(exc)}).") from exc
    if not rows:
        out.print(f"Buku besar '{path}' tidak mencatat kiriman dari unit {kode}: tidak ada kiriman.")
        return
    table = Table(title=f"Riwayat kiriman unit {kode}", header_style="bold")
    for k, label in RIWAYAT_FIELDS.items():
        table.add_column(label, overflow="fold", justify="right" if k in ("galat", "peringatan") else "left")
    for r in rows:
        table.add_row(*[str(r[k]) for k in RIWAYAT_FIELDS])
    out.print(table)


@app.command("validasi", options_metavar="[OPSI]",
             help="Periksa berkas laporan; setiap masalah ditandai pada selnya. Kode keluar: 0 tanpa galat, "
                  "1 ada galat, 2 berkas tidak dapat dibaca.")
def validasi(
    berkas: Annotated[list[Path], typer.Argument(help="Berkas .xlsx/.xlsm yang diperiksa.", metavar="BERKAS...")],
    sebelumnya: Annotated[Path | None, typer.Option("--sebelumnya", metavar="BERKAS",
                                                    help="Laporan FORM A triwulan tepat sebelumnya dari satker yang "
                                                         "sama (memeriksa kesinambungan s.d. triwulan lalu); berkas "
                                                         "lain ditolak sebelum pemeriksaan.")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", metavar="BERKAS",
                                                  help="Tulis semua temuan ke berkas JSON.")] = None,
    anotasi: Annotated[Path | None, typer.Option("--anotasi", metavar="FOLDER",
                                                 help="Tulis salinan bertanda ke folder ini (berkas asli tidak "
                                                      "diubah).")] = None,
) -> None:
    from macros.files import OutputError
    from macros.validation.run import validate_files

    try:
        code = validate_files(berkas, previous=sebelumnya, json_out=json_out, anotasi=anotasi, console=out,
                              err_console=err)
    except OutputError as exc:
        raise gagal(str(exc)) from exc
    raise typer.Exit(code)


@app.command("server", options_metavar="[OPSI]",
             help="Jalankan server add-in Excel (xlwings Server): tab pita Kinerja dan fungsi KINERJA.*.")
def server(
    host: Annotated[str, typer.Option("--host", metavar="ALAMAT", help="Alamat yang didengar.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="PORT", min=1, max=65535, help="Port.")] = 8000,
    pekerja: Annotated[int, typer.Option("--pekerja", metavar="N", min=1, max=64,
                                         help="Jumlah proses server (replika tanpa status).")] = 1,
) -> None:
    import errno
    import os
    import socket

    from addin.app import configure
    from addin.security import Limits

    try:
        configure()
        Limits.from_env()
    except RuntimeError as exc:
        raise gagal(str(exc)) from exc
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise gagal(f"Port {port} di {host} sudah dipakai program lain: hentikan program itu atau pilih "
                        "--port lain.") from exc
        raise gagal(f"Alamat {host}:{port} tidak dapat dipakai ({exc.strerror or exc}).") from exc
    import uvicorn

    if host not in ("127.0.0.1", "localhost", "::1") and os.environ.get("XLWINGS_AUTH_PROVIDERS", "[]") in ("", "[]"):
        err.print("Peringatan: server didengar di luar mesin ini tanpa token (XLWINGS_AUTH_PROVIDERS kosong).")
    out.print(f"Server kinerja di http://{host}:{port} — manifest: http://{host}:{port}/manifest.xml")
    uvicorn.run("addin.app:create_app", factory=True, host=host, port=port, workers=pekerja, log_level="info")


def _write_copy(berkas: Path, keluaran: Path, action, refused: type[Exception], timpa: bool) -> None:
    """Run a file action that writes a changed copy of ``berkas`` to ``keluaran``; print its messages."""
    from macros.files import OutputError

    if keluaran.suffix.lower() != berkas.suffix.lower() or keluaran.suffix.lower() not in SUFFIXES:
        raise gagal(f"Nama berkas keluaran '{keluaran}' harus berakhiran {berkas.suffix or '.xlsx'} seperti berkas asli.")
    if keluaran.resolve() != berkas.resolve():  # the input itself: the action's own refusal names it
        jangan_timpa(keluaran, timpa)
    try:
        path, plan = action()
    except (refused, BacaGagal, OutputError) as exc:
        raise gagal(str(exc)) from exc
    for m in plan.messages:
        out.print(m)
    out.print(f"[green]Ditulis:[/] {path}")


@app.command("pulihkan", options_metavar="[OPSI]",
             help="Pulihkan rumus setiap sel turunan (yang terhapus atau tertimpa ketikan) sesuai layout form. "
                  "Berkas asli tidak diubah; hasilnya ditulis ke berkas -o.")
def pulihkan(
    berkas: Annotated[Path, typer.Argument(help="Berkas .xlsx/.xlsm yang dipulihkan.", metavar="BERKAS")],
    keluaran: Annotated[Path, typer.Option("-o", "--keluaran", help="Berkas hasil (.xlsx/.xlsm), bukan berkas asli.",
                                           metavar="BERKAS")],
    timpa: Annotated[bool, typer.Option("--timpa", help=_TIMPA_HELP)] = False,
) -> None:
    from macros.pulihkan import PulihkanGagal, restore_file

    _write_copy(berkas, keluaran, lambda: restore_file(berkas, keluaran), PulihkanGagal, timpa)


@app.command("tambah-baris", options_metavar="[OPSI]",
             help="Sisipkan baris isian di dalam tabel, di bawah baris yang dipilih: format, validasi dan rumus "
                  "ikut; baris Jumlah, rumus, nama, validasi dan area cetak di bawahnya bergeser seperti di Excel. "
                  "Tabel berpasangan (bagian II dan III FORM A) ikut bertambah. Berkas asli tidak diubah.")
def tambah_baris(
    berkas: Annotated[Path, typer.Argument(help="Berkas .xlsx/.xlsm.", metavar="BERKAS")],
    lembar: Annotated[str, typer.Option("--lembar", help="Nama lembar form.", metavar="LEMBAR")],
    setelah_baris: Annotated[int, typer.Option("--setelah-baris", min=1, metavar="BARIS",
                                               help="Nomor baris data di dalam tabel; baris baru disisipkan di bawahnya.")],
    keluaran: Annotated[Path, typer.Option("-o", "--keluaran", help="Berkas hasil, bukan berkas asli.",
                                           metavar="BERKAS")],
    jumlah: Annotated[int, typer.Option("--jumlah", min=1, max=200, metavar="N", help="Jumlah baris baru.")] = 1,
    timpa: Annotated[bool, typer.Option("--timpa", help=_TIMPA_HELP)] = False,
) -> None:
    from macros.tambah_baris import TambahBarisGagal, add_rows_file

    _write_copy(berkas, keluaran, lambda: add_rows_file(berkas, keluaran, lembar, setelah_baris, jumlah),
                TambahBarisGagal, timpa)


@app.command("laporan-tahunan", options_metavar="[OPSI]",
             help="Buat Laporan Kinerja tahunan (LAKIP/LKjIP): LAPORAN.xlsx (tabel BAB III dan Jejak Data) dan "
                  "LAPORAN.docx (Ikhtisar Eksekutif, BAB I–IV, tabel dan uraian per indikator) dari buku kerja "
                  "satu unit dalam FOLDER. Buku kerja bergalat menghentikan laporan.")
def laporan_tahunan(
    folder: Annotated[Path, typer.Argument(help="Folder buku kerja unit (Renstra, PK, Rencana Aksi, Pengukuran, "
                                                "FORM A/ALKI, P3DN, SKM).", metavar="FOLDER")],
    tahun: Annotated[int, typer.Option("--tahun", help="Tahun laporan.", metavar="TAHUN", min=2000, max=2100)],
    keluaran: Annotated[Path, typer.Option("-o", "--keluaran", metavar="LAPORAN",
                                           help="Nama keluaran tanpa akhiran: LAPORAN.xlsx dan LAPORAN.docx.")],
    unit: Annotated[str | None, typer.Option("--unit", metavar="KODE", help="Kode satker (atau nama unit) bila "
                                                                           "FOLDER memuat beberapa unit.")] = None,
) -> None:
    from macros.files import OutputError
    from macros.laporan import LaporanGagal, buat_laporan

    try:
        xlsx, docx, lap = buat_laporan(folder, tahun, keluaran, unit)
    except OutputError as exc:
        raise gagal(str(exc)) from exc
    except LaporanGagal as exc:
        raise gagal(str(exc), exc.kode) from exc
    for d in lap.dilewati:
        out.print(f"tidak dipakai: {d}", markup=False, highlight=False)
    for c in lap.catatan:
        out.print(c, style="yellow", markup=False, highlight=False)
    for w in lap.peringatan:
        out.print(f"peringatan: {w}", style="yellow", markup=False, highlight=False)
    out.print(f"[green]Ditulis:[/] {xlsx}\n[green]Ditulis:[/] {docx}")


@app.command("periksa-laporan", options_metavar="[OPSI]",
             help="Periksa Laporan Kinerja (.docx): setiap angka target, realisasi dan capaian yang dikutip di "
                  "paragraf dan tabel di dekat nama indikator dibandingkan dengan buku kerja di FOLDER. Kode "
                  "keluar 1 bila ada selisih.")
def periksa_laporan(
    dokumen: Annotated[Path, typer.Argument(help="Laporan .docx yang diperiksa.", metavar="LAPORAN.docx")],
    data: Annotated[Path, typer.Option("--data", help="Folder buku kerja unit.", metavar="FOLDER")],
    tahun: Annotated[int | None, typer.Option("--tahun", metavar="TAHUN", min=2000, max=2100,
                                              help="Tahun laporan (bawaan: dari judul dokumen).")] = None,
    unit: Annotated[str | None, typer.Option("--unit", metavar="KODE", help="Kode satker bila FOLDER memuat "
                                                                           "beberapa unit.")] = None,
) -> None:
    from macros.laporan import LaporanGagal
    from macros.laporan import periksa_laporan as periksa

    try:
        h = periksa(dokumen, data, tahun, unit)
    except LaporanGagal as exc:
        raise gagal(str(exc), exc.kode) from exc
    if h.tanpa_data:
        out.print(f"{len(h.tanpa_data)} angka tidak dapat dibandingkan (buku kerja tidak memuat nilainya):")
        for s in h.tanpa_data:
            out.print(f"- {s.tempat}: {s.besaran} indikator '{s.indikator}' tertulis {s.tertulis}", markup=False,
                      highlight=False)
    if not h.selisih:
        out.print(f"[green]Tidak ada selisih:[/] {h.diperiksa} angka di dekat nama indikator sesuai dengan buku kerja.")
        return
    out.print(f"[red]{len(h.selisih)} selisih[/] dari {h.diperiksa} angka yang diperiksa:")
    for s in h.selisih:
        out.print(f"- {s.teks()}", markup=False, highlight=False)
    raise typer.Exit(1)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
