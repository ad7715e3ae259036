"""Shared paths and helpers for the test suite."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest
from hypothesis import settings
from lxml import etree

# CI must be reproducible: there the property tests replay a fixed set of examples
# (derandomized); `make fuzz` and local runs keep exploring new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

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
