"""One small schema pair per rule of `xero-codegen diff`: the exact changes, levels and layers."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from xero_codegen.diff.contract import Contract, Param, load_contract
from xero_codegen.diff.rules import RULES, Change, compare, suggested_bump

from .conftest import Edit, edited_copy, tiny_contract

M, T = "manifest.toml", "types.xsd"
TITLE = (
    '<xs:element name="Title" type="title" minOccurs="0"><xs:annotation>'
    "<xs:documentation>Title.</xs:documentation></xs:annotation></xs:element>"
)
NOTE = (
    '<xs:element name="Note" type="xs:string" minOccurs="0"><xs:annotation>'
    "<xs:documentation>Note.</xs:documentation></xs:annotation></xs:element>"
)
TOTAL = (
    '<xs:element name="Total" type="money"><xs:annotation>'
    "<xs:documentation>Total.</xs:documentation></xs:annotation></xs:element>"
)
SUMMARY_ENDPOINT = """[[endpoints]]
resource = "summary"
name = "get"
method = "GET"
path = "summary"
response = { schema = "responses/summary_response.xsd", type = "SummaryResponse", payload = "summary" }
doc = "The summary."
"""
NEW_ENDPOINT = SUMMARY_ENDPOINT.replace('name = "get"', 'name = "latest"').replace(
    'path = "summary"', 'path = "summary/latest"'
)
SINCE = '\n[[endpoints.query]]\nname = "since"\nwire = "since"\ntype = "datetime"\ndoc = "Since."'
DRAFT_BODY = (
    'request = { schema = "requests/draft_request.xsd", type = "Draft", param = "draft" }\n'
)


def renames(*pairs: str) -> Edit:
    return (M, "[enums]", "[renames]\n" + "\n".join(pairs) + "\n\n[enums]")


# (expected change ids, edits, compare new -> old instead)
CASES: dict[str, tuple[set[str], list[Edit], bool]] = {
    "auth": ({"auth-changed"}, [(M, 'auth = "query-keys"', 'auth = "oauth2"')], False),
    "errors": (
        {"error-format-changed"},
        [(M, 'errors = "response-errors"', 'errors = "api-exception"')],
        False,
    ),
    "package": ({"package-changed"}, [(M, 'package = "tiny"', 'package = "tiny2"')], False),
    "env-added": (
        {"environment-added"},
        [(M, '/api/" }', '/api/", staging = "https://staging.example.com/api/" }')],
        False,
    ),
    "env-removed": (
        {"environment-removed"},
        [(M, 'test = "https://test.example.com/api/", ', "")],
        False,
    ),
    "env-url": (
        {"environment-url-changed"},
        [(M, "https://test.example.com/", "https://sandbox.example.com/")],
        False,
    ),
    "endpoint-added": (
        {"endpoint-added"},
        [(M, SUMMARY_ENDPOINT, SUMMARY_ENDPOINT + "\n" + NEW_ENDPOINT)],
        False,
    ),
    "endpoint-removed": ({"endpoint-removed"}, [(M, SUMMARY_ENDPOINT, "")], False),
    "endpoint-renamed": (
        {"endpoint-renamed"},
        [(M, 'name = "draft"', 'name = "save_draft"\nrenamed_from = "draft"')],
        False,
    ),
    "endpoint-path": ({"endpoint-path-changed"}, [(M, 'path = "draft"', 'path = "drafts"')], False),
    "endpoint-method": (
        {"endpoint-method-changed"},
        [(M, 'method = "PUT"\npath = "draft"', 'method = "POST"\npath = "draft"')],
        False,
    ),
    "body-changed": (
        {"endpoint-body-changed"},
        [
            (
                M,
                DRAFT_BODY,
                DRAFT_BODY.replace("draft_request", "item_request").replace('"Draft"', '"Item"'),
            )
        ],
        False,
    ),
    "body-removed": ({"endpoint-body-removed"}, [(M, DRAFT_BODY, "")], False),
    "body-added": (
        {"endpoint-body-added"},
        [(M, 'path = "summary"\n', 'path = "summary"\n' + DRAFT_BODY)],
        False,
    ),
    "response-changed": (
        {"endpoint-response-changed", "endpoint-returns-changed"},
        [
            (
                M,
                '"responses/summary_response.xsd", type = "SummaryResponse", payload = "summary"',
                '"responses/items_response.xsd", type = "ItemsResponse", payload = "items"',
            )
        ],
        False,
    ),
    "returns-changed": (
        {"endpoint-returns-changed"},
        [
            (
                M,
                'path = "item"\nresponse = { schema = "responses/item_response.xsd", type = "ItemResponse", payload = "item" }\ndoc = "Get',
                'path = "item"\nresponse = { schema = "responses/items_response.xsd", type = "ItemsResponse", payload = "items" }\ndoc = "Get',
            )
        ],
        False,
    ),
    "stream-removed": ({"endpoint-stream-removed"}, [(M, "stream = true\n", "")], False),
    "stream-added": ({"endpoint-stream-added"}, [(M, "stream = true\n", "")], True),
    "endpoint-doc": (
        {"endpoint-doc-changed"},
        [(M, 'doc = "The summary."', 'doc = "The summary of all items."')],
        False,
    ),
    "param-added": (
        {"param-added"},
        [(M, 'doc = "Sort order."', 'doc = "Sort order."' + SINCE)],
        False,
    ),
    "param-removed": (
        {"param-removed"},
        [(M, 'doc = "Sort order."', 'doc = "Sort order."' + SINCE)],
        True,
    ),
    "param-renamed": (
        {"param-renamed"},
        [(M, 'name = "sort"', 'name = "order"\nrenamed_from = "sort"')],
        False,
    ),
    "param-wire": (
        {"param-wire-name-changed"},
        [(M, 'wire = "sortBy"', 'wire = "orderBy"')],
        False,
    ),
    "param-type": ({"param-type-changed"}, [(M, 'type = "guid"', 'type = "string"')], False),
    "param-value-added": (
        {"param-enum-value-added"},
        [(M, 'values = ["name", "date"]', 'values = ["name", "date", "amount"]')],
        False,
    ),
    "param-value-removed": (
        {"param-enum-value-removed"},
        [(M, 'values = ["name", "date"]', 'values = ["name", "date", "amount"]')],
        True,
    ),
    "param-doc": (
        {"param-doc-changed"},
        [(M, 'doc = "The item\'s id."', 'doc = "The id of the item."')],
        False,
    ),
    "model-added": (
        {"model-added"},
        [
            (
                T,
                '<xs:complexType name="Spare">',
                '<xs:complexType name="Extra"><xs:sequence><xs:element name="X" type="xs:string" minOccurs="0"/></xs:sequence></xs:complexType>\n  <xs:complexType name="Spare">',
            )
        ],
        False,
    ),
    "model-removed": (
        {"model-removed"},
        [
            (
                T,
                '<xs:complexType name="Spare">',
                '<xs:complexType name="Extra"><xs:sequence><xs:element name="X" type="xs:string" minOccurs="0"/></xs:sequence></xs:complexType>\n  <xs:complexType name="Spare">',
            )
        ],
        True,
    ),
    "model-renamed": (
        {"model-renamed"},
        [(T, 'name="Spare"', 'name="Reserve"'), renames('"Reserve" = "Spare"')],
        False,
    ),
    "model-doc": (
        {"model-doc-changed"},
        [(T, "Not used by any endpoint.", "Kept for later.")],
        False,
    ),
    "request-field-added-required": (
        {"request-field-added-required"},
        [
            (
                T,
                '<xs:element name="Count"',
                '<xs:element name="Owner" type="xs:string"/>\n      <xs:element name="Count"',
            )
        ],
        False,
    ),
    "request-field-added": (
        {"request-field-added"},
        [
            (
                T,
                '<xs:element name="Count"',
                '<xs:element name="Owner" type="xs:string" minOccurs="0"/>\n      <xs:element name="Count"',
            )
        ],
        False,
    ),
    "response-field-added": (
        {"response-field-added"},
        [(T, NOTE, NOTE + '\n      <xs:element name="Extra" type="xs:string" minOccurs="0"/>')],
        False,
    ),
    "shared-field-added-required": (
        {"request-field-added-required", "response-field-added"},
        [
            (
                T,
                '<xs:element name="Amount"',
                '<xs:element name="Owner" type="xs:string"/>\n      <xs:element name="Amount"',
            )
        ],
        False,
    ),
    "request-field-removed": ({"request-field-removed"}, [(T, TITLE, "")], False),
    "response-field-removed": ({"response-field-removed"}, [(T, NOTE, "")], False),
    "response-required-field-removed": (
        {"response-required-field-removed"},
        [(T, TOTAL, "")],
        False,
    ),
    "field-renamed": (
        {"field-renamed"},
        [
            (T, '<xs:element name="Note"', '<xs:element name="Remark"'),
            renames('"Summary.Remark" = "Note"'),
        ],
        False,
    ),
    "rename-without-old-name": (
        {"response-field-added"},
        [
            (T, NOTE, NOTE + '\n      <xs:element name="Remark" type="xs:string" minOccurs="0"/>'),
            renames('"Summary.Remark" = "Note"'),
        ],
        False,
    ),
    "request-required": (
        {"request-field-became-required"},
        [
            (
                T,
                '<xs:element name="Title" type="title" minOccurs="0">',
                '<xs:element name="Title" type="title">',
            )
        ],
        False,
    ),
    "request-optional": (
        {"request-field-became-optional"},
        [
            (
                T,
                '<xs:element name="Title" type="title" minOccurs="0">',
                '<xs:element name="Title" type="title">',
            )
        ],
        True,
    ),
    "response-optional": (
        {"response-field-became-optional"},
        [
            (
                T,
                '<xs:element name="Total" type="money">',
                '<xs:element name="Total" type="money" minOccurs="0">',
            )
        ],
        False,
    ),
    "response-required": (
        {"response-field-became-required"},
        [
            (
                T,
                '<xs:element name="Total" type="money">',
                '<xs:element name="Total" type="money" minOccurs="0">',
            )
        ],
        True,
    ),
    "field-type": (
        {"field-type-changed"},
        [(T, '<xs:element name="Note" type="xs:string"', '<xs:element name="Note" type="xs:int"')],
        False,
    ),
    "became-list": (
        {"field-became-list"},
        [
            (
                T,
                'name="Note" type="xs:string" minOccurs="0"',
                'name="Note" type="xs:string" minOccurs="0" maxOccurs="unbounded"',
            )
        ],
        False,
    ),
    "became-single": (
        {"field-became-single"},
        [
            (
                T,
                'name="Note" type="xs:string" minOccurs="0"',
                'name="Note" type="xs:string" minOccurs="0" maxOccurs="unbounded"',
            )
        ],
        True,
    ),
    "request-facet-tightened": (
        {"request-facet-tightened"},
        [(T, '<xs:maxLength value="20"/>', '<xs:maxLength value="10"/>')],
        False,
    ),
    "request-facet-relaxed": (
        {"request-facet-relaxed"},
        [(T, '<xs:maxLength value="20"/>', '<xs:maxLength value="40"/>')],
        False,
    ),
    "request-pattern-added": (
        {"request-facet-tightened"},
        [
            (
                T,
                '<xs:maxLength value="20"/>',
                '<xs:maxLength value="20"/><xs:pattern value="[A-Z ]*"/>',
            )
        ],
        False,
    ),
    "response-facet-relaxed": (
        {"response-facet-relaxed"},
        [(T, '<xs:maxLength value="10"/>', '<xs:maxLength value="30"/>')],
        False,
    ),
    "response-facet-tightened": (
        {"response-facet-tightened"},
        [(T, '<xs:maxLength value="10"/>', '<xs:maxLength value="30"/>')],
        True,
    ),
    "request-max-occurs-decreased": (
        {"request-max-occurs-decreased"},
        [
            (
                T,
                'type="Line" minOccurs="0" maxOccurs="unbounded"',
                'type="Line" minOccurs="0" maxOccurs="5"',
            )
        ],
        False,
    ),
    "request-max-occurs-increased": (
        {"request-max-occurs-increased"},
        [
            (
                T,
                'type="Line" minOccurs="0" maxOccurs="unbounded"',
                'type="Line" minOccurs="0" maxOccurs="5"',
            )
        ],
        True,
    ),
    "response-max-occurs-increased": (
        {"response-max-occurs-increased"},
        [
            (
                T,
                'type="Line" minOccurs="0" maxOccurs="2"',
                'type="Line" minOccurs="0" maxOccurs="unbounded"',
            )
        ],
        False,
    ),
    "response-max-occurs-decreased": (
        {"response-max-occurs-decreased"},
        [
            (
                T,
                'type="Line" minOccurs="0" maxOccurs="2"',
                'type="Line" minOccurs="0" maxOccurs="unbounded"',
            )
        ],
        True,
    ),
    "request-order": (
        {"request-field-order-changed"},
        [(T, TITLE, ""), (T, '<xs:element name="Ref"', TITLE + '\n      <xs:element name="Ref"')],
        False,
    ),
    "field-default": (
        {"field-default-changed"},
        [(T, 'type="xs:int" default="1"', 'type="xs:int" default="2"')],
        False,
    ),
    "field-doc": (
        {"field-doc-changed"},
        [
            (
                T,
                "<xs:documentation>Note.</xs:documentation>",
                "<xs:documentation>A note.</xs:documentation>",
            )
        ],
        False,
    ),
    "enum-added": (
        {"enum-added"},
        [
            (
                T,
                '<xs:simpleType name="Kind">',
                '<xs:simpleType name="Colour"><xs:restriction base="xs:string"><xs:enumeration value="RED"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="Kind">',
            ),
            (
                T,
                '<xs:element name="Value" type="xs:string"',
                '<xs:element name="Colour" type="Colour"/><xs:element name="Value" type="xs:string"',
            ),
        ],
        False,
    ),
    "enum-removed": (
        {"enum-removed"},
        [
            (
                T,
                '<xs:simpleType name="Kind">',
                '<xs:simpleType name="Colour"><xs:restriction base="xs:string"><xs:enumeration value="RED"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="Kind">',
            ),
            (
                T,
                '<xs:element name="Value" type="xs:string"',
                '<xs:element name="Colour" type="Colour"/><xs:element name="Value" type="xs:string"',
            ),
        ],
        True,
    ),
    "enum-renamed": (
        {"enum-renamed"},
        [
            (T, '<xs:simpleType name="Kind">', '<xs:simpleType name="Sort">'),
            (T, 'type="Kind"', 'type="Sort"'),
            (M, 'closed = ["Kind"]', 'closed = ["Sort"]\n\n[renames]\n"Sort" = "Kind"'),
        ],
        False,
    ),
    "enum-value-added-open": (
        {"enum-value-added"},
        [
            (
                T,
                '<xs:enumeration value="PAID"/>',
                '<xs:enumeration value="PAID"/><xs:enumeration value="VOID"/>',
            )
        ],
        False,
    ),
    "enum-value-added-closed": (
        {"closed-enum-value-added"},
        [
            (
                T,
                '<xs:enumeration value="B"/>',
                '<xs:enumeration value="B"/><xs:enumeration value="C"/>',
            )
        ],
        False,
    ),
    "enum-value-removed-request": (
        {"enum-value-removed"},
        [(T, '<xs:enumeration value="PAID"/>', "")],
        False,
    ),
    "enum-value-removed-response": (
        {"response-enum-value-removed"},
        [(T, '<xs:enumeration value="B"/>', "")],
        False,
    ),
    "enum-value-renamed": (
        {"enum-value-renamed"},
        [(T, 'value="DRAFT"', 'value="DRAFTED"'), renames('"Status.DRAFTED" = "DRAFT"')],
        False,
    ),
    "enum-closed": (
        {"enum-became-closed"},
        [(M, 'closed = ["Kind"]', 'closed = ["Kind", "Status"]')],
        False,
    ),
    "enum-open": (
        {"enum-became-open"},
        [(M, 'closed = ["Kind"]', 'closed = ["Kind", "Status"]')],
        True,
    ),
    "enum-doc": ({"enum-doc-changed"}, [(T, "Status of an item.", "Where an item is.")], False),
}


def _check(changes: list[Change], expected: set[str]) -> None:
    assert {c.id for c in changes} == expected, [(c.id, c.subject) for c in changes]
    for c in changes:
        rule = RULES[c.id]
        assert (c.level, c.layers) == (rule.level, rule.layers)
        assert c.subject


@pytest.fixture(scope="module")
def case_contracts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Contract]:
    """The contract of every case's edited copy (cases with the same edits are read once)."""
    root = tmp_path_factory.mktemp("cases")
    return {case: load_contract(edited_copy(root / case, CASES[case][1])) for case in sorted(CASES)}


@pytest.mark.parametrize("case", sorted(CASES))
def test_rule_table(case: str, case_contracts: dict[str, Contract]) -> None:
    expected, _edits, reverse = CASES[case]
    base, other = tiny_contract(), case_contracts[case]
    changes = compare(other, base) if reverse else compare(base, other)
    _check(changes, expected)


# Rules of IR features the 1.0 generator does not have yet (path parameters, headers,
# parameter defaults, XML attributes, nillable elements): the same rules on edited contracts.


def _endpoint_with(contract: Contract, ep_id: str, **params: Param) -> Contract:
    ep = contract.endpoints[ep_id]
    kept = tuple(p for p in ep.params if p.name not in params)
    new_ep = dataclasses.replace(ep, params=kept + tuple(params.values()))
    return dataclasses.replace(contract, endpoints={**contract.endpoints, ep_id: new_ep})


def _field_with(contract: Contract, model: str, key: str, **changes: object) -> Contract:
    m = contract.models[model]
    fields = tuple(
        dataclasses.replace(f, **changes) if f.key == key else f  # type: ignore[arg-type]
        for f in m.fields
    )
    return dataclasses.replace(
        contract, models={**contract.models, model: dataclasses.replace(m, fields=fields)}
    )


def _param(contract: Contract, ep_id: str, name: str) -> Param:
    found = contract.endpoints[ep_id].param(name)
    assert found is not None
    return found


def test_param_location_changed() -> None:
    base = tiny_contract()
    sort = _param(base, "items.list", "sort")
    moved = _endpoint_with(base, "items.list", sort=dataclasses.replace(sort, location="header"))
    _check(compare(base, moved), {"param-location-changed"})


def test_required_param_added_and_became_required() -> None:
    base = tiny_contract()
    slot = Param("item_ref", "Item", "path", "string", (), None, True, "The item.")
    _check(
        compare(base, _endpoint_with(base, "items.get", item_ref=slot)), {"required-param-added"}
    )
    sort = _param(base, "items.list", "sort")
    required = _endpoint_with(base, "items.list", sort=dataclasses.replace(sort, required=True))
    _check(compare(base, required), {"param-became-required"})
    _check(compare(required, base), {"param-became-optional"})


def test_param_default_changed() -> None:
    base = tiny_contract()
    sort = _param(base, "items.list", "sort")
    changed = _endpoint_with(base, "items.list", sort=dataclasses.replace(sort, default="name"))
    _check(compare(base, changed), {"param-default-changed"})


def test_one_of_changed() -> None:
    base = tiny_contract()
    ep = base.endpoints["items.get"]
    a = dataclasses.replace(
        base,
        endpoints={**base.endpoints, "items.get": dataclasses.replace(ep, one_of=("item_id", "x"))},
    )
    b = dataclasses.replace(
        base,
        endpoints={**base.endpoints, "items.get": dataclasses.replace(ep, one_of=("item_id", "y"))},
    )
    _check(compare(a, b), {"endpoint-one-of-changed"})


def test_field_node_changed() -> None:
    base = tiny_contract()
    _check(
        compare(base, _field_with(base, "Summary", "Note", attribute=True)), {"field-node-changed"}
    )


def test_response_field_became_nillable() -> None:
    base = tiny_contract()
    changed = _field_with(base, "Summary", "Total", nillable=True)
    _check(compare(base, changed), {"response-field-became-nillable"})


def test_field_python_name_changed() -> None:
    base = tiny_contract()
    changed = _field_with(base, "Summary", "Note", name="remark")
    _check(compare(base, changed), {"field-python-name-changed"})


def test_element_renamed_keeps_python_name() -> None:
    base = tiny_contract()
    changed = _field_with(base, "Summary", "Note", element="NOTE")
    changed = dataclasses.replace(changed, renames={"Summary.NOTE": "Note"})
    _check(compare(base, changed), {"element-renamed"})


def test_model_root_changed() -> None:
    base = tiny_contract()
    draft = dataclasses.replace(base.models["Draft"], root="DraftDocument")
    changed = dataclasses.replace(base, models={**base.models, "Draft": draft})
    _check(compare(base, changed), {"model-root-changed"})


def test_symbols_name_python_and_cli() -> None:
    base = tiny_contract()
    sort = _param(base, "items.list", "sort")
    changed = _endpoint_with(base, "items.list", sort=dataclasses.replace(sort, values=("name",)))
    (change,) = compare(base, changed)
    assert change.symbols == ("client.items.list(sort=...)", "xero items list --sort")
    changed = _field_with(base, "Draft", "Title", required=True, min_occurs=1)
    (change,) = compare(base, changed)
    assert change.symbols == (
        "tiny.models.Draft.title",
        "client.items.draft(draft=...)",
        "xero items draft (input field title)",
    )


def test_rule_table_covers_enough_rules() -> None:
    covered = set().union(*(ids for ids, _, _ in CASES.values()))
    assert len(covered) >= 30
    assert covered <= set(RULES)


@pytest.mark.parametrize(
    ("ids", "current", "bump"),
    [
        ([], "0.1.0", "none"),
        (["field-doc-changed"], "1.2.0", "patch"),
        (["endpoint-added"], "1.2.0", "minor"),
        (["endpoint-added"], "0.1.0", "patch"),
        (["endpoint-removed", "endpoint-added"], "1.2.0", "major"),
        (["endpoint-removed"], "0.1.0", "minor"),
    ],
)
def test_suggested_bump(ids: list[str], current: str, bump: str) -> None:
    changes = [Change(i, "s", "m") for i in ids]
    assert suggested_bump(changes, current) == bump


def test_endpoint_batch_changed() -> None:
    base = tiny_contract()
    ep = base.endpoints["items.create"]
    assert ep.request is not None
    batch = dataclasses.replace(ep, request=dataclasses.replace(ep.request, batch=True))
    changed = dataclasses.replace(base, endpoints={**base.endpoints, "items.create": batch})
    _check(compare(base, changed), {"endpoint-batch-changed"})


def test_every_rule_has_a_test() -> None:
    tested = set().union(*(ids for ids, _, _ in CASES.values()))
    source = Path(__file__).read_text(encoding="utf-8")
    tested |= {rule for rule in RULES if f'{{"{rule}"}}' in source}
    assert tested == set(RULES)


# ------------------------------------------------------------------------------ write shapes
# 2.0's write types (requests/write_types.xsd): what the SDK sends, in its order. Edited copies
# of the project's own 2.0 schemas (issue 21, item 7: removing EmailAddress from the Contact
# write type reported no change at all).

V2 = Path(__file__).resolve().parents[2] / "schemas" / "v2.0"
WRITE_TYPES = "requests/write_types.xsd"


def _write_element(name: str, type_: str, doc: str) -> str:
    return (
        f'      <xs:element name="{name}" type="{type_}" minOccurs="0">\n'
        f"        <xs:annotation><xs:documentation>{doc}</xs:documentation></xs:annotation>\n"
        "      </xs:element>\n"
    )


EMAIL = _write_element(
    "EmailAddress", "text255", "Email address of the contact (at most 255 characters)."
)
CONTACT_NUMBER = _write_element(
    "ContactNumber",
    "text50",
    "An API-only external key for the contact (1 to 50 characters); also gets the contact in"
    " GET Contacts/{ContactNumber}.",
)
ACCOUNT_NUMBER = _write_element(
    "AccountNumber",
    "text50",
    "The organisation's own account number for the contact (at most 50 characters).",
)
LANGUAGE = _write_element("PreferredLanguage", "text50", "Language of the contact.")
SKYPE_READ = '          <xs:element name="SkypeUserName" type="xs:string" minOccurs="0">'
SKYPE_WRITE = '      <xs:element name="SkypeUserName" type="xs:string" minOccurs="0">'
WRITE_CASES: dict[str, list[Edit]] = {
    "email-removed": [(WRITE_TYPES, EMAIL, "")],
    "order-swapped": [
        (WRITE_TYPES, CONTACT_NUMBER + ACCOUNT_NUMBER, ACCOUNT_NUMBER + CONTACT_NUMBER)
    ],
    "email-type": [(WRITE_TYPES, EMAIL, EMAIL.replace('"text255"', '"text500"'))],
    # a new element of the read type and of the write type at once
    "language-added": [
        ("types.xsd", SKYPE_READ, LANGUAGE.replace("      <", "          <") + SKYPE_READ),
        (WRITE_TYPES, SKYPE_WRITE, LANGUAGE + SKYPE_WRITE),
    ],
}


@pytest.fixture(scope="module")
def v2_contracts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Contract]:
    root = tmp_path_factory.mktemp("v2")
    found = {"base": load_contract(V2)}
    for case, edits in WRITE_CASES.items():
        found[case] = load_contract(edited_copy(root / case, edits, source=V2))
    return found


def test_write_element_removed_is_breaking(v2_contracts: dict[str, Contract]) -> None:
    changes = compare(v2_contracts["base"], v2_contracts["email-removed"])
    _check(changes, {"write-element-removed"})
    (change,) = changes
    assert change.subject == "field Contact.EmailAddress"
    assert change.level == "breaking" and change.layers == ("wire",)
    assert "v2_0.models.Contact.email_address" in change.symbols
    assert "client.contacts.create(contact=...)" in change.symbols
    # the model still has the element: answers still carry it, nothing else changed
    assert v2_contracts["email-removed"].models["Contact"].field("EmailAddress") is not None


def test_write_element_added_is_dangerous(v2_contracts: dict[str, Contract]) -> None:
    changes = compare(v2_contracts["email-removed"], v2_contracts["base"])
    _check(changes, {"write-element-added"})
    assert changes[0].new == "text255"


def test_write_order_changed_is_safe_where_xero_reads_any_order(
    v2_contracts: dict[str, Contract],
) -> None:
    base, swapped = v2_contracts["base"], v2_contracts["order-swapped"]
    assert base.models["Contact"].any_order  # types.xsd declares Contact as an xs:all
    changes = compare(base, swapped)
    _check(changes, {"write-order-changed"})
    assert changes[0].old is not None and changes[0].new is not None
    assert changes[0].old.startswith("ContactID, ContactNumber, AccountNumber")
    assert changes[0].new.startswith("ContactID, AccountNumber, ContactNumber")
    assert "any order" in RULES["write-order-changed"].summary
    # a server that reads one order (xs:sequence) refuses the old order
    sequence = dataclasses.replace(swapped.models["Contact"], any_order=False)
    strict = dataclasses.replace(swapped, models={**swapped.models, "Contact": sequence})
    _check(compare(base, strict), {"request-field-order-changed"})


def test_write_element_type_changed_is_breaking(v2_contracts: dict[str, Contract]) -> None:
    changes = compare(v2_contracts["base"], v2_contracts["email-type"])
    _check(changes, {"write-element-type-changed"})
    assert (changes[0].old, changes[0].new) == ("text255", "text500")


def test_request_roots(v2_contracts: dict[str, Contract]) -> None:
    base = v2_contracts["base"]
    assert base.requests["Contacts"].item == "Contact"
    without = {k: v for k, v in base.requests.items() if k != "Contacts"}
    removed = dataclasses.replace(base, requests=without)
    changes = compare(base, removed)
    _check(changes, {"request-root-removed"})
    assert changes[0].subject == "request <Contacts>"
    assert "client.contacts.create_many(contacts=...)" in changes[0].symbols
    _check(compare(removed, base), {"request-root-added"})
    single = dataclasses.replace(base.requests["Contacts"], item=None)
    changed = dataclasses.replace(base, requests={**base.requests, "Contacts": single})
    _check(compare(base, changed), {"request-root-changed"})


def test_versions_without_write_schemas_report_no_roots() -> None:
    base = tiny_contract()
    assert base.requests == {} and not any(m.write_type for m in base.models.values())
    assert [w.element for w in base.models["Draft"].writes] == ["Ref", "Title", "Count", "Lines"]


def test_a_new_element_written_at_once_is_dangerous(v2_contracts: dict[str, Contract]) -> None:
    changes = compare(v2_contracts["base"], v2_contracts["language-added"])
    _check(changes, {"write-element-added", "request-field-added", "response-field-added"})
    added = next(c for c in changes if c.id == "write-element-added")
    assert (added.subject, added.level, added.new) == (
        "field Contact.PreferredLanguage",
        "dangerous",
        "text50",
    )
    # the write type writes it: a contact read from an answer sends it back when saved
    contact = v2_contracts["language-added"].models["Contact"]
    assert "PreferredLanguage" in [w.element for w in contact.writes]
    # a version without write types (1.0, tiny) judges a new request field safe, as before
    assert not tiny_contract().models["Draft"].write_type
