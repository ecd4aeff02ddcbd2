"""Issue 15 (items 1-2) and issue 10 (item 7): the add-in server confines files, refuses outsiders before
reading their body, limits sizes, and stays answerable while a heavy call runs.

The real app runs under uvicorn in a subprocess on 127.0.0.1 (raw paths reach it exactly as sent: requests
are written on a plain socket, never normalised by an HTTP client), with token auth configured and a
CPU-bound test function ``uji_lambat`` added to the custom functions.
"""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

from addin import app as addin_app
from addin.security import ConfinedStaticFiles, Limits, count_cells

TOKEN = "token-uji-" + uuid.uuid4().hex
SECRET = "RAHASIA-" + uuid.uuid4().hex
STATIC = addin_app.PROJECT_DIR / "static"

LAUNCH = """
import sys, time
import uvicorn
from addin.app import create_app

asgi = create_app()
import custom_functions
from xlwings.server import func


@func
def uji_lambat(detik):
    while isinstance(detik, list):
        detik = detik[0]
    end, n = time.perf_counter() + float(detik), 0
    while time.perf_counter() < end:  # pure-Python CPU work: contends for the GIL like a real heavy call
        n += 1
    return n


custom_functions.uji_lambat = uji_lambat
uvicorn.run(asgi, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Answer:
    def __init__(self, raw: bytes, seconds: float):
        head, _, self.body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1]) if lines and lines[0].startswith("HTTP/") else 0
        self.headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
        self.seconds = seconds

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


def send(port: int, method: str, path: str, headers: dict[str, str] | None = None, body: bytes | list[bytes] = b"",
         timeout: float = 10) -> Answer:
    """One request written byte for byte (the path exactly as given), the answer read until the server closes.

    The body (bytes, or a list of pieces sent one by one) is sent only while the server has not answered yet:
    a refusal comes before the body is read, and a client stops sending when it arrives.
    """
    pieces = [body] if isinstance(body, bytes) else body
    head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if isinstance(body, bytes) and body and not any(k.lower() in ("content-length", "transfer-encoding")
                                                    for k in headers or {}):
        head.append(f"Content-Length: {len(body)}")
    started = time.perf_counter()
    chunks = []
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        try:
            for i, piece in enumerate(p for p in pieces if p):
                if select.select([s], [], [], 0.3 if i == 0 else 0.02)[0]:
                    break
                s.sendall(piece)
            while chunk := s.recv(65536):
                chunks.append(chunk)
        except (ConnectionResetError, BrokenPipeError):
            pass  # the server closed a connection whose body it refused to read
    return Answer(b"".join(chunks), time.perf_counter() - started)


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": token}


def fn_body(name: str, *args) -> bytes:
    return json.dumps({"func_name": name, "args": list(args), "caller_address": "Sheet1!A1",
                       "formula_name": f"KINERJA.{name}", "version": "0.37.8", "runtime": "1.4",
                       "culture_info_name": "id-ID", "date_format": "dd/mm/yyyy", "client": "Office.js"}).encode()


@pytest.fixture(scope="module")
def outside(tmp_path_factory) -> Path:
    """A secret file outside every served directory, and symlinks to it (and its folder) inside static/."""
    d = tmp_path_factory.mktemp("luar")
    (d / "rahasia.txt").write_text(f"KINERJA_TOKEN={SECRET}\n")
    tag = uuid.uuid4().hex[:8]
    links = [STATIC / f"uji-tautan-{tag}.txt", STATIC / f"uji-folder-{tag}"]
    links[0].symlink_to(d / "rahasia.txt")
    links[1].symlink_to(d, target_is_directory=True)
    yield d
    for link in links:
        link.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory, outside):
    port = free_port()
    config = tmp_path_factory.mktemp("config")
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial", "XLWINGS_AUTH_PROVIDERS": '["custom"]',
           "KINERJA_TOKEN": TOKEN, "KINERJA_TIMEOUT_S": "3", "KINERJA_THREADS": "2", "XDG_CONFIG_HOME": str(config)}
    for k in ("KINERJA_ENV_FILE", "DOTENV_PATH", "KINERJA_MAX_BODY_MB", "KINERJA_MAX_CELLS"):
        env.pop(k, None)
    proc = subprocess.Popen([sys.executable, "-c", LAUNCH, str(port)], env=env, cwd=Path(__file__).parents[1],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(150):
            try:
                if send(port, "GET", "/", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(proc.stdout.read().decode() if proc.poll() is not None else "server tidak menjawab")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# --- files -------------------------------------------------------------------------------------------------

MARKERS = [SECRET, "root:x:0:", "from udfs.excel import", "class Settings(BaseSettings)", "{{ manifest_id }}",
           "KINERJA_TOKEN"]

ROUTES = ["/static/", "/static/js/", "/static/images/", "/manifest.xml/", "/manifest/", "/manifest/download/",
          "/taskpane.html/", "/taskpane/", "/favicon.ico/", "/xlwings/alert/", "/xlwings/custom-functions-code/",
          "/sehat/", "/"]


def traversals(target: Path) -> list[str]:
    """Ways of writing 'climb to / and then to target', as attackers send them."""
    rel = str(target).lstrip("/")
    depth = 14
    return [
        "../" * depth + rel,
        "%2e%2e/" * depth + rel,
        "%2E%2E%2F" * depth + quote(rel, safe=""),
        ".%2e/" * depth + rel,
        "%252e%252e/" * depth + rel,
        "%252e%252e%252f" * depth + rel,
        "..%2f" * depth + rel,
        "..%2F" * depth + quote(rel, safe=""),
        "..%5c" * depth + rel.replace("/", "%5c"),
        "..\\" * depth + rel.replace("/", "\\"),
        "....//" * depth + rel,
        "..;/" * depth + rel,
        "/" + rel,
        quote("/" + rel, safe=""),
        "%00/../" * depth + rel,
    ]


def _refused(answer: Answer) -> None:
    assert answer.status in (400, 403, 404), (answer.status, answer.text[:200])
    for marker in MARKERS:
        assert marker not in answer.text


def test_traversal_variants_on_every_file_and_template_route_are_refused(server, outside):
    targets = [outside / "rahasia.txt", Path("/etc/passwd")]
    sent = 0
    for route in ROUTES:
        for target in targets:
            for path in traversals(target):
                _refused(send(server, "GET", route + path))
                sent += 1
    # relative climbs from static/ to the project's and the vendor's files, as in `/static/../.env`
    for rel in ["../custom_functions/__init__.py", "../templates/manifest.xml", "../.env.template",
                "../../config.py", "%2e%2e/%2e%2e/config.py", "..%2f..%2fconfig.py", "..%5c..%5cconfig.py",
                "%252e%252e/custom_functions/__init__.py", "js/../../custom_functions/__init__.py"]:
        for route in ("/static/", "/static/js/", "/manifest.xml/", "/taskpane.html/"):
            _refused(send(server, "GET", route + rel))
            sent += 1
    assert sent > 400


def test_symlinks_out_of_static_and_hidden_files_are_refused(server, outside):
    for link in sorted(STATIC.glob("uji-*")):
        name = link.name
        for path in (f"/static/{name}", f"/static/{name}/rahasia.txt", f"/static/js/../{name}"):
            _refused(send(server, "GET", path))
            _refused(send(server, "HEAD", path))


def test_static_files_still_served_project_first_then_vendor(server):
    own = send(server, "GET", "/static/js/kinerja.js")
    assert own.status == 200 and own.body == (STATIC / "js" / "kinerja.js").read_bytes()
    icon = send(server, "GET", "/static/images/validasi-32.png")
    assert icon.status == 200 and icon.body[:4] == b"\x89PNG"
    from importlib.util import find_spec  # never import xlwings_server here: it reads its settings at import

    vendor = send(server, "GET", "/static/js/utils.js")  # only in xlwings_server/static
    assert vendor.status == 200
    assert vendor.body == (Path(find_spec("xlwings_server").origin).parent / "static" / "js" / "utils.js").read_bytes()


def test_confined_static_refuses_unsafe_segments_before_lookup(tmp_path):
    (tmp_path / "a.txt").write_text("ok")
    files = ConfinedStaticFiles([tmp_path])
    from fastapi import HTTPException

    def path(p: str) -> str:
        return files.get_path({"type": "http", "path": p, "root_path": ""})

    assert path("/a.txt") == "a.txt"
    for bad in ("/../a.txt", "/x/./a.txt", "//etc/passwd", "/.env", "/a\\..\\b", "/%2e%2e/a", "/c:/x", "/a\x00"):
        with pytest.raises(HTTPException):
            path(bad)


def test_manifest_carries_kinerjas_own_add_in_id(server):
    import xml.etree.ElementTree as ET

    r = send(server, "GET", "/manifest.xml")
    node = ET.fromstring(r.body).find("{http://schemas.microsoft.com/office/appforoffice/1.1}Id")
    assert node.text == addin_app.MANIFEST_IDS["prod"] == "1e4fd3fe-63d6-47ad-bd2b-8bee1937299f"
    assert node.text != "4f342d85-3a49-41cb-90a5-37b1f2219040"  # xlwings-server's default prod id


# --- token and size before the body -----------------------------------------------------------------------

CODE_ROUTES = ["/xlwings/custom-functions-call", "/xlwings/custom-scripts-call/validasi",
               "/xlwings/custom-scripts-call/hapus_tanda", "/xlwings/custom-scripts-call/hitung_ulang",
               "/xlwings/custom-scripts-call/siapkan_kiriman", "/", "/sehat", "/static/js/kinerja.js",
               "/tidak-ada"]


def test_missing_or_wrong_token_refused_before_the_body_is_read(server):
    huge = {"Content-Type": "application/json", "Content-Length": str(10 * 2**30)}  # 10 GiB announced, none sent
    for route in CODE_ROUTES:
        for method in ("POST", "PUT", "DELETE"):
            for headers in ({}, auth("salah"), auth(""), auth("Bearer " + TOKEN + "x")):
                r = send(server, method, route, {**huge, **headers}, timeout=3)
                assert r.status == 401 and r.seconds < 1, (route, method, headers, r.status, r.seconds)
                assert "Token akses kinerja tidak sah" in r.json()["detail"]


def test_size_limit_refused_before_the_body_with_indonesian_413(server):
    for route in CODE_ROUTES[:2]:
        r = send(server, "POST", route, {**auth(), "Content-Length": str(10 * 2**30)}, timeout=3)
        assert r.status == 413 and r.seconds < 1
        assert r.json()["detail"].startswith("Permintaan terlalu besar: batasnya 8,0 MB")


def test_a_million_row_call_is_refused_by_size(server):
    column = "[" + "[1234567.891]," * 999_999 + "[1234567.891]]"  # 1.000.000 rows, as the reported call
    body = fn_body("capaian", "KOLOM", "KOLOM", [["maksimal"]], [[None]]).replace(b'"KOLOM"', column.encode())
    assert len(body) > 13 * 2**20 and body.count(b"[1234567.891]") == 2_000_000
    started = time.perf_counter()
    r = send(server, "POST", "/xlwings/custom-functions-call", {**auth(), "Content-Type": "application/json"}, body)
    assert r.status == 413 and "Permintaan terlalu besar" in r.json()["detail"]
    assert time.perf_counter() - started < 1, time.perf_counter() - started


def test_streamed_body_without_length_is_counted_and_refused(server):
    chunk = b"x" * 2**20
    body = [b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(10)] + [b"0\r\n\r\n"]
    r = send(server, "POST", "/xlwings/custom-functions-call",
             {**auth(), "Content-Type": "application/json", "Transfer-Encoding": "chunked"}, body)
    assert r.status == 413 and "Permintaan terlalu besar" in r.json()["detail"]


def test_too_many_cells_in_a_function_argument_is_refused(server):
    rows = [[1] for _ in range(250_000)]  # small numbers: 1 MB, under the size limit
    body = fn_body("capaian", rows, [[1]], [["maksimal"]], [[None]])
    assert len(body) < 8 * 2**20
    r = send(server, "POST", "/xlwings/custom-functions-call", {**auth(), "Content-Type": "application/json"}, body)
    assert r.status == 413
    assert r.json()["detail"].startswith("Argumen fungsi terlalu besar: 250.003 sel, batasnya 200.000 sel")


def test_right_token_runs_the_function(server):
    r = send(server, "POST", "/xlwings/custom-functions-call", {**auth(), "Content-Type": "application/json"},
             fn_body("capaian", [[80.4]], [[76.8]], [["maksimal"]], [[None]]))
    assert r.status == 200 and r.json()["result"][0][0] == pytest.approx(95.5224, abs=1e-4)
    bad = send(server, "POST", "/xlwings/custom-functions-call", {**auth(), "Content-Type": "application/json"},
               b"{bukan json")
    assert bad.status == 400 and bad.json()["detail"] == "Isi permintaan bukan JSON yang sah."


# --- a long call does not block others --------------------------------------------------------------------


def test_health_answers_fast_while_a_heavy_call_runs(server):
    heavy: list[Answer] = []
    worker = threading.Thread(target=lambda: heavy.append(send(
        server, "POST", "/xlwings/custom-functions-call", {**auth(), "Content-Type": "application/json"},
        fn_body("uji_lambat", [[1.5]]), timeout=20)))
    worker.start()
    try:
        for _ in range(100):
            if send(server, "GET", "/sehat").json()["berjalan"] >= 1:
                break
            time.sleep(0.02)
        else:
            pytest.fail("panggilan berat tidak pernah berjalan")
        times = []
        for _ in range(10):
            r = send(server, "GET", "/")
            assert r.status == 200 and r.json() == {"status": "ok"}
            times.append(r.seconds)
        assert send(server, "GET", "/sehat").json()["berjalan"] == 1  # still running while we were answered
        assert max(times) < 0.1, times
    finally:
        worker.join(20)
    assert heavy[0].status == 200 and heavy[0].json()["result"][0][0] > 1000


def test_a_call_past_the_timeout_gets_an_indonesian_504_and_others_go_on(server):
    started = time.perf_counter()
    r = send(server, "POST", "/xlwings/custom-functions-call", {**auth(), "Content-Type": "application/json"},
             fn_body("uji_lambat", [[5]]), timeout=20)
    assert r.status == 504 and 2.9 < time.perf_counter() - started < 4.5
    assert r.json()["detail"].startswith("Proses melebihi batas waktu 3 detik")
    assert send(server, "GET", "/").seconds < 0.1


# --- configuration -----------------------------------------------------------------------------------------


def test_limits_from_env_and_bad_values_refused():
    assert Limits.from_env({}) == Limits()
    lim = Limits.from_env({"KINERJA_MAX_BODY_MB": "2,5", "KINERJA_MAX_CELLS": "1000", "KINERJA_TIMEOUT_S": "30"})
    assert (lim.max_body_bytes, lim.max_cells, lim.timeout_s) == (int(2.5 * 2**20), 1000, 30.0)
    for bad in ("nol", "0", "-3"):
        with pytest.raises(RuntimeError, match="KINERJA_MAX_CELLS"):
            Limits.from_env({"KINERJA_MAX_CELLS": bad})
    assert count_cells([[[1, 2], [3, 4]], "x", [[None]]]) == 6
    assert count_cells([[[1]] * 10, [[1, 2, 3]]]) == 13


def test_env_file_comes_from_outside_the_project(tmp_path, monkeypatch):
    for k in ("KINERJA_ENV_FILE", "DOTENV_PATH"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setattr(addin_app, "LEGACY_ENV_FILE", tmp_path / "proyek" / ".env")
    assert addin_app.env_file() is None
    addin_app.LEGACY_ENV_FILE.parent.mkdir()
    addin_app.LEGACY_ENV_FILE.write_text("KINERJA_TOKEN=lama\n")
    assert addin_app.env_file() == addin_app.LEGACY_ENV_FILE  # still read, with a warning to move it
    new = tmp_path / "cfg" / "kinerja" / "server.env"
    new.parent.mkdir(parents=True)
    new.write_text("KINERJA_TOKEN=baru\n")
    assert addin_app.env_file() == new
    explicit = tmp_path / "lain.env"
    explicit.write_text("")
    monkeypatch.setenv("KINERJA_ENV_FILE", str(explicit))
    assert addin_app.env_file() == explicit
    monkeypatch.setenv("KINERJA_ENV_FILE", str(tmp_path / "tidak-ada.env"))
    with pytest.raises(RuntimeError, match="KINERJA_ENV_FILE menunjuk .* tidak ada"):
        addin_app.env_file()


def test_server_refuses_a_settings_file_inside_a_served_directory(tmp_path):
    secret = STATIC / f"uji-{uuid.uuid4().hex[:8]}.env"
    secret.write_text("KINERJA_TOKEN=x\n")
    try:
        env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial", "KINERJA_ENV_FILE": str(secret)}
        r = subprocess.run([sys.executable, "-c", "from addin.app import create_app; create_app()"], env=env,
                           cwd=Path(__file__).parents[1], capture_output=True, text=True, timeout=60)
    finally:
        secret.unlink()
    assert r.returncode != 0 and "berada di direktori yang dilayani server" in r.stderr


def test_cli_server_says_in_indonesian_when_the_port_is_taken():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial"}
        r = subprocess.run([sys.executable, "-m", "addin.cli", "server", "--port", str(port)], env=env,
                           capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and f"Port {port} di 127.0.0.1 sudah dipakai program lain" in r.stdout + r.stderr
