"""Validasi: pandera schemas and form checks derived from the layouts; returns findings and a plan.

Public API: :func:`validate` and :class:`ValidationResult` (:mod:`.core`), the rule catalogue
(:data:`CATALOGUE`, :class:`Rule`, :func:`angka`), :class:`Findings` (a run's findings), and the phases
other actions reuse (:func:`check_derived` for Hitung Ulang, :func:`schema_for`).
"""

from macros.validation.catalogue import CATALOGUE, Rule, angka
from macros.validation.core import ValidationResult, validate
from macros.validation.derived import check_derived
from macros.validation.findings import Findings
from macros.validation.schema import schema_for

__all__ = ["CATALOGUE", "Findings", "Rule", "ValidationResult", "angka", "check_derived", "schema_for", "validate"]
