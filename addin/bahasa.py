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
    "(Did you mean one of: {possibilities}?)": "(Maksud Anda salah satu dari: {possibilities}?)",
    "argument": "argumen",
    "option": "opsi",
    "parameter": "parameter",
    "{name} {filename!r} is a directory.": "{name} {filename!r} adalah folder.",
    "{name} {filename!r} is a file.": "{name} {filename!r} adalah berkas.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} tidak dapat dibaca.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} tidak dapat ditulis.",
    "{value!r} is not a valid boolean.": "{value!r} bukan ya/tidak yang sah.",
    "{value} is not in the range {range}.": "{value} di luar rentang {range}.",
    "float": "bilangan desimal",
    "Option {name!r} does not take a value.": "Opsi {name!r} tidak menerima nilai.",
    "Argument {name!r} takes {nargs} values.": "Argumen {name!r} memerlukan {nargs} nilai.",
    "Error: The two entered values do not match.": "Galat: kedua nilai yang diketik tidak sama.",
    "(Possible options: {possibilities})": "(Pilihan: {possibilities})",
    "{value!r} is not one of {choices}.": "{value!r} bukan salah satu dari {choices}.",
    "{value!r} is not {choice}.": "{value!r} bukan {choice}.",
    "Choose from:\n\t{choices}": "Pilih dari:\n\t{choices}",
}


def _(text: str) -> str:
    return _TEKS.get(text, text)


def _n(singular: str, plural: str, n: int) -> str:
    return _((singular if n == 1 else plural))


# Usage-line placeholders click writes without gettext.
_USAGE = {"[OPTIONS]": "[OPSI]", "COMMAND [ARGS]...": "PERINTAH [ARGUMEN]...",
          "COMMAND1 [ARGS]... [COMMAND2 [ARGS]...]...": "PERINTAH1 [ARGUMEN]... [PERINTAH2 [ARGUMEN]...]..."}


def _collect_usage_pieces(original):
    def collect_usage_pieces(self, ctx):
        return [_USAGE.get(piece, piece) for piece in original(self, ctx)]

    collect_usage_pieces.kinerja = True  # type: ignore[attr-defined]
    return collect_usage_pieces


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
    for cls in (click.Command, click.Group):
        if not getattr(cls.collect_usage_pieces, "kinerja", False):
            cls.collect_usage_pieces = _collect_usage_pieces(cls.collect_usage_pieces)
    # type names click puts into messages ("'dua' is not a valid integer range")
    for cls, nama in ((ct.IntParamType, "bilangan bulat"), (ct.IntRange, "bilangan bulat"),
                      (ct.FloatParamType, "bilangan desimal"), (ct.FloatRange, "bilangan desimal"),
                      (ct.BoolParamType, "ya/tidak"), (ct.StringParamType, "teks")):
        cls.name = nama
    # typer appends its own English "Did you mean" to click's (translated) suggestion: keep click's only
    typer.core.TyperGroup.resolve_command = click.Group.resolve_command  # type: ignore[method-assign]

