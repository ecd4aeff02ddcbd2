from __future__ import annotations

import os

# xlwings decides at import time; set before anything imports it (addin tests).
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
os.environ.setdefault("XLWINGS_ON_SERVER", "true")

import csv  # noqa: E402
import json  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

SEED = Path(__file__).parent / "data" / "seed"


def seed_rows(name: str) -> list[dict[str, str]]:
    with open(SEED / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def seed_json(name: str) -> dict:
    return json.loads((SEED / name).read_text(encoding="utf-8"))


def num(s: str) -> float | None:
    return None if s in ("", None) else float(s)


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """The built-in demo workbooks, written once per test session."""
    from macros.demo import write_demo

    d = tmp_path_factory.mktemp("demo")
    write_demo(d)
    return d
