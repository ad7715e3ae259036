"""The `xero` command line on API 2.0 (its default): every endpoint is a command, credentials
and entry point come from options or XERO_* variables, --all pages through a list, and
--api-version 1.0 / XERO_API_VERSION switches to 1.0's commands (XERO_V1_BASE_URL)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result
from lxml import etree
from xero_codegen.manifest import load_manifest
from xero_customer_api._runtime import _cli_support as cs
from xero_customer_api.cli import main

from .conftest import FIXTURES, SCHEMAS, schema

TOKEN = "eyJhbGciOiJSUzI1NiJ9.CLI-ACCESS-TOKEN"
TENANT = "b1f7a1c2-3d4e-4f50-8a6b-7c8d9e0f1a2b"
GUID = "8d2e4f60-1a3b-4c5d-8e7f-9a0b1c2d3e4f"
ENV: dict[str, str | None] = {
    "XERO_ACCESS_TOKEN": TOKEN,
    "XERO_TENANT_ID": TENANT,
    "XERO_BASE_URL": "https://xero.test/api.xro/2.0/",
    "XERO_V1_BASE_URL": "https://xero.test/api.xro/1.0/",
    "XERO_API_KEY": "PARTNERKEY0123456789",
    "XERO_CUSTOMER_KEY": "CUSTOMERKEY0123456789",
    "XERO_API_VERSION": None,
    "XERO_CLIENT_ID": None,
    "XERO_CLIENT_SECRET": None,
    "XERO_TOKEN_URL": None,
    "XERO_ENVIRONMENT": None,
    "XERO_CA_BUNDLE": None,
}
MANIFEST = load_manifest(SCHEMAS)


def dashed(name: str) -> str:
    return name.replace("_", "-")


Run = Callable[..., Result]


@pytest.fixture
def xero(
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Callable[..., tuple[Run, list[httpx.Request]]]]:
    def install(
        answers: Callable[[httpx.Request], httpx.Response],
    ) -> tuple[Run, list[httpx.Request]]:
        seen: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            request.read()
            seen.append(request)
            return answers(request)

        def build(settings: cs.Settings, event_hooks: Mapping[str, list[Any]]) -> httpx.Client:
            return httpx.Client(
                transport=httpx.MockTransport(handler), event_hooks=dict(event_hooks)
            )

        monkeypatch.setattr(cs, "build_http_client", build)

        def run(
            *args: str, env: Mapping[str, str | None] | None = None, input: bytes | None = None
        ) -> Result:
            return CliRunner().invoke(
                main,
                ["--max-retries", "0", *args],
                env={**ENV, **(env or {})},
                input=input,
                prog_name="xero",
            )

        return run, seen

    yield install


def answer(fixture: str) -> Callable[[httpx.Request], httpx.Response]:
    body = (FIXTURES / "responses" / fixture).read_bytes()
    return lambda request: httpx.Response(200, content=body, headers={"content-type": "text/xml"})


def test_help_lists_every_2_0_endpoint_and_both_versions() -> None:
    result = CliRunner().invoke(main, ["--help"], env=ENV)
    assert result.exit_code == 0
    for endpoint in MANIFEST["endpoints"]:
        words = [endpoint["resource"], endpoint.get("sub_resource"), endpoint["name"]]
        assert "xero " + " ".join(dashed(w) for w in words if w) in result.output
    for var in (
        "XERO_ACCESS_TOKEN",
        "XERO_CLIENT_ID",
        "XERO_CLIENT_SECRET",
        "XERO_TENANT_ID",
        "XERO_TOKEN_URL",
        "XERO_API_VERSION",
        "XERO_BASE_URL",
        "XERO_V1_BASE_URL",
    ):
        assert var in result.output


@pytest.mark.parametrize(
    "endpoint",
    MANIFEST["endpoints"],
    ids=lambda e: ".".join(w for w in (e["resource"], e.get("sub_resource"), e["name"]) if w),
)
def test_every_endpoint_is_a_command_with_its_options(endpoint: dict[str, Any]) -> None:
    words = [endpoint["resource"], endpoint.get("sub_resource"), endpoint["name"]]
    if endpoint.get("cli_command"):  # a command of the parent's group: xero invoices history
        words = [endpoint["resource"], endpoint["cli_command"]]
    result = CliRunner().invoke(main, [*(dashed(w) for w in words if w), "--help"], env=ENV)
    assert result.exit_code == 0, result.output
    positional = endpoint.get("cli_arguments", [])
    for param in [
        *endpoint.get("query", []),
        *endpoint.get("headers", []),
        *endpoint.get("path_params", []),
    ]:
        if param["name"] in positional:  # xero invoices history INVOICE_ID
            assert param["name"].upper() in result.output
            assert f"--{dashed(param['name'])}" not in result.output
        elif endpoint.get("request", {}).get("binary") and param["name"] == "file_name":
            assert "--name" in result.output  # an upload's file name (FILE's own by default)
        else:
            assert f"--{dashed(param['name'])}" in result.output
    assert f"HTTP: {endpoint['method']} {endpoint['path']}" in " ".join(result.output.split())
    if endpoint.get("paging"):
        assert "--all" in result.output


def test_list_sends_typed_filters_credentials_and_tenant(xero: Any) -> None:
    run, seen = xero(answer("contacts_response/page_of_two.xml"))
    result = run(
        "contacts",
        "list",
        "--ids",
        GUID,
        "--ids",
        GUID.upper(),
        "--include-archived",
        "--page",
        "2",
        "--page-size",
        "10",
        "--search-term",
        "press",
        "--modified-since",
        "2026-07-01T13:04:05+12:00",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    assert [c["name"] for c in json.loads(result.stdout)] == [
        "Pohutukawa Press Ltd",
        "Rimu Freight",
    ]
    (request,) = seen
    assert str(request.url).startswith("https://xero.test/api.xro/2.0/Contacts?")
    assert list(request.url.params.multi_items()) == [
        ("IDs", f"{GUID},{GUID}"),
        ("page", "2"),
        ("pageSize", "10"),
        ("includeArchived", "true"),
        ("searchTerm", "press"),
    ]
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["xero-tenant-id"] == TENANT
    assert request.headers["If-Modified-Since"] == "2026-07-01T01:04:05"


def test_all_pages_through_the_list(xero: Any) -> None:
    template = (FIXTURES / "responses/contacts_response/page_of_two.xml").read_bytes()
    empty = (FIXTURES / "responses/contacts_response/empty.xml").read_bytes()

    root = etree.fromstring(template)  # page 2: the same contacts in the other order
    root.find("Contacts")[:] = list(reversed(root.find("Contacts")))
    second = etree.tostring(root)

    def pages(request: httpx.Request) -> httpx.Response:
        page = request.url.params["page"]
        body = template if page == "1" else second if page == "2" else empty
        return httpx.Response(200, content=body, headers={"content-type": "text/xml"})

    run, seen = xero(pages)
    result = run("contacts", "list", "--all", "--page-size", "2", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 4
    assert [r.url.params["page"] for r in seen] == ["1", "2", "3"]


def test_get_by_number_and_delete_with_a_status(xero: Any) -> None:
    run, seen = xero(answer("invoices_response/voided.xml"))
    result = run(
        "invoices",
        "delete",
        "--invoice-number",
        "INV-0107",
        "--status",
        "VOIDED",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == "VOIDED"  # one record: an object
    assert seen[0].method == "POST" and seen[0].url.path == "/api.xro/2.0/Invoices/INV-0107"
    assert etree.fromstring(seen[0].content).findtext("Status") == "VOIDED"
    assert "Idempotency-Key" in seen[0].headers
    run("contacts", "get", "--contact-number", "KB-0007")
    assert seen[1].url.path == "/api.xro/2.0/Contacts/KB-0007"
    usage = run("contacts", "get")
    assert usage.exit_code == 2 and "exactly one" in usage.output


def test_create_reads_json_or_xml_and_writes_the_request_shape(xero: Any) -> None:
    contacts = answer("contacts_response/batch_mixed_statuses.xml")
    options = answer("options_response/created.xml")
    run, seen = xero(
        lambda request: (
            options(request) if request.url.path.endswith("/Options") else contacts(request)
        )
    )
    document = json.dumps(
        [{"name": "Tui Bakery", "is_customer": True}, {"name": "Kowhai Cycles Ltd"}]
    )
    result = run(
        "contacts", "save-many", "--summarize-errors", "--format", "json", input=document.encode()
    )
    assert result.exit_code == 0, result.output
    body = etree.fromstring(seen[0].content)
    assert body.tag == "Contacts" and [c.findtext("Name") for c in body] == [
        "Tui Bakery",
        "Kowhai Cycles Ltd",
    ]
    assert body.find("Contact/IsCustomer") is None  # read-only: never sent
    assert schema("requests", "contacts_request").validate(body)
    xml = (FIXTURES / "requests/tracking_categories_request/option.xml").read_bytes()
    result = run("tracking-categories", "create-option", "--tracking-category-id", GUID, input=xml)
    assert result.exit_code == 0, result.output
    assert seen[1].method == "PUT"
    assert seen[1].url.path == f"/api.xro/2.0/TrackingCategories/{GUID}/Options"
    assert etree.fromstring(seen[1].content).tag == "Option"
    bad = run(
        "tracking-categories", "create-option", "--tracking-category-id", GUID, input=b"<Account/>"
    )
    assert bad.exit_code == 2 and "<Option>" in bad.output


def test_credentials_missing_or_from_client_id_and_secret(xero: Any) -> None:
    run, seen = xero(answer("accounts_response/chart.xml"))
    missing = run("accounts", "list", env={"XERO_ACCESS_TOKEN": None})
    assert missing.exit_code == 3 and "XERO_ACCESS_TOKEN" in missing.output and seen == []


def test_api_version_1_0_by_option_or_variable(xero: Any) -> None:
    head = (
        b"<Response><ID>1</ID><Status>OK</Status><ProviderName>P</ProviderName>"
        b"<DateTimeUTC>2026-01-01T00:00:00Z</DateTimeUTC>"
    )
    payloads = {"/api.xro/1.0/accounts": b"<Accounts/>", "/api.xro/1.0/tracking": b"<Tracking/>"}

    def answer_1_0(request: httpx.Request) -> httpx.Response:
        body = head + payloads[request.url.path] + b"</Response>"
        return httpx.Response(200, content=body, headers={"content-type": "text/xml"})

    run, seen = xero(answer_1_0)
    for args, env in ((["--api-version", "1.0"], {}), ([], {"XERO_API_VERSION": "1.0"})):
        result = run(*args, "accounts", "list", "--format", "json", env=env)
        assert result.exit_code == 0, result.output
        assert seen[-1].url.path == "/api.xro/1.0/accounts"
        assert "apiKey" in seen[-1].url.params and "Authorization" not in seen[-1].headers
    tracking = run("--api-version", "1.0", "tracking", "list")
    assert tracking.exit_code == 0
    assert run("tracking", "list").exit_code == 2  # 2.0 has tracking-categories instead


def test_raw_output_hides_the_token(xero: Any) -> None:
    run, _ = xero(answer("accounts_response/chart.xml"))
    result = run("accounts", "list", "--raw")
    assert result.exit_code == 0, result.output
    assert TOKEN not in result.output
    assert "authorization: bearer ***" in result.output.lower()


def test_export_pages_through_everything(xero: Any) -> None:
    template = (FIXTURES / "responses/contacts_response/page_of_two.xml").read_bytes()
    empty = (FIXTURES / "responses/contacts_response/empty.xml").read_bytes()

    def pages(request: httpx.Request) -> httpx.Response:
        body = template if request.url.params["page"] == "1" else empty
        return httpx.Response(200, content=body, headers={"content-type": "text/xml"})

    run, seen = xero(pages)
    result = run(
        "contacts", "export", "--page-size", "2", "--modified-since", "2026-07-01T00:00:00Z"
    )
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["name"] for line in result.stdout.splitlines()] == [
        "Pohutukawa Press Ltd",
        "Rimu Freight",
    ]
    assert [r.url.params["page"] for r in seen] == ["1", "2"]
    assert all(r.headers["If-Modified-Since"] == "2026-07-01T00:00:00" for r in seen)


def test_import_isolates_the_rows_xero_refuses(xero: Any, tmp_path: Any) -> None:
    refusal = (FIXTURES / "responses/api_exception/validation_invoice_echo.xml").read_bytes()
    header = (
        b'<Response xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Id>1</Id>'
        b"<Status>OK</Status><ProviderName>P</ProviderName>"
        b"<DateTimeUTC>2026-07-01T00:00:00Z</DateTimeUTC><Contacts>"
    )

    def save(request: httpx.Request) -> httpx.Response:
        body = etree.fromstring(request.content)
        contacts = [body] if body.tag == "Contact" else list(body)
        if any(c.findtext("Name") == "BAD" for c in contacts):
            return httpx.Response(400, content=refusal, headers={"content-type": "text/xml"})
        answer = header + b"".join(etree.tostring(c) for c in contacts) + b"</Contacts></Response>"
        return httpx.Response(200, content=answer, headers={"content-type": "text/xml"})

    run, seen = xero(save)
    rows = tmp_path / "contacts.csv"
    rows.write_text("Name,EmailAddress\nTui Bakery,a@tui.example\nBAD,b@x.example\nKowhai,\n")
    result = run("contacts", "import", str(rows), "--format", "jsonl")
    assert result.exit_code == 5, result.output
    assert [json.loads(line)["name"] for line in result.stdout.splitlines()] == [
        "Tui Bakery",
        "Kowhai",
    ]
    assert "row 3: rejected" in result.stderr
    assert {r.method for r in seen} == {"POST"} and all(
        r.url.path.endswith("/Contacts") for r in seen
    )


CONNECTIONS = [
    {
        "id": "e1eede29-f875-4a5d-8470-17f6a29a88b1",
        "authEventId": "d99ecdfe-391d-43d2-b834-17636ba90e8d",
        "tenantId": TENANT,
        "tenantType": "ORGANISATION",
        "tenantName": "Kowhai Cycles",
        "createdDateUtc": "2026-07-01T02:13:44.0000000",
        "updatedDateUtc": "2026-07-01T02:13:44.0000000",
    }
]


def test_connections_lists_the_tenants_the_token_reaches(xero: Any) -> None:
    run, seen = xero(lambda request: httpx.Response(200, json=CONNECTIONS))
    done = run("connections", "--format", "json", env={"XERO_TENANT_ID": None})
    assert done.exit_code == 0, done.output
    [listed] = json.loads(done.stdout)
    assert listed["tenant_id"] == TENANT and listed["tenant_name"] == "Kowhai Cycles"
    [request] = seen
    assert request.method == "GET" and request.url.path.endswith("/connections")
    assert "xero-tenant-id" not in request.headers  # a tenantless call
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    table = run("connections", "--format", "table")
    assert table.exit_code == 0 and "Kowhai Cycles" in table.stdout
    assert TOKEN not in table.output


def test_connections_refuses_xml_and_is_not_a_1_0_command(xero: Any) -> None:
    run, _ = xero(lambda request: httpx.Response(200, json=CONNECTIONS))
    xml = run("connections", "--format", "xml")
    assert xml.exit_code != 0 and "JSON, not XML" in xml.output
    old = run("--api-version", "1.0", "connections")
    assert old.exit_code == 2 and "No such command" in old.output


def test_connections_with_a_revoked_token_is_an_auth_error(xero: Any) -> None:
    problem = {"Type": None, "Title": "Unauthorized", "Status": 401, "Detail": "TokenExpired"}
    run, _ = xero(lambda request: httpx.Response(401, json=problem))
    done = run("connections")
    assert done.exit_code != 0 and TOKEN not in done.output


def test_journals_all_walks_by_offset_and_quotes_take_dates(xero: Any) -> None:
    def journals(numbers: range) -> bytes:
        items = "".join(f"<Journal><JournalNumber>{n}</JournalNumber></Journal>" for n in numbers)
        return f"<Response><Status>OK</Status><Journals>{items}</Journals></Response>".encode()

    def answers(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/Journals"):
            start = int(request.url.params["offset"])
            body = journals(range(start + 1, start + 101) if start < 100 else range(101, 104))
        else:
            body = (FIXTURES / "responses/quotes_response/empty.xml").read_bytes()
        return httpx.Response(200, content=body, headers={"content-type": "text/xml"})

    run, seen = xero(answers)
    result = run("journals", "list", "--all", "--offset", "0", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["journal_number"] for line in result.stdout.splitlines()] == list(
        range(1, 104)
    )
    assert [r.url.params["offset"] for r in seen] == ["0", "100"]
    result = run("quotes", "list", "--date-from", "2026-07-01", "--format", "json")
    assert result.exit_code == 0, result.output
    assert seen[-1].url.params["DateFrom"] == "2026-07-01"
    refused = run("quotes", "list", "--date-from", "2026-07-01T00:00:00Z")
    assert refused.exit_code != 0 and "is not a date" in refused.output


def test_no_content_and_nested_commands(xero: Any) -> None:
    run, seen = xero(lambda request: httpx.Response(204))
    result = run("items", "delete", "--item-id", GUID)
    assert (result.exit_code, result.stdout) == (0, "")
    result = run(
        "contact-groups", "contacts", "remove", "--contact-group-id", GUID, "--contact-id", GUID
    )
    assert (result.exit_code, result.stdout) == (0, "")
    result = run("contact-groups", "contacts", "remove-all", "--contact-group-id", GUID)
    assert result.exit_code == 0, result.output
    assert [(r.method, r.url.path) for r in seen] == [
        ("DELETE", f"/api.xro/2.0/Items/{GUID}"),
        ("DELETE", f"/api.xro/2.0/ContactGroups/{GUID}/Contacts/{GUID}"),
        ("DELETE", f"/api.xro/2.0/ContactGroups/{GUID}/Contacts"),
    ]
