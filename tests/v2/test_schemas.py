"""API 2.0's hand-kept XSDs compile, document every element, and every fixture is valid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree
from xero_codegen.manifest import load_manifest

from .conftest import FIXTURES, SCHEMAS, fixture_files, parse, schema

XS = "{http://www.w3.org/2001/XMLSchema}"
ALL_XSDS = sorted(SCHEMAS.rglob("*.xsd"))


@pytest.mark.parametrize("xsd", ALL_XSDS, ids=lambda p: p.relative_to(SCHEMAS).as_posix())
def test_every_xsd_compiles(xsd: Path) -> None:
    etree.XMLSchema(etree.parse(str(xsd)))


@pytest.mark.parametrize("xsd", ALL_XSDS, ids=lambda p: p.relative_to(SCHEMAS).as_posix())
def test_every_element_and_attribute_is_documented(xsd: Path) -> None:
    undocumented = [
        el.get("name")
        for el in etree.parse(str(xsd)).iter(f"{XS}element", f"{XS}attribute")
        if el.get("name")
        and el.find(f"{XS}annotation/{XS}documentation") is None
        # list items inside a documented wrapper inherit its documentation
        and not (
            el.getparent() is not None
            and el.getparent().tag == f"{XS}sequence"
            and el.getparent().getparent().getparent().tag == f"{XS}element"
            and el.getparent().getparent().getparent().find(f"{XS}annotation") is not None
        )
    ]
    assert undocumented == []


def test_reading_is_order_free_and_writing_has_one_order() -> None:
    types = etree.parse(str(SCHEMAS / "types.xsd"))
    for ctype in types.iterfind(f"{XS}complexType"):
        if ctype.get("name") != "DataContractBase":  # the base holds only the attribute
            assert ctype.find(f".//{XS}all") is not None, ctype.get("name")
    writes = etree.parse(str(SCHEMAS / "requests" / "write_types.xsd"))
    for ctype in writes.iterfind(f"{XS}complexType"):
        assert ctype.find(f"{XS}sequence") is not None, ctype.get("name")
        assert ctype.find(f".//{XS}all") is None


READ_ONLY = ("HasAccount", "HasValidationErrors", "UpdatedDateUTC", "IsDiscounted", "HasErrors")


def test_write_types_never_hold_read_only_elements() -> None:
    writes = etree.parse(str(SCHEMAS / "requests" / "write_types.xsd"))
    names = {el.get("name") for el in writes.iter(f"{XS}element")}
    assert names.isdisjoint(
        {*READ_ONLY, "ValidationErrors", "Warnings", "IsSupplier", "IsCustomer", "SubTotal"}
    )
    assert writes.find(f".//{XS}attribute") is None  # no status attribute on writes
    # ... while the read types have them, documented as read-only.
    types = etree.parse(str(SCHEMAS / "types.xsd"))
    for name in READ_ONLY:
        found = types.findall(f".//{XS}element[@name='{name}']")
        assert found, name
        for el in found:
            doc = el.findtext(f"{XS}annotation/{XS}documentation") or ""
            assert "Read-only" in doc, (name, doc)


def test_open_lists_are_strings() -> None:
    simple = etree.parse(str(SCHEMAS / "simple_types.xsd"))
    for name in ("taxType", "currencyCode", "accountCode"):
        restriction = simple.find(f"{XS}simpleType[@name='{name}']/{XS}restriction")
        assert restriction is not None and restriction.get("base") == "xs:string"
        assert restriction.find(f"{XS}enumeration") is None, name


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_fixture_is_valid_against_its_xsd(path: Path) -> None:
    kind, stem = path.parent.parent.name, path.parent.name
    validator = schema(kind, stem)
    assert validator.validate(parse(path)), validator.error_log


def test_fixtures_cover_every_schema_and_endpoint() -> None:
    covered = {(p.parent.parent.name, p.parent.name) for p in fixture_files()}
    wanted = {(p.parent.name, p.stem) for p in SCHEMAS.glob("*/*.xsd") if p.stem != "write_types"}
    assert wanted <= covered
    manifest = load_manifest(SCHEMAS)
    for endpoint in manifest["endpoints"]:
        for spec in (endpoint.get("response"), endpoint.get("request")):
            if spec and "schema" in spec:  # not a file (binary = ...)
                folder = Path(spec["schema"])
                assert (FIXTURES / folder.parent / folder.stem).is_dir(), endpoint["name"]


def test_fixtures_cover_the_hard_cases() -> None:
    texts = {p.relative_to(FIXTURES).as_posix(): p.read_bytes() for p in fixture_files()}
    joined = b"\n".join(texts.values())
    assert b'xsi:nil="true"' in joined
    assert b'xsi:type="Invoice"' in joined and b'xsi:type="Contact"' in joined
    assert all(f'status="{s}"'.encode() in joined for s in ("OK", "WARNING", "ERROR"))
    assert any(t.startswith(b'<?xml version="1.0" encoding="utf-16"?>') for t in texts.values())
    assert b"<Contacts />" in joined and b"<LineItems />" in joined
    assert b"2026-06-30T22:01:07.513</UpdatedDateUTC>" in joined  # no Z, still UTC
    assert b".7828584Z</DateTimeUTC>" in joined  # 7 fractional digits


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("401_token_expired.json", 401),
        ("401_lower_case_keys.json", 401),
        ("403_forbidden.json", 403),
        ("404_text.json", 404),
        ("429_minute.json", 429),
        ("429_day.json", 429),
        ("503_offline.json", 503),
    ],
)
def test_non_xml_answers_are_well_formed(name: str, status: int) -> None:
    answer = json.loads((FIXTURES / "errors" / name).read_text(encoding="utf-8"))
    assert answer["status"] == status and isinstance(answer["headers"], dict)
    if status in (401, 403):
        body = {k.lower(): v for k, v in json.loads(answer["body"]).items()}
        assert body["status"] == status and body["detail"]
    if status == 429:
        assert answer["headers"]["X-Rate-Limit-Problem"] in ("minute", "day")
