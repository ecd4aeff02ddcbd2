"""Issue 9 item 9: the command line speaks Bahasa Indonesia, click's and typer's own texts included."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from addin.cli import app

runner = CliRunner()

# click/typer texts that must never reach a user of kinerja
ENGLISH = ("Usage", "Did you mean", "OPTIONS", "COMMAND", "[ARGS]", "Missing", "Error", "Try ", "for help",
           "No such", "is not", "integer", "requires an argument", "Show this message", "Options", "Commands",
           "Arguments", "required", "default:", "Got unexpected")


def _run(*args: str) -> tuple[int, str]:
    res = runner.invoke(app, list(args))
    text = re.sub(r"[│╭╮╰╯─]", " ", res.output)
    return res.exit_code, " ".join(text.split())


def _indonesian(text: str) -> None:
    found = [w for w in ENGLISH if w in text]
    assert not found, (found, text)


def test_unknown_command_suggests_in_indonesian_once():
    code, text = _run("validas")
    assert code == 2
    assert "Perintah 'validas' tidak dikenal. Maksud Anda 'validasi'?" in text
    assert text.count("validasi") == 1  # one suggestion, not typer's and click's
    _indonesian(text)


def test_usage_lines_name_opsi_perintah_argumen():
    code, text = _run()
    assert "Cara pakai: kinerja [OPSI] PERINTAH [ARGUMEN]..." in text
    _indonesian(text)
    code, text = _run("--help")
    assert code == 0 and "Cara pakai: kinerja [OPSI] PERINTAH [ARGUMEN]..." in text and "Perintah" in text
    _indonesian(text)
    code, text = _run("validasi", "--help")
    assert code == 0 and "Cara pakai: kinerja validasi [OPSI] BERKAS..." in text and "[wajib]" in text
    _indonesian(text)


@pytest.mark.parametrize(("args", "expected"), [
    (("templat", "form-a"), "Opsi belum diisi '-o' / '--keluaran'."),
    (("konsolidasi",), "Argumen belum diisi 'FOLDER'."),
    (("templat", "form-a", "-o"), "Opsi '-o' memerlukan nilai."),
    (("templat", "form-a", "-o", "x.xlsx", "--triwulan", "dua"), "'dua' bukan bilangan bulat yang sah."),
    (("templat", "form-a", "-o", "x.xlsx", "--triwulan", "7"), "7 di luar rentang 1<=x<=4."),
    (("validasi", "--anotas", "x"), "Opsi '--anotas' tidak dikenal. Maksud Anda '--anotasi'?"),
    (("validasi", "a.xlsx", "--bogus"), "Opsi '--bogus' tidak dikenal."),
])
def test_argument_and_option_errors_are_indonesian(args, expected):
    code, text = _run(*args)
    assert code == 2 and expected in text, text
    assert "Coba 'kinerja" in text or "Galat" in text
    _indonesian(text)


@pytest.mark.parametrize("command", [c.name for c in app.registered_commands])
def test_every_command_help_is_indonesian(command):
    code, text = _run(command, "--help")
    assert code == 0 and f"Cara pakai: kinerja {command} [OPSI]" in text
    _indonesian(text)


def test_a_port_already_in_use_is_said_in_indonesian():
    import socket

    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen(1)
        port = held.getsockname()[1]
        code, text = _run("server", "--port", str(port))
    assert code == 2 and f"Port {port} di 127.0.0.1 sudah dipakai program lain" in text
    _indonesian(text)
