"""Safety checks on a workbook file before any parser sees it.

An ``.xlsx`` is a zip of XML parts. Before python-calamine (or anything else)
parses it, :func:`check_package` refuses what would crash, hang or exhaust a
parser: not a zip at all, an encrypted (OLE compound) file, a truncated or
CRC-corrupt archive, too many entries, a decompression bomb (declared and
actual sizes, compression ratio), any XML part carrying a DTD (entity
expansion, external entities), and a sound zip that holds no workbook (an
.ods, a .docx renamed). Every entry is streamed once through its CRC check
with a byte budget, so a size the central directory lies about is caught.

Messages are Indonesian, without the file name (the reader adds it), and name
the part when one is at fault.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: encrypted OOXML or legacy .xls
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_DTD = re.compile(b"|".join(b"\x00?".join(re.escape(bytes([ch])) for ch in word)  # UTF-8 and UTF-16 alike
                            for word in (b"<!DOCTYPE", b"<!ENTITY")), re.I)
_CHUNK = 1 << 20
SUFFIXES = (".xlsx", ".xlsm")  # the workbooks kinerja reads and writes (lower case)
WORKBOOK_PART = "xl/workbook.xml"  # every .xlsx/.xlsm has it (the reader reads the sheet list there)


@dataclass(frozen=True)
class Limits:
    """What a submission may weigh. A quarterly package is well under 1 MB; SKM with 100.000 respondents ~5 MB."""

    file_bytes: int = 100 * 2**20
    entries: int = 2_000
    total_bytes: int = 400 * 2**20  # all parts, uncompressed
    part_bytes: int = 250 * 2**20  # one part, uncompressed
    ratio: float = 250.0  # uncompressed/compressed, for parts over ``ratio_from`` bytes
    ratio_from: int = 2 * 2**20
    # The area a sheet's filled cells (and merged ranges) may span. Forms are at most ~30 columns wide;
    # 20.000 rows hold any realistic table (an SKM of 20.000 respondents reads in a few seconds).
    sheet_cells: int = 600_000
    sheet_rows: int = 20_000
    sheet_cols: int = 300
    # Any other sheet of the file (a user's own data, lists) is not read, but whatever opens the file later
    # (openpyxl for annotated copies) allocates it: only its area is bounded.
    any_sheet_cells: int = 5_000_000


LIMITS = Limits()


class PackageError(Exception):
    """The file is not a safe, intact workbook package; the message is Indonesian, without the file name."""

    def __init__(self, message: str, part: str | None = None):
        super().__init__(message)
        self.part = part


def _mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB".replace(",", ".")


def check_package(path: Path, limits: Limits = LIMITS,
                  keep: Callable[[str], bool] | None = None) -> dict[str, bytes | None]:
    """Raise :class:`PackageError` unless ``path`` is an intact, bounded, DTD-free zip package.

    Returns every part's name with its content where ``keep`` names it, else None (each part is decompressed
    once, here, so the reader need not open the archive again).
    """
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise PackageError(f"berkas tidak dapat dibuka ({_os_reason(exc)}).") from exc
    if size == 0:
        raise PackageError("berkas kosong (0 byte).")
    if head == OLE_MAGIC:
        if size <= limits.file_bytes and _ENCRYPTED in path.read_bytes():
            raise PackageError("berkas dilindungi kata sandi (terenkripsi); buka proteksinya lalu simpan ulang "
                               "sebagai .xlsx.")
        raise PackageError("berkas berformat Excel lama (.xls) atau terenkripsi; simpan sebagai .xlsx.")
    if size > limits.file_bytes:
        raise PackageError(f"berkas terlalu besar ({_mb(size)}; batas {_mb(limits.file_bytes)}).")
    if not head.startswith(b"PK"):
        raise PackageError("bukan berkas Excel (.xlsx/.xlsm) yang dapat dibaca: isinya bukan arsip zip.")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise PackageError("bukan berkas Excel (.xlsx/.xlsm) yang dapat dibaca: arsip zip terpotong atau rusak "
                           "(direktori pusat tidak ditemukan). Unduh atau salin ulang berkasnya.") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.entries:
            raise PackageError(f"arsip berisi {len(infos)} bagian (batas {limits.entries}); bukan buku kerja biasa.")
        declared = sum(i.file_size for i in infos)
        if declared > limits.total_bytes:
            raise PackageError(f"isi arsip terlalu besar setelah diekstrak ({_mb(declared)}; batas "
                               f"{_mb(limits.total_bytes)}).")
        total, kept = 0, {}  # type: tuple[int, dict[str, bytes | None]]
        for info in infos:
            chunks: list[bytes] | None = [] if keep is not None and keep(info.filename) else None
            total += _check_entry(zf, info, limits, limits.total_bytes - total, chunks)
            kept[info.filename] = None if chunks is None else b"".join(chunks)
        if WORKBOOK_PART not in kept:
            raise PackageError(_not_a_workbook(zf, kept))
        return kept


def _not_a_workbook(zf: zipfile.ZipFile, parts: dict[str, bytes | None]) -> str:
    """Why a sound zip without a workbook part is refused: what it is, when it says so, and what to do."""
    kind = b""
    if "mimetype" in parts:  # OpenDocument's first part: its media type
        with zf.open("mimetype") as fh:
            kind = fh.read(200)
    if b"opendocument.spreadsheet" in kind:
        what = "lembar kerja OpenDocument (.ods, mis. dari LibreOffice Calc atau WPS)"
    elif b"opendocument" in kind:
        what = "dokumen OpenDocument (.odt/.odp), bukan lembar kerja"
    elif "word/document.xml" in parts:
        what = "dokumen Word (.docx)"
    else:
        what = "arsip zip yang tidak memuat buku kerja Excel"
    return (f"berkas ini {what}, bukan buku kerja Excel (.xlsx/.xlsm). Buka berkasnya lalu simpan sebagai Buku Kerja "
            "Excel (.xlsx), atau isi templat kinerja.")


def _check_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, budget: int,
                 chunks: list[bytes] | None = None) -> int:
    name = info.filename
    if info.flag_bits & 0x1:
        raise PackageError(f"bagian '{name}' terenkripsi; buka proteksinya lalu simpan ulang.", name)
    if info.file_size > limits.part_bytes:
        raise PackageError(f"bagian '{name}' terlalu besar ({_mb(info.file_size)}; batas {_mb(limits.part_bytes)}).",
                           name)
    if info.file_size > limits.ratio_from and info.file_size > limits.ratio * max(info.compress_size, 1):
        raise PackageError(f"bagian '{name}' memuai {info.file_size // max(info.compress_size, 1)}× saat diekstrak "
                           "(bom zip); berkas ditolak.", name)
    xml = name.endswith((".xml", ".rels", ".vml")) or name == "[Content_Types].xml"
    n, tail = 0, b""
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                n += len(chunk)
                if n > min(budget, limits.part_bytes):
                    raise PackageError(f"bagian '{name}' lebih besar dari yang tercatat (bom zip); berkas ditolak.",
                                       name)
                if xml and _DTD.search(tail + chunk):
                    raise PackageError(f"bagian '{name}' memuat deklarasi DTD/entitas XML, yang tidak dipakai "
                                       "buku kerja Excel dan ditolak demi keamanan.", name)
                tail = chunk[-24:]
                if chunks is not None:
                    chunks.append(chunk)
    except PackageError:
        raise
    except NotImplementedError as exc:
        raise PackageError(f"bagian '{name}' dikompresi dengan metode yang tidak didukung.", name) from exc
    except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
        raise PackageError(f"bagian '{name}' terenkripsi; buka proteksinya lalu simpan ulang.", name) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise PackageError(f"bagian '{name}' rusak (data terpotong atau checksum CRC tidak cocok). Unduh atau salin "
                           "ulang berkasnya.", name) from exc
    return n


def _os_reason(exc: OSError) -> str:
    import errno

    return {errno.EACCES: "akses ditolak", errno.EPERM: "akses ditolak", errno.ENOENT: "tidak ditemukan",
            errno.EISDIR: "berupa folder", errno.ELOOP: "tautan simbolik berputar"}.get(exc.errno or 0,
                                                                                       "galat sistem berkas")
