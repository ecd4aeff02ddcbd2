"""The code-running endpoints of the add-in server, run off the event loop with limits.

They replace the vendor's ``/xlwings/custom-functions-call`` and ``/xlwings/custom-scripts-call/{name}``
(which parse the body and run the call on the event loop) and delegate to the same vendor functions, in a
worker thread: parsing the JSON, checking the argument size, running the call and serialising the answer all
happen there. Imported only after ``addin.app.configure`` (it imports xlwings-server).

A call body is checked before the vendor sees it (:func:`check_function_call`, :func:`check_script_call`): a
malformed one is refused with 400 and an Indonesian message instead of reaching the vendor's catch-all, which
answers 500 "An error occurred." (and the custom functions retry a 500). What still fails inside gets an
Indonesian 500 (:func:`install`).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from typing import Any, get_type_hints

import xlwings as xw
from fastapi import APIRouter, FastAPI, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from xlwings_server import dependencies as dep
from xlwings_server.config import settings
from xlwings_server.models import CurrentUser
from xlwings_server.object_handles import XlwingsOperationalError
from xlwings_server.routers import xlwings as vendor

from addin.security import Limits, Workers, count_cells, json_body, json_bytes, too_many_cells_message

FUNCTIONS_PATH = f"{settings.app_path}/xlwings/custom-functions-call"
SCRIPTS_PATH = f"{settings.app_path}/xlwings/custom-scripts-call/{{script_name}}"

SERVER_ERROR = ("Terjadi kesalahan di server kinerja. Coba lagi sebentar lagi; bila berulang, sampaikan waktu "
                "kejadiannya kepada admin kinerja (rinciannya tercatat di log server).")
SERVICE_DOWN = ("Layanan pendukung server kinerja sedang tidak dapat dihubungi. Coba lagi sebentar lagi; bila "
                "berulang, hubungi admin kinerja.")
NOT_A_BOOK = "Data buku kerja tidak sah"
ARGS_NOT_A_LIST = "'args' harus berupa larik JSON."

logger = logging.getLogger("kinerja.server")


def _refuse(detail: str, status: int = 400) -> HTTPException:
    return HTTPException(status_code=status, detail=detail)


def _cell(v: Any) -> bool:
    return v is None or isinstance(v, (str, int, float, bool))


def _range(v: Any) -> bool:
    """A value as Office.js sends an argument: one cell, or a 2-D list of cells."""
    return _cell(v) or (isinstance(v, list) and all(isinstance(r, list) and all(map(_cell, r)) for r in v))


def _arity(params: list[tuple[bool, bool]]) -> tuple[int, int | None]:
    """(fewest, most) arguments for parameters given as (optional, variadic); most is None with a variadic one."""
    fewest = sum(1 for optional, variadic in params if not optional and not variadic)
    most = None if any(variadic for _, variadic in params) else len(params)
    return fewest, most


def _check_count(what: str, n: int, fewest: int, most: int | None) -> None:
    if n < fewest or (most is not None and n > most):
        if most is None:
            want = f"sedikitnya {fewest}"
        elif fewest == most:
            want = str(most)
        else:
            want = f"{fewest} sampai {most}"
        raise _refuse(f"{what} menerima {want} argumen, bukan {n}.")


def _check_version(data: dict) -> None:
    """The fields the vendor reads without checking: xlwings version and client (both texts)."""
    for key in ("version", "client"):
        if not isinstance(data.get(key), str):
            raise _refuse(f"Permintaan tidak lengkap: '{key}' (teks) tidak ada. Muat ulang add-in Kinerja.")
    if data["client"] != "Office.js" and data["version"] != xw.__version__:
        raise _refuse(f"Versi xlwings klien ({data['version']}) berbeda dengan server ({xw.__version__}). Muat "
                      "ulang add-in Kinerja (klik kanan panel, lalu Muat ulang).")


def check_function_call(data: Any) -> None:
    """Refuse (HTTPException 400, Indonesian) a custom-function call body the vendor would fail on with a 500.

    ``func_name`` names a KINERJA function, ``args`` is a list of cells or 2-D ranges (a variadic parameter: a
    list of them) as many as the function takes, ``version``/``client``/``runtime`` are present and
    ``date_format``/``culture_info_name`` are texts when given.
    """
    if not isinstance(data, dict) or not isinstance(data.get("func_name"), str):
        raise _refuse("Permintaan fungsi tidak lengkap: func_name tidak ada.")
    name = data["func_name"]
    excel_name = f"{settings.functions_namespace}.{name.upper()}"
    func = None if name.startswith("_") else getattr(vendor.custom_functions, name, None)
    info = getattr(func, "__xlfunc__", None)
    if not isinstance(info, dict):
        raise _refuse(f"Fungsi {excel_name} tidak dikenal server kinerja. Periksa nama fungsinya, atau muat ulang "
                      "add-in Kinerja bila fungsi itu baru.")
    args = data.get("args")
    if not isinstance(args, list):
        raise _refuse(ARGS_NOT_A_LIST)
    params = info["args"]
    _check_count(f"Fungsi {excel_name}", len(args), *_arity([("optional" in p, bool(p["vararg"])) for p in params]))
    for i, arg in enumerate(args):  # the count is right: a function without parameters got none
        variadic = params[min(i, len(params) - 1)]["vararg"]
        if not (isinstance(arg, list) and all(map(_range, arg)) if variadic else _range(arg)):
            raise _refuse(f"Argumen ke-{i + 1} fungsi {excel_name} bukan sel atau rentang.")
    _check_version(data)
    try:
        float(data.get("runtime"))
    except (TypeError, ValueError):
        raise _refuse("Permintaan tidak lengkap: 'runtime' (versi API Excel) tidak ada atau tidak sah. Muat ulang "
                      "add-in Kinerja.") from None
    for key in ("date_format", "culture_info_name"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise _refuse(f"Permintaan tidak sah: '{key}' harus berupa teks.")


def _script(script_name: str) -> Any:
    func = None if script_name.startswith("_") else getattr(vendor.custom_scripts, script_name, None)
    if getattr(func, "__xlscript__", None) is None:
        raise _refuse(f"Skrip '{script_name}' tidak dikenal server kinerja. Muat ulang add-in Kinerja.", 404)
    return func


def check_script_call(script_name: str, func: Any, data: dict, args: list) -> None:
    """Refuse (HTTPException 400, Indonesian) a call of script ``func`` (as :func:`_script` found it) the vendor
    would fail on with a 500 or answer in English: a body that is not the book Office.js sends, a wrong number of
    ``args``."""
    book, sheets = data.get("book"), data.get("sheets")
    if not (isinstance(book, dict) and isinstance(book.get("name"), str)
            and isinstance(book.get("active_sheet_index"), int) and isinstance(sheets, list) and sheets
            and all(isinstance(s, dict) and isinstance(s.get("name"), str) and isinstance(s.get("values"), list)
                    for s in sheets)
            and 0 <= book["active_sheet_index"] < len(sheets) and isinstance(data.get("names", []), list)):
        raise _refuse(f"{NOT_A_BOOK}: buku, lembar atau nilai sel tidak lengkap. Muat ulang add-in Kinerja, lalu "
                      "jalankan lagi.")
    _check_version(data)
    hints = get_type_hints(inspect.unwrap(func))
    given = {xw.Book, CurrentUser}
    params = [(p.default is not p.empty, p.kind is p.VAR_POSITIONAL)
              for p in inspect.signature(func).parameters.values() if hints.get(p.name) not in given]
    _check_count(f"Skrip '{script_name}'", len(args), *_arity(params))


def _limits(request: Request) -> Limits:
    return request.app.state.kinerja_limits


def _workers(request: Request) -> Workers:
    return request.app.state.kinerja_workers


async def custom_functions_call(request: Request, current_user: dep.User,
                                redis_client: dep.RedisClient) -> Response:
    raw = await request.body()
    limits = _limits(request)

    def call() -> bytes:
        data = json_body(raw)
        check_function_call(data)
        cells = count_cells(data["args"])
        if cells > limits.max_cells:
            raise HTTPException(status_code=413, detail=too_many_cells_message(cells, limits))
        result = asyncio.run(vendor.custom_functions_call(current_user=current_user, redis_client=redis_client,
                                                          data=data))
        return json_bytes(result)

    return Response(await _workers(request).run(call), media_type="application/json")


async def custom_scripts_call(script_name: str, request: Request, current_user: dep.User) -> Response:
    func = _script(script_name)  # an unknown script: 404 before the body is read
    if request.headers.get("content-type", "").startswith(("application/x-www-form-urlencoded",
                                                            "multipart/form-data")):
        form = await request.form()  # the task pane's htmx forms send the book as a bookData field
        raw = str(form.get("bookData") or "").encode()
    else:
        raw = await request.body()
    if not raw:
        raise HTTPException(status_code=400, detail="Data buku kerja tidak dikirim.")

    def call() -> bytes:
        data = json_body(raw)
        if not isinstance(data, dict):
            raise _refuse(f"{NOT_A_BOOK}.")
        args = data.pop("args", None)
        if args is None:
            args = []
        elif not isinstance(args, list):
            raise _refuse(ARGS_NOT_A_LIST)
        check_script_call(script_name, func, data, args)
        book = xw.Book(json=data)
        try:
            result = asyncio.run(vendor.custom_scripts_call(script_name=script_name, args=args, book=book,
                                                            current_user=current_user))
        finally:
            book.close()
        return json_bytes(result)

    return Response(await _workers(request).run(call), media_type="application/json")


async def sehat(request: Request) -> dict:
    """Health check that stays answerable while calls run: the event loop never runs them."""
    workers = _workers(request)
    return {"status": "ok", "berjalan": workers.running, "antre": workers.queued}


async def server_error(request: Request, exc: Exception) -> JSONResponse:
    """In place of the vendor's catch-all ("An error occurred.", or the exception's repr in dev): Indonesian."""
    logger.error("Kesalahan server pada %s", request.url.path, exc_info=exc)
    return JSONResponse({"detail": SERVER_ERROR}, status_code=500)


async def service_down(request: Request, exc: Exception) -> JSONResponse:
    """In place of the vendor's 503 with the English text of an unreachable backend (a cache): Indonesian."""
    logger.error("Layanan pendukung tidak terjangkau pada %s: %s", request.url.path, exc)
    return JSONResponse({"detail": SERVICE_DOWN}, status_code=503)


def install(app: FastAPI, limits: Limits) -> None:
    """Swap the vendor's code-running routes for the ones above, add ``/sehat`` and answer what still fails
    inside in Bahasa Indonesia (the vendor's handlers for ``Exception`` and ``XlwingsOperationalError``)."""
    app.add_exception_handler(Exception, server_error)
    app.add_exception_handler(XlwingsOperationalError, service_down)
    app.state.kinerja_limits = limits
    app.state.kinerja_workers = Workers(limits)
    _drop_routes(app.router, {FUNCTIONS_PATH, SCRIPTS_PATH})
    before = len(app.router.routes)
    app.add_api_route(FUNCTIONS_PATH, custom_functions_call, methods=["POST"])
    app.add_api_route(SCRIPTS_PATH, custom_scripts_call, methods=["POST"])
    app.add_api_route(f"{settings.app_path}/sehat", sehat, methods=["GET", "HEAD"])
    # first in line, ahead of the vendor's included routers and the static mount
    ours = app.router.routes[before:]
    app.router.routes[:] = ours + app.router.routes[:before]
    app.router._mark_routes_changed()


def _drop_routes(router: APIRouter, paths: set[str]) -> None:
    """Remove the API routes at ``paths`` from ``router`` and the routers it includes (FastAPI nests them)."""
    kept = []
    for route in router.routes:
        if isinstance(route, APIRoute) and route.path in paths:
            continue
        if isinstance(getattr(route, "original_router", None), APIRouter):
            _drop_routes(route.original_router, paths)
        kept.append(route)
    router.routes[:] = kept
    router._mark_routes_changed()
