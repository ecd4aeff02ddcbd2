"""The add-in server's protections, wrapped around the vendor's xlwings-server app.

- ``ConfinedStaticFiles``: static files served only from inside their directories. xlwings-server
  (1.0.0 to 1.20.0, the newest release) overrides ``StaticFiles.lookup_path`` and joins the requested
  path onto the project's static directory unchecked, so ``/static/../.env`` or ``/static/%2e%2e/...``
  returned any file the server process could read.
- ``Guard``: an ASGI middleware that refuses a request which could run code (every method but
  GET/HEAD/OPTIONS) without a valid token *before* reading its body, then refuses a body above the
  size limit (declared or streamed) with 413, then hands the buffered body on.
- ``Workers``: custom functions and scripts run on a small pool of daemon threads with a timeout,
  so one heavy call never blocks the event loop (health checks, static files, other users).
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import os
import queue
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import HTTPException
from fastapi.encoders import jsonable_encoder
from starlette._utils import get_route_path
from starlette.datastructures import Headers
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Limits:
    """The server's limits, from the environment (``KINERJA_*``), read once when the app is built."""

    max_body_bytes: int = 8 * 1024 * 1024
    max_cells: int = 200_000
    timeout_s: float = 120.0
    threads: int = 4
    body_read_timeout_s: float = 60.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Limits:
        env = os.environ if env is None else env

        def number(name: str, default: float, kind: type) -> Any:
            raw = env.get(name, "").strip()
            if not raw:
                return default
            try:
                value = kind(raw.replace(",", "."))
            except ValueError:
                value = 0
            if not value > 0:
                raise RuntimeError(f"{name}={raw!r} tidak sah: isi dengan angka lebih dari 0.")
            return value

        return cls(
            max_body_bytes=int(number("KINERJA_MAX_BODY_MB", cls.max_body_bytes / 2**20, float) * 2**20),
            max_cells=number("KINERJA_MAX_CELLS", cls.max_cells, int),
            timeout_s=number("KINERJA_TIMEOUT_S", cls.timeout_s, float),
            threads=number("KINERJA_THREADS", cls.threads, int),
            body_read_timeout_s=number("KINERJA_BODY_TIMEOUT_S", cls.body_read_timeout_s, float),
        )


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f}".replace(".", ",") + " MB"


def too_large_message(limits: Limits) -> str:
    return (f"Permintaan terlalu besar: batasnya {_mb(limits.max_body_bytes)}. Kirim rentang atau berkas yang "
            "lebih kecil, atau minta admin menaikkan KINERJA_MAX_BODY_MB.")


def too_many_cells_message(cells: int, limits: Limits) -> str:
    return (f"Argumen fungsi terlalu besar: {_ribuan(cells)} sel, batasnya {_ribuan(limits.max_cells)} sel. Pakai "
            "rentang yang lebih kecil atau bagi perhitungan menjadi beberapa sel (batas diatur admin dengan "
            "KINERJA_MAX_CELLS).")


def _ribuan(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def timeout_message(limits: Limits) -> str:
    secs = f"{limits.timeout_s:g}".replace(".", ",")
    return (f"Proses melebihi batas waktu {secs} detik, jadi server berhenti menunggu hasilnya. Coba lagi dengan "
            "data yang lebih kecil atau pada saat server tidak sibuk (batas diatur admin dengan KINERJA_TIMEOUT_S).")


# --- static files -----------------------------------------------------------------------------------------


class ConfinedStaticFiles(StaticFiles):
    """Static files looked up in ``directories`` in order (project first, then vendor), never outside them.

    A path is refused (404) before any lookup when a segment is empty, ``.``/``..`` or hidden (``.env``), or
    holds a backslash, ``%`` (a second encoding layer), ``:`` or NUL. Starlette's own ``lookup_path`` then
    resolves symlinks (``follow_symlink=False``) and skips any file whose real path leaves its directory.
    """

    def __init__(self, directories: list[Path]) -> None:
        existing = [Path(d).resolve() for d in directories if Path(d).is_dir()]
        if not existing:
            raise RuntimeError(f"Tidak ada direktori berkas statis: {', '.join(map(str, directories))}")
        super().__init__(directory=existing[0], follow_symlink=False)
        self.all_directories = [str(d) for d in existing]

    def get_path(self, scope: Scope) -> str:
        route_path = get_route_path(scope)
        segments = route_path.split("/")
        if segments[0] != "" or len(segments) < 2 or not all(map(_safe_segment, segments[1:])):
            raise HTTPException(status_code=404)
        return os.path.join(*segments[1:])


def _safe_segment(segment: str) -> bool:
    return bool(segment) and not segment.startswith(".") and not any(c in segment for c in "\\%:\x00")


def confine_static_mounts(app) -> int:
    """Replace every static-files mount of ``app`` by a ``ConfinedStaticFiles`` over the same directories."""
    from starlette.routing import Mount

    replaced = 0
    for i, route in enumerate(app.router.routes):
        if not (isinstance(route, Mount) and isinstance(route.app, StaticFiles)):
            continue
        if isinstance(route.app, ConfinedStaticFiles):
            continue
        served = route.app
        directories = [Path(served.user_dir)] if hasattr(served, "user_dir") else []
        directories += [Path(d) for d in served.all_directories]
        app.router.routes[i] = Mount(route.path, app=ConfinedStaticFiles(directories), name=route.name)
        replaced += 1
    return replaced


def served_directories(app) -> list[Path]:
    """The directories the app serves files from (static mounts), for keeping secrets out of them."""
    from starlette.routing import Mount

    return [Path(d) for r in app.router.routes if isinstance(r, Mount) and isinstance(r.app, StaticFiles)
            for d in r.app.all_directories]


# --- token and size before the body -----------------------------------------------------------------------


class Guard:
    """Refuse a code-running request without a valid token, then one whose body is too large, before parsing.

    ``authenticate(headers)`` raises ``HTTPException`` for a missing or wrong token (a no-op when no auth is
    configured). It is called before a single body byte is read. A declared ``Content-Length`` above the limit
    is refused at once; a streamed body is counted and refused as soon as it passes the limit. An accepted
    body is buffered and replayed to the app, which therefore never sees more than the limit.
    """

    def __init__(self, app: ASGIApp, limits: Limits,
                 authenticate: Callable[[Headers], Awaitable[None]]) -> None:
        self.app = app
        self.limits = limits
        self.authenticate = authenticate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        try:
            await self.authenticate(headers)
        except HTTPException as exc:
            await _refuse(send, exc.status_code, exc.detail, exc.headers)
            return
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await _refuse(send, 400, "Header Content-Length tidak sah.")
                return
            if int(declared) > self.limits.max_body_bytes:
                await _refuse(send, 413, too_large_message(self.limits))
                return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            try:
                message = await asyncio.wait_for(receive(), self.limits.body_read_timeout_s)
            except asyncio.TimeoutError:
                await _refuse(send, 408, "Isi permintaan tidak selesai dikirim dalam batas waktu.")
                return
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.limits.max_body_bytes:
                await _refuse(send, 413, too_large_message(self.limits))
                return
            chunks.append(body)
            more = message.get("more_body", False)
        await self.app(scope, _replay(b"".join(chunks), receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _refuse(send: Send, status: int, detail: Any, headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    raw = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode()),
           (b"connection", b"close")]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


# --- code off the event loop ------------------------------------------------------------------------------


class Workers:
    """A fixed pool of daemon threads running calls for the event loop, each awaited with a timeout.

    A call that times out is abandoned (a thread cannot be killed): the client gets 504 at once, the thread
    finishes in the background and keeps its slot until then, so at most ``threads`` calls ever run. A call
    still queued when it times out never starts. Daemon threads never hold up the server's shutdown.
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._started = False
        self._lock = threading.Lock()
        self.running = 0

    def _start(self) -> None:
        with self._lock:
            if self._started:
                return
            for i in range(self.limits.threads):
                threading.Thread(target=self._work, name=f"kinerja-kerja-{i}", daemon=True).start()
            self._started = True

    def _work(self) -> None:
        while True:
            fn, future, loop = self._queue.get()
            if future.cancelled():
                continue
            with self._lock:
                self.running += 1
            try:
                outcome = (fn(), None)
            except BaseException as exc:  # noqa: BLE001 - handed to the awaiting request
                outcome = (None, exc)
            finally:
                with self._lock:
                    self.running -= 1
            loop.call_soon_threadsafe(_settle, future, *outcome)

    @property
    def queued(self) -> int:
        return self._queue.qsize()

    async def run(self, fn: Callable[[], Any]) -> Any:
        self._start()
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._queue.put((_bind(fn), future, loop))
        try:
            return await asyncio.wait_for(future, self.limits.timeout_s)
        except asyncio.TimeoutError:
            raise HTTPException(status_code=504, detail=timeout_message(self.limits)) from None


def _bind(fn: Callable[[], Any]) -> Callable[[], Any]:
    context = contextvars.copy_context()
    return lambda: context.run(fn)


def _settle(future: asyncio.Future, result: Any, exc: BaseException | None) -> None:
    if future.done():
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(result)


def count_cells(args: Any) -> int:
    """Cells in a custom function's arguments: a scalar counts 1, a 2-D range its cells."""
    total = 0
    for arg in args if isinstance(args, list) else [args]:
        if isinstance(arg, list):
            total += sum(len(row) if isinstance(row, list) else 1 for row in arg)
        else:
            total += 1
    return total


def json_body(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise HTTPException(status_code=400, detail="Isi permintaan bukan JSON yang sah.") from None


def json_bytes(value: Any) -> bytes:
    """What FastAPI's JSONResponse would send, computed off the event loop."""
    return json.dumps(jsonable_encoder(value), ensure_ascii=False, allow_nan=False, indent=None,
                      separators=(",", ":")).encode("utf-8")
