"""Validasi: pandera checks and logic rules derived from the layouts; returns findings and a plan."""

from macros.validation.core import Hasil, schema_for, validate
from macros.validation.rules import ATURAN

__all__ = ["ATURAN", "Hasil", "schema_for", "validate"]
