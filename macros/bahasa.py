"""Bahasa Indonesia for the command line: click/typer's own texts translated.

click and typer take their texts through gettext; kinerja's users read
Indonesian, so the few texts they show are mapped here once.
"""

from __future__ import annotations

import click
import typer.core
import typer.rich_utils as ru

_TEKS = {
    "Usage:": "Cara pakai:",
    "Options": "Opsi",
    "Arguments": "Argumen",
    "Commands": "Perintah",
    "Error": "Galat",
    "Aborted!": "Dibatalkan.",
    "Aborted.": "Dibatalkan.",
    "Show this message and exit.": "Tampilkan bantuan ini lalu keluar.",
    "Error: {message}": "Galat: {message}",
    "Try '{command} {option}' for help.": "Coba '{command} {option}' untuk bantuan.",
    "Invalid value: {message}": "Nilai tidak sah: {message}",
    "Invalid value for {param_hint}: {message}": "Nilai tidak sah untuk {param_hint}: {message}",
    "Missing argument": "Argumen belum diisi",
    "Missing option": "Opsi belum diisi",
    "Missing parameter": "Parameter belum diisi",
    "Missing {param_type}": "{param_type} belum diisi",
    "Missing parameter: {param_name}": "Parameter belum diisi: {param_name}",
    "No such option {name!r}.": "Opsi {name!r} tidak dikenal.",
    "No such command {name!r}.": "Perintah {name!r} tidak dikenal.",
    "Missing command.": "Perintah belum disebut.",
    "Option {name!r} requires an argument.": "Opsi {name!r} memerlukan nilai.",
    "Got unexpected extra argument ({args})": "Ada argumen berlebih ({args})",
    "Got unexpected extra arguments ({args})": "Ada argumen berlebih ({args})",
    "{value!r} is not a valid {number_type}.": "{value!r} bukan {number_type} yang sah.",
    "{value} is not in the range {range}.": "{value} di luar rentang {range}.",
    "integer": "bilangan bulat",
    "{name} {filename!r} does not exist.": "{name} {filename!r} tidak ada.",
    "file": "berkas",
    "directory": "folder",
    "path": "lokasi",
    "default: {default}": "bawaan: {default}",
    "required": "wajib",
    "[default: {}]": "[bawaan: {}]",
    "[required]": "[wajib]",
    "Did you mean {possibility}?": "Maksud Anda {possibility}?",
    "(Possible options: {possibilities})": "(Pilihan: {possibilities})",
    "{value!r} is not one of {choices}.": "{value!r} bukan salah satu dari {choices}.",
    "{value!r} is not {choice}.": "{value!r} bukan {choice}.",
    "Choose from:\n\t{choices}": "Pilih dari:\n\t{choices}",
}


def _(text: str) -> str:
    return _TEKS.get(text, text)


def _n(singular: str, plural: str, n: int) -> str:
    return _((singular if n == 1 else plural))


def pasang() -> None:
    """Install the translations into click and typer (idempotent)."""
    import click.core as cc
    import click.decorators as cd
    import click.exceptions as ce
    import click.formatting as cf
    import click.parser as cp
    import click.types as ct

    for mod in (cc, cd, ce, cf, cp, ct, typer.core, ru):
        if hasattr(mod, "_"):
            mod._ = _  # type: ignore[attr-defined]
        if hasattr(mod, "ngettext"):
            mod.ngettext = _n  # type: ignore[attr-defined]
    ru.ARGUMENTS_PANEL_TITLE = "Argumen"
    ru.OPTIONS_PANEL_TITLE = "Opsi"
    ru.COMMANDS_PANEL_TITLE = "Perintah"
    ru.ERRORS_PANEL_TITLE = "Galat"
    ru.ABORTED_TEXT = "Dibatalkan."
    ru.DEFAULT_STRING = "[bawaan: {}]"
    ru.REQUIRED_LONG_STRING = "[wajib]"
    ru.RICH_HELP = "Coba [blue]'{command_path} {help_option}'[/] untuk bantuan."
    click.Context.help_option_names = ["--help", "-h"]  # type: ignore[misc]
