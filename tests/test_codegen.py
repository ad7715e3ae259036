"""The generator: golden output, drift detection, determinism, headers, manifest checks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from xero_codegen.cli import main
from xero_codegen.ir import ManifestError
from xero_codegen.pipeline import build, diff, existing_files, write
from xero_codegen.render import HEADER

from .conftest import ROOT


@pytest.fixture(scope="module")
def fresh_build() -> dict[str, bytes]:
    return build(ROOT).files


def _copy_repo(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    shutil.copytree(
        ROOT / "generated", tmp_path / "generated", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")  # the SDK's version
    (tmp_path / "codegen").mkdir()
    return tmp_path


def test_committed_output_matches_a_fresh_build(
    fresh_build: dict[str, bytes], tmp_path: Path
) -> None:
    write_target = tmp_path / "out"
    from xero_codegen.pipeline import Build

    write(Build(files=fresh_build, apis=[]), write_target)
    drift = diff(existing_files(write_target), existing_files(ROOT / "generated"))
    assert drift.clean, drift


def test_generation_is_deterministic(fresh_build: dict[str, bytes]) -> None:
    assert build(ROOT).files == fresh_build


def test_no_absolute_paths_or_timestamps(fresh_build: dict[str, bytes]) -> None:
    for name, data in fresh_build.items():
        text = data.decode("utf-8")
        assert str(ROOT) not in text, name
        assert "/tmp/" not in text, name
        assert "Generated on" not in text and "xsdata v" not in text, name


def test_every_generated_file_starts_with_the_header(fresh_build: dict[str, bytes]) -> None:
    for name, data in fresh_build.items():
        assert data.decode().startswith(HEADER), name
        assert "DO NOT EDIT" in HEADER


def test_no_hand_written_module_carries_the_header() -> None:
    for folder in ("codegen", "tests", "sandbox", "examples", "bench"):
        for path in (ROOT / folder).rglob("*.py") if (ROOT / folder).exists() else []:
            assert not path.read_text(encoding="utf-8").startswith(HEADER), path


def test_runtime_is_copied_verbatim(fresh_build: dict[str, bytes]) -> None:
    for source in sorted((ROOT / "codegen/xero_codegen/runtime").glob("*.py")):
        copied = fresh_build[f"xero_customer_api/_runtime/{source.name}"].decode()
        assert copied == HEADER + "\n" + source.read_text(encoding="utf-8")


def test_check_passes_on_the_repository() -> None:
    result = CliRunner().invoke(main, ["check", "--root", str(ROOT)])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output


def test_check_fails_when_a_generated_file_is_edited(tmp_path: Path) -> None:
    root = _copy_repo(tmp_path)
    target = root / "generated/xero_customer_api/v1_0/_client.py"
    target.write_text(target.read_text() + "\n# hand edit\n")
    (root / "generated/xero_customer_api/v1_0/stray.py").write_text("x = 1\n")
    (root / "generated/xero_customer_api/py.typed").unlink()
    result = CliRunner().invoke(main, ["check", "--root", str(root)])
    assert result.exit_code == 1
    assert "differs: generated/xero_customer_api/v1_0/_client.py" in result.output
    assert "extra:   generated/xero_customer_api/v1_0/stray.py" in result.output
    assert "missing: generated/xero_customer_api/py.typed" in result.output


def test_check_fails_when_a_schema_changes(tmp_path: Path) -> None:
    root = _copy_repo(tmp_path)
    types = root / "schemas/v1.0/types.xsd"
    types.write_text(types.read_text().replace("Name of the account.", "The account's name."))
    result = CliRunner().invoke(main, ["check", "--root", str(root)])
    assert result.exit_code == 1
    assert "differs: generated/xero_customer_api/v1_0/models/types.py" in result.output


def test_generate_then_check_round_trips(tmp_path: Path) -> None:
    root = _copy_repo(tmp_path)
    shutil.rmtree(root / "generated")
    assert CliRunner().invoke(main, ["generate", "--root", str(root)]).exit_code == 0
    assert CliRunner().invoke(main, ["check", "--root", str(root)]).exit_code == 0


def test_manifest_problems_are_all_reported(tmp_path: Path) -> None:
    root = _copy_repo(tmp_path)
    manifest = root / "schemas/v1.0/manifest.toml"
    text = manifest.read_text().replace('path = "contacts"', 'path = "Contacts"', 1)
    text = text.replace('type = "guid"', 'type = "uuid"', 1)
    manifest.write_text(text)
    with pytest.raises(ManifestError) as info:
        build(root)
    assert len(info.value.problems) == 2


@pytest.mark.parametrize(
    ("refetch", "said"),
    [
        ("nowhere", "names no endpoint of this resource"),
        ("create", "must be a GET of one Invoice by a GUID query parameter"),
    ],
)
def test_a_refetch_must_name_a_get_of_one_item_of_the_list(
    tmp_path: Path, refetch: str, said: str
) -> None:
    root = _copy_repo(tmp_path)
    manifest = root / "schemas/v1.0/manifest.toml"
    text = manifest.read_text()
    assert 'refetch = "get"' in text
    manifest.write_text(text.replace('refetch = "get"', f'refetch = "{refetch}"', 1))
    with pytest.raises(ManifestError) as info:
        build(root)
    [problem] = info.value.problems
    assert "refetch" in problem and said in problem


def test_only_a_list_with_a_refetch_has_with_lines(fresh_build: dict[str, bytes]) -> None:
    invoices = fresh_build["xero_customer_api/v1_0/_commands/invoices.py"].decode()
    invoices = invoices[invoices.index("def invoices_export(") :]
    cli = fresh_build["xero_customer_api/v1_0/_commands/contacts.py"].decode()
    start = cli.index("def contacts_export(")
    contacts = cli[start : cli.index("\n\n\n", start)]
    assert 'cs.Refetch("invoice_id", client.invoices.get)' in invoices
    assert "with_lines" not in contacts  # the contacts list leaves nothing out


# ------------------------------------------------------------- client-side checks (issue 12)

CHECKS_XSD = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
  <xs:simpleType name="fixedTaxType">
    <xs:restriction base="xs:string">
      <xs:enumeration value="INPUT"/><xs:enumeration value="OUTPUT"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="customTaxType">
    <xs:restriction base="xs:string"><xs:pattern value="TAX[0-9]{3}"/></xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="taxType"><xs:union memberTypes="fixedTaxType customTaxType"/></xs:simpleType>
  <xs:simpleType name="price">
    <xs:restriction base="xs:decimal">
      <xs:minInclusive value="0"/><xs:fractionDigits value="2"/><xs:totalDigits value="10"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="day">
    <xs:restriction base="xs:int"><xs:minInclusive value="1"/><xs:maxInclusive value="31"/></xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="code">
    <xs:restriction base="xs:token"><xs:minLength value="1"/><xs:maxLength value="10"/></xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="status">
    <xs:restriction base="xs:string"><xs:enumeration value="OK"/><xs:enumeration value="ERROR"/></xs:restriction>
  </xs:simpleType>
  <xs:complexType name="Item">
    <xs:all>
      <xs:element name="Code" type="code" minOccurs="0"/>
      <xs:element name="Price" type="price"/>
      <xs:element name="Day" type="day" minOccurs="0"/>
      <xs:element name="TaxType" type="taxType" minOccurs="0"/>
      <xs:element name="Count" type="xs:unsignedByte" minOccurs="0"/>
      <xs:element name="Flag" type="xs:boolean" minOccurs="0"/>
    </xs:all>
    <xs:attribute name="status" type="status" use="optional"/>
  </xs:complexType>
  <xs:complexType name="Order">
    <xs:sequence>
      <xs:element name="Items">
        <xs:complexType><xs:sequence>
          <xs:element name="Item" type="Item" minOccurs="1" maxOccurs="5"/>
        </xs:sequence></xs:complexType>
      </xs:element>
    </xs:sequence>
  </xs:complexType>
  <xs:element name="Order" type="Order"/>
</xs:schema>
"""


def test_the_check_table_comes_from_the_xsd_types_and_facets(tmp_path: Path) -> None:
    from xero_codegen.frontend import build_models, refusals, rules_of
    from xero_codegen.render import check_expression
    from xero_codegen.xsdata_driver import render_models

    (tmp_path / "order.xsd").write_text(CHECKS_XSD)
    classes = render_models(tmp_path, "pkg.models", set()).classes
    built = build_models(classes, {"Order": "invoice-totals"})
    # The codec cannot read a union or an xs:unsignedByte (generation would stop); the
    # checks still check them.
    assert sorted(built.codec_problems) == [
        "Item.Count: XSD type {http://www.w3.org/2001/XMLSchema}unsignedByte is not supported"
        " by the codec",
        "Item.TaxType: unions are not supported",
    ]
    checks = {m.name: m for m in built.models}
    item = checks["Item"]
    table = {f.path: (f.attr, check_expression(f.check, "_"), f.required) for f in item.fields}
    assert table == {
        "Code": ("code", "text(min_length=1, max_length=10)", False),
        "Price": (
            "price",
            "decimal(fraction_digits=2, total_digits=10, min_inclusive='0')",
            True,
        ),
        "Day": ("day", "integer(min_inclusive=1, max_inclusive=31)", False),
        "TaxType": ("tax_type", "union(enum(FixedTaxType), text(pattern='TAX[0-9]{3}'))", False),
        "Count": ("count", "integer(min_inclusive=0, max_inclusive=255)", False),
        "Flag": ("flag", "boolean()", False),
        "@status": ("status", "enum(Status)", False),
    }
    (items,) = checks["Order"].fields
    assert (items.path, check_expression(items.check, "_"), items.is_list) == (
        "Items/Item",
        "model(_Item)",
        True,
    )
    assert (items.min_occurs, items.max_occurs) == (1, 5)
    assert checks["Order"].rule == "invoice-totals"
    assert rules_of(checks, "Order") == ("invoice-totals",)
    assert "text too long or too short" in refusals(checks, "Order")
    assert "a number out of range" in refusals(checks, "Order")


def test_an_unknown_check_rule_is_a_manifest_error(tmp_path: Path) -> None:
    root = _copy_repo(tmp_path)
    manifest = root / "schemas/v1.0/manifest.toml"
    text = manifest.read_text().replace('Invoice = "invoice-totals"', 'Invoice = "sums"')
    manifest.write_text(text.replace('LineItem = "line-amount"', 'Lineitem = "line-amount"'))
    with pytest.raises(ManifestError) as info:
        build(root)
    assert info.value.problems == [
        "checks.rules.Invoice: unknown rule 'sums' (known: invoice-totals, line-amount)",
        "checks.rules.Lineitem: no such model",
    ]


# ------------------------------------------------------------- docstrings (issue 12, item 18)

GOLDEN_DOCS = {
    "contacts.get": """Get one contact by its ContactID or by its ContactNumber (give exactly one).

``GET contact``

Args:
    contact_id: Xero's identifier of the contact.
    contact_number: The partner's own number stored against the contact.
    timeout: Seconds (or an ``httpx.Timeout``) for this call; the client's by default.
    max_retries: Retries for this call where safe; the client's by default.

Returns:
    The ``Contact`` found (never ``None``).

Raises:
    RequestValidationError: Nothing was sent: not exactly one of ``contact_id`` and
        ``contact_number`` given; ``contact_id`` not a GUID; ``contact_number`` empty;
        ``max_retries`` not a whole number >= 0.
    NotFoundError: No such contact in this organisation.
    XeroAPIError: Xero answered with another error (such as ``RateLimitError`` or
        ``ServerError``).
    XeroError: The call failed otherwise (network, timeout, refused partner key,
        unreadable answer).""",
    "contacts.list": """List the organisation's contacts, optionally filtered and sorted.

``GET contacts``

Args:
    type: customers: contacts with sales invoices; suppliers: contacts with bills; all
        (Xero's default): every contact.
    sort_by: Sort by name (Xero's default) or by email address.
    direction: Sort direction: asc (default) or desc.
    updated_after: Only contacts changed after this moment (a timezone-aware datetime, or a date
        meaning midnight UTC).
    timeout: Seconds (or an ``httpx.Timeout``) for this call; the client's by default.
    max_retries: Retries for this call where safe; the client's by default.

Returns:
    A list of ``Contact``, one per contact that matches the filters (empty when there is
    none).

Raises:
    RequestValidationError: Nothing was sent: ``type``, ``sort_by`` or ``direction``
        not one of its values; ``updated_after`` a naive datetime; ``max_retries`` not a
        whole number >= 0.
    XeroAPIError: Xero answered with another error (such as ``RateLimitError`` or
        ``ServerError``).
    XeroError: The call failed otherwise (network, timeout, refused partner key,
        unreadable answer).""",
    "contacts.create": """Insert a new contact. Returns the saved contact with its ContactID.

``PUT contact``

Args:
    contact: A contact to insert (PUT contact) or to insert or update (POST contact).
    timeout: Seconds (or an ``httpx.Timeout``) for this call; the client's by default.
    max_retries: Retries for this call where safe; the client's by default.

Returns:
    The ``Contact`` as Xero saved it, with the values Xero sets (such as its ID).

Raises:
    RequestValidationError: Nothing was sent: the contact does not match its schema
        (a required field missing or a value of the wrong type; a naive ``datetime``; a
        value outside its enumeration; text not of the form its pattern gives, such as a
        GUID); ``max_retries`` not a whole number >= 0.
    ValidationError: Xero refused the contact on a check only Xero can make
        (``.errors`` says which).
    XeroAPIError: Xero answered with another error (such as ``RateLimitError`` or
        ``ServerError``).
    XeroError: The call failed otherwise (network, timeout, refused partner key,
        unreadable answer).""",
    "invoices.create": """Insert a new invoice (1.0 can only insert invoices). Totals must add up; the saved
invoice is returned.

``PUT invoice``

Args:
    invoice: An invoice to insert (PUT invoice).
    timeout: Seconds (or an ``httpx.Timeout``) for this call; the client's by default.
    max_retries: Retries for this call where safe; the client's by default.

Returns:
    The ``Invoice`` as Xero saved it, with the values Xero sets (such as its ID).

Raises:
    RequestValidationError: Nothing was sent: the invoice does not match its schema
        (a required field missing or a value of the wrong type; a ``float`` or ``str``
        for a ``Decimal``, or more decimal places or digits than allowed; a ``str`` or
        ``datetime`` for a ``datetime.date``; a naive ``datetime``; a value outside its
        enumeration; text not of the form its pattern gives, such as a GUID; more or
        fewer items than a list allows); a line's LineAmount is not Quantity x
        UnitAmount; SubTotal, TotalTax or Total do not add up over the lines;
        ``max_retries`` not a whole number >= 0.
    ValidationError: Xero refused the invoice on a check only Xero can make
        (``.errors`` says which).
    XeroAPIError: Xero answered with another error (such as ``RateLimitError`` or
        ``ServerError``).
    XeroError: The call failed otherwise (network, timeout, refused partner key,
        unreadable answer).""",
}


@pytest.mark.parametrize("endpoint", sorted(GOLDEN_DOCS))
def test_docstrings_say_what_each_method_returns_and_raises(endpoint: str) -> None:
    import inspect

    from xero_customer_api.v1_0 import _resources

    resource, name = endpoint.split(".")
    for prefix in ("", "Async"):
        cls = getattr(_resources, f"{prefix}{resource.capitalize()}Resource")
        assert inspect.getdoc(getattr(cls, name)) == GOLDEN_DOCS[endpoint]


def test_no_docstring_is_boilerplate() -> None:
    from xero_customer_api.v1_0 import _resources

    for cls_name in _resources.__all__:
        cls = getattr(_resources, cls_name)
        raw = "WithRawResponse" in cls_name
        for name in ("get", "list", "create", "save", "save_many", "create_many", "iter"):
            if not hasattr(cls, name):
                continue
            doc = getattr(cls, name).__doc__
            assert "Absent when the call failed" not in doc, (cls_name, name)
            assert "overrides all other parameters" not in doc, (cls_name, name)
            if name in ("list", "save_many", "create_many") and not raw:
                assert "A list of ``" in doc, (cls_name, name)
            if name in ("save", "save_many"):  # contacts: no totals to check
                assert "Total" not in doc, (cls_name, name)


# ------------------------------------------------------------- request.required (issue 20, item 16)


def test_request_required_is_carried_to_the_endpoint_and_checked(tmp_path: Path) -> None:
    root = _copy_repo(tmp_path)
    [api] = [a for a in build(root).apis if a.version == "2.0"]
    by_name = {(r.name, e.name): e for r in api.resources for e in r.endpoints}
    for name in ("create", "create_many"):
        request = by_name[("invoices", name)].request
        assert request is not None and request.required == ("Type", "Contact", "LineItems")
    save = by_name[("invoices", "save")].request
    assert save is not None and save.required == ()  # POST: an update may carry only the id
    raises = dict(by_name[("contacts", "create")].raises)["RequestValidationError"]
    assert "without ``Name`` (required to create one)" in raises

    toml = root / "schemas/v2.0/resources/contacts.toml"
    text = toml.read_text()
    assert 'required = ["Name"]' in text
    toml.write_text(text.replace('required = ["Name"]', 'required = ["Nom", "Name", "Name"]', 1))
    with pytest.raises(ManifestError) as info:
        build(root)
    assert any(
        "request.required names 'Nom', not written in Contact" in p for p in info.value.problems
    )
    assert any("names an element twice" in p for p in info.value.problems)
