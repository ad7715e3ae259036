"""Shared paths and helpers for the test suite."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas" / "v1.0"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "v1.0"


@cache
def schema(kind: str, stem: str) -> etree.XMLSchema:
    """The compiled XSD ``schemas/v1.0/<kind>/<stem>.xsd`` (cached)."""
    return etree.XMLSchema(etree.parse(str(SCHEMAS / kind / f"{stem}.xsd")))


def fixture_files() -> list[Path]:
    files = sorted(FIXTURES.glob("*/*/*.xml"))
    assert files, "no fixtures found"
    return files


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT
