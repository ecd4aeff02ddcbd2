"""The code-running endpoints of the add-in server, run off the event loop with limits.

They replace the vendor's ``/xlwings/custom-functions-call`` and ``/xlwings/custom-scripts-call/{name}``
(which parse the body and run the call on the event loop) and delegate to the same vendor functions, in a
worker thread: parsing the JSON, checking the argument size, running the call and serialising the answer all
happen there. Imported only after ``addin.app.configure`` (it imports xlwings-server).
"""

from __future__ import annotations

import asyncio

import xlwings as xw
from fastapi import APIRouter, FastAPI, HTTPException, Request, Response
from fastapi.routing import APIRoute
from xlwings_server import dependencies as dep
from xlwings_server.config import settings
from xlwings_server.routers import xlwings as vendor

from addin.security import Limits, Workers, count_cells, json_body, json_bytes, too_many_cells_message

FUNCTIONS_PATH = f"{settings.app_path}/xlwings/custom-functions-call"
SCRIPTS_PATH = f"{settings.app_path}/xlwings/custom-scripts-call/{{script_name}}"


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
        if not isinstance(data, dict) or not isinstance(data.get("func_name"), str):
            raise HTTPException(status_code=400, detail="Permintaan fungsi tidak lengkap: func_name tidak ada.")
        cells = count_cells(data.get("args", []))
        if cells > limits.max_cells:
            raise HTTPException(status_code=413, detail=too_many_cells_message(cells, limits))
        result = asyncio.run(vendor.custom_functions_call(current_user=current_user, redis_client=redis_client,
                                                          data=data))
        return json_bytes(result)

    return Response(await _workers(request).run(call), media_type="application/json")


async def custom_scripts_call(script_name: str, request: Request, current_user: dep.User) -> Response:
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
            raise HTTPException(status_code=400, detail="Data buku kerja tidak sah.")
        args = data.pop("args", None)
        if args is None:
            args = []
        elif not isinstance(args, list):
            raise HTTPException(status_code=400, detail="'args' harus berupa larik JSON.")
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


def install(app: FastAPI, limits: Limits) -> None:
    """Swap the vendor's code-running routes for the ones above and add ``/sehat``."""
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
