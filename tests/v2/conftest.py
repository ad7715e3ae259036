"""Paths and helpers of the API 2.0 tests."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas" / "v2.0"
FIXTURES = ROOT / "tests" / "fixtures" / "v2.0"
# Xero's published 2.0 XSDs, kept beside the repository in ../shared (reference only, never
# copied in). A git worktree kept in a folder beside the clone looks one level further up.
_REFERENCE = Path("shared") / "reference" / "xero-api-2.0-xsd"
XERO_XSDS = next(
    (
        base / _REFERENCE
        for base in (ROOT.parent, ROOT.parent.parent)
        if (base / _REFERENCE).is_dir()
    ),
    ROOT.parent / _REFERENCE,
)

# Fixture bytes are UTF-8 even where the declaration says utf-16 (as Xero's have been).
UTF8 = etree.XMLParser(encoding="utf-8", remove_blank_text=True)


@cache
def schema(kind: str, stem: str) -> etree.XMLSchema:
    """The compiled XSD ``schemas/v2.0/<kind>/<stem>.xsd`` (cached)."""
    return etree.XMLSchema(etree.parse(str(SCHEMAS / kind / f"{stem}.xsd")))


def fixture_files(kind: str = "*") -> list[Path]:
    files = sorted(FIXTURES.glob(f"{kind}/*/*.xml"))
    assert files, "no fixtures found"
    return files


def parse(path: Path) -> etree._Element:
    return etree.fromstring(path.read_bytes(), UTF8)


def canonical(element: etree._Element) -> bytes:
    """The element without insignificant whitespace, for comparing documents."""
    return etree.tostring(etree.fromstring(etree.tostring(element), UTF8), method="c14n")
