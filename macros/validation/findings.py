"""Findings of one validation run, collected once per (rule, cell), each message from the catalogue."""

from __future__ import annotations

from typing import Any

import numpy as np

from macros.plan import Finding
from macros.validation.catalogue import CATALOGUE


class Findings:
    """Every finding of one file, in the order found; a rule reports a cell once."""

    def __init__(self, file: str):
        self.file = file
        self.items: list[Finding] = []
        self.seen: set[tuple[str, str, str]] = set()

    def add(self, rule: str, address: str, column: str, found: Any, expected: Any, variant: str = "", /,
            **values: object) -> None:
        """Report ``rule`` at ``address`` ("Sheet!A1"); the message is the rule's ``variant`` filled with ``values``."""
        sheet, _, cell = address.rpartition("!")
        key = (rule, sheet, cell)
        if key in self.seen:
            return
        self.seen.add(key)
        r = CATALOGUE[rule]
        self.items.append(Finding(rule, r.severity, sheet, cell, column, _plain(found), _plain(expected),
                                  r.message(variant, **values), self.file))

    def keep(self, finding: Finding) -> None:
        """Report a finding made before (by another :class:`Findings`), unless its cell has it already."""
        key = (finding.rule, finding.sheet, finding.cell)
        if key not in self.seen:
            self.seen.add(key)
            self.items.append(finding)


def _plain(v: Any) -> Any:
    """A numpy scalar as the Python number it holds: findings are pickled into konsolidasi's read cache,
    whose loader admits plain data only (:mod:`macros.konsolidasi.cache`), and written as JSON."""
    return v.item() if isinstance(v, np.generic) else v
