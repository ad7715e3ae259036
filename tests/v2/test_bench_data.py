"""The 2.0 benchmark's pieces (bench/): documents, the paged loopback server, the figure filter.

The bench's figures are only worth something if both sides decode the same data: the XML
validates against our 2.0 response XSDs and decodes to the models it was built from (SDK codec
and xsdata alike), and xero-python reads the JSON twin to the same values (skipped when the
bench-only extra is not installed). The paged server honours page/pageSize and the 2.0 auth
headers, so `iter()` across its pages is the real paging path.
"""

from __future__ import annotations

import json
import tomllib

import httpx
import pytest
from xero_customer_api import AuthenticationError, PermissionDeniedError
from xero_customer_api._runtime._xml import bind, parse_document
from xero_customer_api.v2_0 import XeroClient, _codec
from xero_customer_api.v2_0 import models as m

from bench import data_v2, official
from bench.__main__ import FIGURES, selected
from bench.server import BENCH_TENANT, BENCH_TOKEN, BytesServer

from .conftest import ROOT, schema


@pytest.mark.parametrize("lean", [False, True])
def test_invoices_xml_is_valid_and_decodes_to_what_it_was_built_from(lean: bool) -> None:
    xml = data_v2.invoices_xml(4, lean=lean)
    assert (b"<ValidationErrors/>" in xml) is not lean and (b"<Warnings/>" in xml) is not lean
    schema("responses", "invoices_response").assertValid(parse_document(xml))
    expected = data_v2.invoices_response(4)
    decoded = _codec.DECODERS[m.InvoicesResponse](parse_document(xml), False)
    assert decoded == expected
    assert bind(parse_document(xml), m.InvoicesResponse) == expected
    first = expected.invoices[1]
    assert len(first.line_items) == 3
    assert first.total == first.sub_total + first.total_tax  # type: ignore[operator]
    assert first.updated_date_utc is not None and first.updated_date_utc.utcoffset() is not None


def test_invoices_json_is_xeros_shape() -> None:
    document = json.loads(data_v2.invoices_json(2))
    assert {"Id", "Status", "ProviderName", "DateTimeUTC", "Invoices"} <= document.keys()
    invoice = document["Invoices"][1]
    assert invoice["Date"] == "/Date(1706832000000+0000)/"  # 2024-02-02, midnight UTC
    assert invoice["DateString"] == "2024-02-02T00:00:00"
    assert invoice["UpdatedDateUTC"] == "/Date(1709285400123+0000)/"
    assert [li["LineItemID"] for li in invoice["LineItems"]] == [
        li.line_item_id for li in data_v2.invoice(1).line_items
    ]


@pytest.mark.parametrize("lean", [False, True])
def test_xero_python_reads_the_json_to_the_sdks_values(lean: bool) -> None:
    pytest.importorskip("xero_python", reason="xero-python is the bench-only extra ([bench])")
    n = 5
    xml, body = data_v2.invoices_xml(n, lean=lean), data_v2.invoices_json(n, lean=lean)
    assert (b'"Warnings":[]' in body) is not lean
    ours = _codec.DECODERS[m.InvoicesResponse](parse_document(xml), False)
    theirs = official.InvoicesDeserializer().deserialize(body)
    assert type(theirs).__name__ == "Invoices" and len(theirs.invoices) == n
    assert official.differences(ours, theirs) == []
    # the comparison can fail: one changed amount is reported, naming the field
    tax = theirs.invoices[3].line_items[2].tax_amount
    ours.invoices[3].line_items[2].tax_amount = tax + 1
    assert official.differences(ours, theirs) == [
        f"invoices[3].line_items[2].tax_amount: SDK {tax + 1!r}, xero-python {tax!r}"
    ]


def test_contacts_pages_split_the_total() -> None:
    def ids(page: int, size: int) -> list[str | None]:
        body = data_v2.contacts_page(page, size, 7)
        schema("responses", "contacts_response").assertValid(parse_document(body))
        decoded = _codec.DECODERS[m.ContactsResponse](parse_document(body), False)
        return [c.contact_number for c in decoded.contacts]

    assert ids(1, 3) == ["CUST-000000", "CUST-000001", "CUST-000002"]
    assert ids(3, 3) == ["CUST-000006"]
    assert ids(4, 3) == []


def test_iter_pages_through_the_bench_server_with_the_2_0_auth_headers() -> None:
    server = BytesServer()
    try:
        server.pages["Contacts"] = lambda page, size: data_v2.contacts_page(page, size, 7)
        with XeroClient(
            access_token=BENCH_TOKEN, tenant_id=BENCH_TENANT, base_url=server.base_url_v2
        ) as client:
            got = [c.contact_number for c in client.contacts.iter(page_size=3)]
            assert got == [f"CUST-{i:06d}" for i in range(7)]
            assert server.requests == 3  # pages 1, 2 and the short page 3
            assert len(client.contacts.list()) == 7  # no pageSize: Xero's default of 100
            with pytest.raises(PermissionDeniedError):
                client.contacts.list(page=1, tenant_id="0b0b0b0b-0000-4000-8000-000000000000")
        with (
            XeroClient(
                access_token="wrong-token-value",
                tenant_id=BENCH_TENANT,
                base_url=server.base_url_v2,
            ) as client,
            pytest.raises(AuthenticationError),
        ):
            client.contacts.list(page=1)
        bad = httpx.get(server.base_url_v2 + "Contacts?page=0", headers=_auth())
        assert bad.status_code == 400
    finally:
        server.close()


def _auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {BENCH_TOKEN}", "xero-tenant-id": BENCH_TENANT}


def test_bench_only_selects_figures_in_table_order() -> None:
    assert selected(None) == list(FIGURES) == selected(" ")
    assert selected("v2-stream, v2-decode") == ["v2-decode", "v2-stream"]
    with pytest.raises(SystemExit, match=r"no figure named v3-nope; the figures are v1-codec"):
        selected("v2-decode,v3-nope")


def test_xero_python_is_a_bench_only_extra() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not any("xero-python" in dep for dep in project["dependencies"])
    assert project["optional-dependencies"]["bench"] == ["xero-python==15.2.0"]
    dev = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")
    assert "xero-python" not in dev and "[bench]" not in dev


@pytest.mark.parametrize("lean", [False, True])
def test_both_documents_carry_the_same_empty_lists(lean: bool) -> None:
    """Fairness: every empty wrapper of the XML is an empty list in the JSON, entity by entity."""
    invoice_el = parse_document(data_v2.invoices_xml(1, lean=lean)).find("Invoices/Invoice")
    assert invoice_el is not None
    invoice_js = json.loads(data_v2.invoices_json(1, lean=lean))["Invoices"][0]

    def empty_wrappers(el: object) -> set[str]:
        return {c.tag for c in el if len(c) == 0 and not (c.text or "").strip()}  # type: ignore[attr-defined]

    def empty_lists(obj: dict[str, object]) -> set[str]:
        return {k for k, v in obj.items() if v == []}

    for xml_el, js in (
        (invoice_el, invoice_js),
        (invoice_el.find("Contact"), invoice_js["Contact"]),
        (invoice_el.find("LineItems/LineItem"), invoice_js["LineItems"][0]),
    ):
        assert xml_el is not None
        wrappers = empty_wrappers(xml_el)
        assert wrappers and wrappers <= empty_lists(js), wrappers - empty_lists(js)
        has_messages = bool(set(data_v2.ENTITY_MESSAGES) & (wrappers | empty_lists(js)))
        assert has_messages is not lean
