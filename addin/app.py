"""The xlwings Server app of kinerja: the vendor's xlwings-server with this project directory.

xlwings decides at import time, so the environment is set here before the first
``import xlwings``: server decorators (XLWINGS_ON_SERVER), the licence key, the
project directory (custom functions, scripts, templates, static files, auth).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).parent / "server"

DEFAULTS = {
    "XLWINGS_ON_SERVER": "true",
    "XLWINGS_PROJECT_DIR": str(PROJECT_DIR),
    "XLWINGS_FUNCTIONS_NAMESPACE": "KINERJA",
    "XLWINGS_PROJECT_NAME": "Kinerja",
    "XLWINGS_ENABLE_EXAMPLES": "false",
    "XLWINGS_ENABLE_SOCKETIO": "false",
    "XLWINGS_ENABLE_HOTRELOAD": "false",
    "XLWINGS_ENVIRONMENT": "prod",
}


def configure(license_key: str | None = None) -> None:
    """Set the environment xlwings and xlwings-server read at import (existing values win)."""
    from dotenv import load_dotenv

    load_dotenv(PROJECT_DIR / ".env")
    for k, v in DEFAULTS.items():
        os.environ.setdefault(k, v)
    if license_key:
        os.environ["XLWINGS_LICENSE_KEY"] = license_key
    if not os.environ.get("XLWINGS_LICENSE_KEY"):
        raise RuntimeError(
            "XLWINGS_LICENSE_KEY belum diisi. Instansi pemerintah dapat memakai 'noncommercial' "
            "(PolyForm Noncommercial); selain itu perlu lisensi xlwings PRO."
        )


def create_app():
    """The FastAPI app (``xlwings_server.main:main_app``) configured for kinerja."""
    configure()
    from xlwings_server.main import main_app

    return main_app
