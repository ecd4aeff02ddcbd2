"""The synthetic submissions live in macros.contoh (the demo uses them too)."""

from macros.contoh import Output, Paket, computed_values, sheet_values, write

__all__ = ["Output", "Paket", "computed_values", "sheet_values", "write"]
