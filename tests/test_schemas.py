"""The hand-kept XSDs compile, and every fixture is valid against its own XSD."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from .conftest import FIXTURES, SCHEMAS, fixture_files, schema

XS = "{http://www.w3.org/2001/XMLSchema}"


@pytest.mark.parametrize(
    "xsd", sorted(SCHEMAS.rglob("*.xsd")), ids=lambda p: p.relative_to(SCHEMAS).as_posix()
)
def test_every_xsd_compiles(xsd: Path) -> None:
    etree.XMLSchema(etree.parse(str(xsd)))


@pytest.mark.parametrize(
    "xsd", sorted(SCHEMAS.rglob("*.xsd")), ids=lambda p: p.relative_to(SCHEMAS).as_posix()
)
def test_every_element_is_documented(xsd: Path) -> None:
    undocumented = [
        el.get("name")
        for el in etree.parse(str(xsd)).iter(f"{XS}element")
        if el.get("name")
        and el.find(f"{XS}annotation/{XS}documentation") is None
        # list items inside a documented wrapper inherit its documentation
        and el.getparent() is not None
        and el.getparent().getparent() is not None
        and el.getparent().getparent().getparent().tag != f"{XS}element"
    ]
    assert undocumented == []


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_fixture_is_valid_against_its_xsd(path: Path) -> None:
    kind, stem = path.parent.parent.name, path.parent.name
    validator = schema(kind, stem)
    assert validator.validate(etree.parse(str(path))), validator.error_log


def test_fixtures_cover_every_schema() -> None:
    covered = {(p.parent.parent.name, p.parent.name) for p in fixture_files()}
    wanted = {(p.parent.name, p.stem) for p in SCHEMAS.glob("*/*.xsd")}
    assert wanted <= covered


def test_fixtures_cover_error_envelope_padding_and_empty_lines() -> None:
    texts = {p.relative_to(FIXTURES).as_posix(): p.read_text() for p in fixture_files()}
    assert any("<Errors>" in t for t in texts.values())
    assert any("<PhoneNumber/>" in t for t in texts.values())
    assert any("<LineItems/>" in t for t in texts.values())


def test_money_is_decimal_and_enums_are_restricted() -> None:
    types = etree.parse(str(SCHEMAS / "types.xsd"))
    money = types.find(f"{XS}simpleType[@name='money']/{XS}restriction")
    assert money is not None and money.get("base") == "xs:decimal"
    for enum in (
        "InvoiceType",
        "InvoiceStatus",
        "ContactStatus",
        "AddressType",
        "PhoneType",
        "TaxType",
        "AccountType",
    ):
        values = types.findall(f"{XS}simpleType[@name='{enum}']/{XS}restriction/{XS}enumeration")
        assert values, enum
