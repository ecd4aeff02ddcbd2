"""The xlwings Server app of kinerja: the vendor's xlwings-server with this project directory, hardened.

xlwings decides at import time, so the environment is set here before the first
``import xlwings``: server decorators (XLWINGS_ON_SERVER), the licence key, the
project directory (custom functions, scripts, templates, static files, auth).

``create_app`` then wraps the vendor's app (``addin.security``, ``addin.calls``): static files confined to
their directories, token and size checked before a body is read, calls run off the event loop.

Settings file: ``KINERJA_ENV_FILE`` if set, else ``server.env`` in kinerja's configuration directory
(``~/.config/kinerja`` or ``$XDG_CONFIG_HOME/kinerja``; ``%APPDATA%\\kinerja`` on Windows); the old
``addin/server/.env`` is still read, with a warning to move it. It must never lie in a served directory.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).parent / "server"
LEGACY_ENV_FILE = PROJECT_DIR / ".env"

# kinerja's own Office add-in ids (one per environment, so a test and a production add-in can coexist).
MANIFEST_IDS = {
    "dev": "0579870a-359e-4e7d-9206-5fce58015b03",
    "qa": "1df84103-7c68-4668-adb1-285a477814da",
    "uat": "21a95601-7649-4b5e-95d0-99ce87439112",
    "staging": "b92aa589-b687-4327-841e-06869f5e7738",
    "prod": "1e4fd3fe-63d6-47ad-bd2b-8bee1937299f",
}

DEFAULTS = {
    "XLWINGS_ON_SERVER": "true",
    "XLWINGS_PROJECT_DIR": str(PROJECT_DIR),
    "XLWINGS_FUNCTIONS_NAMESPACE": "KINERJA",
    "XLWINGS_PROJECT_NAME": "Kinerja",
    "XLWINGS_ENABLE_EXAMPLES": "false",
    "XLWINGS_ENABLE_SOCKETIO": "false",
    "XLWINGS_ENABLE_HOTRELOAD": "false",
    "XLWINGS_ENVIRONMENT": "prod",
    # A timed-out call (504) is not retried by the client: it would only run the same heavy call again.
    "XLWINGS_CUSTOM_FUNCTIONS_RETRY_CODES": "[500, 502, 503]",
    **{f"XLWINGS_MANIFEST_ID_{env.upper()}": uid for env, uid in MANIFEST_IDS.items()},
}

logger = logging.getLogger("kinerja.server")


def config_dir() -> Path:
    """kinerja's per-user configuration directory (not created here)."""
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "kinerja"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "kinerja"


def env_file() -> Path | None:
    """The settings file to load: KINERJA_ENV_FILE, else DOTENV_PATH, else the config dir's, else the old one."""
    for name in ("KINERJA_ENV_FILE", "DOTENV_PATH"):
        if (raw := os.environ.get(name, "").strip()) and raw != os.devnull:
            path = Path(raw).expanduser()
            if not path.is_file():
                raise RuntimeError(f"{name} menunjuk {path}, tetapi berkas itu tidak ada.")
            return path
    if (path := config_dir() / "server.env").is_file():
        return path
    if LEGACY_ENV_FILE.is_file():
        logger.warning("Berkas pengaturan %s masih di direktori proyek add-in; pindahkan ke %s atau tunjuk "
                       "dengan KINERJA_ENV_FILE.", LEGACY_ENV_FILE, config_dir() / "server.env")
        return LEGACY_ENV_FILE
    return None


def configure(license_key: str | None = None) -> None:
    """Set the environment xlwings and xlwings-server read at import (existing values win)."""
    from dotenv import load_dotenv

    path = env_file()
    if path is not None:
        load_dotenv(path)
        if os.name == "posix" and path.stat().st_mode & 0o077:
            logger.warning("Berkas pengaturan %s dapat dibaca pengguna lain; jalankan: chmod 600 %s", path, path)
    # The vendor's settings read the same file, never an implicit one in the project directory.
    os.environ["DOTENV_PATH"] = str(path) if path is not None else os.devnull
    for k, v in DEFAULTS.items():
        os.environ.setdefault(k, v)
    if license_key:
        os.environ["XLWINGS_LICENSE_KEY"] = license_key
    if not os.environ.get("XLWINGS_LICENSE_KEY"):
        raise RuntimeError(
            "XLWINGS_LICENSE_KEY belum diisi. Instansi pemerintah dapat memakai 'noncommercial' "
            "(PolyForm Noncommercial); selain itu perlu lisensi xlwings PRO."
        )


_APP = None


def create_app():
    """The ASGI app: xlwings-server's FastAPI app for kinerja, hardened (built once per process)."""
    global _APP
    if _APP is not None:
        return _APP
    configure()
    from addin.security import Guard, Limits, confine_static_mounts, served_directories

    limits = Limits.from_env()
    from fastapi.middleware.cors import CORSMiddleware
    from xlwings_server import dependencies as dep
    from xlwings_server.config import settings
    from xlwings_server.main import app

    from addin import calls

    confine_static_mounts(app)
    secret = Path(os.environ["DOTENV_PATH"]).resolve()
    for served in served_directories(app):
        if secret.is_relative_to(served.resolve()):
            raise RuntimeError(f"Berkas pengaturan {secret} berada di direktori yang dilayani server ({served}); "
                               "pindahkan ke luar direktori itu.")
    calls.install(app, limits)

    async def authenticate(headers) -> None:
        if settings.auth_providers:
            await dep.authenticate(token_string=headers.get("authorization", ""),
                                   auth_provider=headers.get("auth-provider"))

    # Same CORS as the vendor's main_app, outside the guard so refusals carry CORS headers too.
    asgi = CORSMiddleware(app=Guard(app, limits, authenticate), allow_origins=settings.cors_allow_origins,
                          allow_methods=["POST"], allow_headers=["*"], allow_credentials=False)
    if settings.enable_socketio:
        import socketio
        from xlwings_server.routers import socketio as socketio_router

        if not settings.socketio_message_queue_url:  # as the vendor: one worker, socket.io in front
            asgi = socketio.ASGIApp(socketio_router.sio, asgi, socketio_path=f"{settings.app_path}/socket.io")
    _APP = asgi
    return _APP
