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


@pytest.fixture(autouse=True)
def _rate_limits(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh process-wide limiter for every test; and, unless the test is marked
    ``rate_limits``, 2.0 clients built without ``limiter=`` have none.

    The suite's fakes answer hundreds of calls of one made-up tenant within seconds, hold
    more than 5 calls of one tenant open at once (thread barriers) and fake the retry
    sleeps, none of which Xero's limits would let through: the limiter's own tests
    (tests/limits/) turn it on, the others test everything else.
    """
    from xero_customer_api._runtime import _limiter

    monkeypatch.setattr(_limiter, "_SHARED", {})
    if request.node.get_closest_marker("rate_limits") is None:
        monkeypatch.setitem(_limiter.DEFAULT_RATE_LIMITS, "oauth2", None)
