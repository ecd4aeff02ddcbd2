"""LibreOffice headless for tests: recalculate a workbook, render it to PDF/PNG."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


_PROFILES: dict[int, Path] = {}


def _profile() -> Path:
    """A LibreOffice user profile of this process alone, removed at exit.

    Two soffice runs on one profile at once (pytest-xdist workers, a second test run) do not both convert:
    the second exits 0 having written nothing ("source file could not be loaded"). A fresh profile costs
    no measurable start-up time."""
    prof = _PROFILES.get(os.getpid())
    if prof is None:
        prof = _PROFILES[os.getpid()] = Path(tempfile.mkdtemp(prefix="kinerja-lo-profile-"))
        atexit.register(shutil.rmtree, prof, True)
        (prof / "user").mkdir()
        (prof / "user" / "registrymodifications.xcu").write_text(_XCU, encoding="utf-8")
    return prof


def convert(src: Path, fmt: str, outdir: Path) -> Path:
    """``soffice --convert-to fmt`` with formulas recalculated on load (OOXMLRecalcMode=0)."""
    return convert_many([src], fmt, outdir)[0]


def convert_many(srcs: list[Path], fmt: str, outdir: Path) -> list[Path]:
    """One ``soffice --convert-to`` over several files (one start-up of LibreOffice for the batch)."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) tidak terpasang")
    if len({s.stem for s in srcs}) != len(srcs):
        raise ValueError("file names in one batch must differ")
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [exe, f"-env:UserInstallation=file://{_profile()}", "--headless", "--norestore", "--convert-to", fmt,
         "--outdir", str(outdir), *map(str, srcs)],
        check=True, capture_output=True, timeout=600,
    )
    outs = [outdir / (s.stem + "." + fmt.split(":")[0]) for s in srcs]
    missing = [o.name for o in outs if not o.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice tidak menghasilkan {', '.join(missing)}")
    return outs


def recalc_many(srcs: list[Path], outdir: Path) -> list[Path]:
    """Recalculated copies of several xlsx files, in one LibreOffice run."""
    tmp = outdir / "in"
    tmp.mkdir(parents=True, exist_ok=True)
    copies = []
    for s in srcs:
        shutil.copy(s, tmp / s.name)
        copies.append(tmp / s.name)
    return convert_many(copies, "xlsx:Calc MS Excel 2007 XML", outdir)


def recalc(src: Path, outdir: Path) -> Path:
    """A recalculated copy of ``src`` (xlsx) in ``outdir``."""
    return recalc_many([src], outdir)[0]


def render_png(src: Path, outdir: Path, dpi: int = 70) -> list[Path]:
    pdf = convert(src, "pdf", outdir)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(outdir / src.stem)], check=True, timeout=120)
    return sorted(outdir.glob(f"{src.stem}*.png"))
