"""The 2.0 SDK against the sandbox's /api.xro/2.0/ over real sockets, sync and async: both
OAuth flows, tenants, paging, filters, batches, idempotent retries, rate limits, errors."""

from __future__ import annotations

import datetime
import time
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from xero_customer_api import (
    AsyncXeroClient,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    ValidationError,
    XeroClient,
    aexchange_code,
    authorization_url,
    exchange_code,
    field,
)
from xero_customer_api.v2_0 import models
from xero_sandbox.process import RunningSandbox, launch

from .browser import Page
from .test_e2e_oauth import Callback

pytestmark = pytest.mark.e2e

SCOPES = ["offline_access", "accounting.transactions", "accounting.contacts", "accounting.settings"]
Factory = Callable[..., XeroClient]


@pytest.fixture
def callback() -> Iterator[Callback]:
    server = Callback()
    yield server
    server.close()


@pytest.fixture
def v2(sandbox: RunningSandbox) -> Iterator[Factory]:
    """``v2(**overrides)``: a 2.0 client of the demo app's custom connection (client
    credentials) to the Demo Company, trusting the sandbox CA."""
    opened: list[httpx.Client] = []

    def make(sb: RunningSandbox | None = None, **overrides: Any) -> XeroClient:
        target = sb or sandbox
        http = httpx.Client(verify=target.verify())
        opened.append(http)
        options: dict[str, Any] = {
            "client_id": target.client_id,
            "client_secret": target.client_secret,
            "tenant_id": target.tenant_id,
            "token_url": target.token_url,
            "base_url": target.v2_base_url,
            "http_client": http,
            **overrides,
        }
        return XeroClient(**options)

    yield make
    for http in opened:
        http.close()


def invoice(contact: models.Contact, *lines: tuple[str, str], **fields: Any) -> models.Invoice:
    """An ACCREC invoice with lines of (quantity, unit amount) on account 200."""
    return models.Invoice(
        type=models.InvoiceType.ACCREC,
        contact=models.Contact(contact_id=contact.contact_id),
        date=datetime.date(2026, 7, 1),
        due_date=datetime.date(2026, 7, 20),
        line_amount_types=models.LineAmountTypes.EXCLUSIVE,
        line_items=[
            models.LineItem(
                description=f"Item {n}",
                quantity=Decimal(q),
                unit_amount=Decimal(u),
                account_code="200",
                tax_type="OUTPUT2",
                tracking=[models.LineItemTracking(name="Region", option="North")],
            )
            for n, (q, u) in enumerate(lines or (("2", "120.00"),), start=1)
        ],
        **fields,
    )


def limits_hook(sandbox: RunningSandbox, tenant: str, **used: int) -> None:
    with httpx.Client(verify=sandbox.verify(), base_url=sandbox.root_url) as http:
        answer = http.post(
            "/_sandbox/limits", json={"client_id": sandbox.client_id, "tenant_id": tenant, **used}
        )
        assert answer.status_code == 200, answer.text


def fault(sandbox: RunningSandbox, **spec: Any) -> None:
    with httpx.Client(verify=sandbox.verify(), base_url=sandbox.root_url) as http:
        assert http.post("/_sandbox/faults", json=spec).status_code == 201


def stats(sandbox: RunningSandbox) -> dict[str, int]:
    with httpx.Client(verify=sandbox.verify(), base_url=sandbox.root_url) as http:
        counts: dict[str, int] = http.get("/_sandbox/stats").json()["requests"]
    return counts


# ----------------------------------------------------------------------------- basics


def test_client_credentials_create_read_and_compute_totals(
    sandbox: RunningSandbox, v2: Factory, unique: str
) -> None:
    client = v2()
    assert [c.tenant_id for c in client.connections()] == [sandbox.tenant_id]
    contact = client.contacts.create(
        models.Contact(name=f"Harbour Lights {unique}", contact_number=f"HL-{unique}")
    )
    assert contact.contact_id and contact.contact_status is models.ContactStatus.ACTIVE
    made = client.invoices.create(invoice(contact, ("2", "120.00"), ("1", "10.50")))
    assert (made.sub_total, made.total_tax, made.total) == (
        Decimal("250.50"),
        Decimal("37.58"),
        Decimal("288.08"),
    )
    assert made.status is models.InvoiceStatus.DRAFT and made.invoice_number
    assert made.line_items[0].tracking[0].tracking_option_id  # ids filled in by the server
    again = client.invoices.get(invoice_number=made.invoice_number)
    assert again.invoice_id == made.invoice_id and len(again.line_items) == 2
    assert client.contacts.get(contact_number=f"HL-{unique}").contact_id == contact.contact_id
    assert client.contacts.get(contact_id=contact.contact_id or "").name == contact.name
    # 1.0 sees the same records in its own names
    accounts = client.accounts.list()
    assert any(a.code == "090" and a.type is models.AccountType.BANK for a in accounts)


def test_1_0_and_2_0_see_the_same_records(
    v2: Factory, make_client: Callable[..., Any], unique: str
) -> None:
    contact = v2().contacts.create(models.Contact(name=f"Both Versions {unique}"))
    old = make_client()
    seen = old.contacts.get(contact_id=contact.contact_id or "")
    assert seen.name == contact.name
    made = v2().invoices.create(invoice(contact, ("3", "5.00")))
    v1_invoice = old.invoices.get(invoice_id=made.invoice_id or "")
    assert v1_invoice.invoice_number == made.invoice_number
    assert v1_invoice.invoice_type.value == "ACCREC" and v1_invoice.invoice_status.value == "DRAFT"


def raw_v2(sandbox: RunningSandbox, tenant: str | None = None) -> httpx.Client:
    """A plain httpx client with a client-credentials token and the tenant header."""
    answer = httpx.post(
        sandbox.token_url,
        data={"grant_type": "client_credentials"},
        auth=(sandbox.client_id, sandbox.client_secret),
        verify=sandbox.verify(),
    )
    answer.raise_for_status()
    return httpx.Client(
        base_url=sandbox.v2_base_url,
        verify=sandbox.verify(),
        headers={
            "Authorization": f"Bearer {answer.json()['access_token']}",
            "xero-tenant-id": tenant or sandbox.tenant_id,
        },
    )


def test_totals_sent_must_add_up_and_errors_are_summarised(
    sandbox: RunningSandbox, unique: str
) -> None:
    body = (
        "<Invoices><Invoice><Type>ACCREC</Type><Contact><Name>Totals "
        + unique
        + "</Name></Contact><LineItems><LineItem><Description>Lamp</Description>"
        "<Quantity>1</Quantity><UnitAmount>10.00</UnitAmount><AccountCode>200</AccountCode>"
        "<LineAmount>99.00</LineAmount></LineItem></LineItems></Invoice></Invoices>"
    )
    with raw_v2(sandbox) as http:
        refused = http.put("Invoices", content=body)
        assert refused.status_code == 400, refused.text
        assert refused.headers["content-type"].startswith("text/xml")
        assert b"<ErrorNumber>10</ErrorNumber>" in refused.content
        assert b'<DataContractBase xsi:type="Invoice">' in refused.content
        assert b"<InvoiceID>00000000-0000-0000-0000-000000000000</InvoiceID>" in refused.content
        assert b"LineAmount 99.00 does not equal Quantity x UnitAmount (10.00)" in refused.content
        # read-only totals are not part of a request: an unknown element is refused
        unknown = http.put(
            "Invoices", content=body.replace("</LineItems>", "</LineItems><Tot>1</Tot>")
        )
        assert unknown.status_code == 400 and b"PostDataInvalidException" in unknown.content
        ok = http.put("Invoices", content=body.replace("99.00", "10.00"))
        assert ok.status_code == 200 and b"<Total>11.25</Total>" in ok.content  # 12.5% tax
        assert ok.headers["x-minlimit-remaining"] and ok.headers["x-daylimit-remaining"]
        # the same key and request: the stored answer again, nothing written twice
        key = {"Idempotency-Key": "k-" + unique}
        first = http.put("Invoices", content=body.replace("99.00", "10.00"), headers=key)
        replay = http.put("Invoices", content=body.replace("99.00", "10.00"), headers=key)
        assert replay.content == first.content
        other = http.post("Invoices", content=body.replace("99.00", "10.00"), headers=key)
        assert other.status_code == 400 and b"Idempotency" in other.content
        too_long = http.put("Invoices", content=body, headers={"Idempotency-Key": "x" * 129})
        assert too_long.status_code == 400
        missing = http.get("Contacts/" + str(uuid.uuid4()))
        assert missing.status_code == 404
        assert missing.headers["content-type"].startswith("text/html")
        assert missing.text == "The resource you're looking for cannot be found"


def test_summarize_errors_both_ways(v2: Factory, unique: str) -> None:
    client = v2()
    contact = client.contacts.create(models.Contact(name=f"Batch {unique}"))
    good = invoice(contact, ("1", "10.00"), reference=f"good-{unique}")
    bad = invoice(contact, ("1", "10.00"), reference=f"bad-{unique}")
    bad.line_items[0].account_code = "999"
    with pytest.raises(ValidationError, match="may have been saved") as summarised:
        client.invoices.create_many([good, bad], summarize_errors=True)
    assert [e.xsi_type for e in summarised.value.elements] == ["Invoice"]
    assert "Account code '999'" in summarised.value.elements[0].validation_errors[0]

    result = client.invoices.create_many([good, bad])  # summarize_errors=False by default
    assert [item.status for item in result.items] == ["OK", "ERROR"]
    assert len(result.succeeded) == 1 and len(result.failed) == 1
    assert result.failed[0].item.invoice_id == "00000000-0000-0000-0000-000000000000"
    assert "999" in result.failed[0].validation_errors[0]
    assert result.succeeded[0].item.invoice_id != "00000000-0000-0000-0000-000000000000"


def test_status_transitions_delete_void_and_payments(v2: Factory, unique: str) -> None:
    client = v2()
    contact = client.contacts.create(models.Contact(name=f"Lifecycle {unique}"))
    draft = client.invoices.create(invoice(contact, ("1", "100.00")))
    deleted = client.invoices.delete(invoice_id=draft.invoice_id, status="DELETED")
    assert deleted.status is models.InvoiceStatus.DELETED

    approved = client.invoices.create(
        invoice(contact, ("1", "100.00"), status=models.InvoiceStatus.AUTHORISED)
    )
    bank = next(a for a in client.accounts.list() if a.code == "090")
    paid = client.payments.create(
        models.Payment(
            invoice=models.Invoice(invoice_id=approved.invoice_id),
            account=models.Account(account_id=bank.account_id),
            date=datetime.date(2026, 7, 2),
            amount=Decimal("115.00"),
        )
    )
    after = client.invoices.get(invoice_id=approved.invoice_id)
    assert after.status is models.InvoiceStatus.PAID and after.amount_due == Decimal("0.00")
    with pytest.raises(ValidationError):  # a paid invoice cannot be voided
        client.invoices.delete(invoice_id=approved.invoice_id, status="VOIDED")
    client.payments.delete(payment_id=paid.payment_id or "")
    assert (
        client.invoices.get(invoice_id=approved.invoice_id).status
        is models.InvoiceStatus.AUTHORISED
    )
    voided = client.invoices.delete(invoice_id=approved.invoice_id, status="VOIDED")
    assert voided.status is models.InvoiceStatus.VOIDED


def test_accounts_and_tracking_options(v2: Factory, unique: str) -> None:
    client = v2()
    code = unique[:6].upper()
    account = client.accounts.create(
        models.Account(code=code, name=f"Sundry {unique}", type=models.AccountType.EXPENSE)
    )
    assert account.class_ is models.AccountClass.EXPENSE
    renamed = client.accounts.save(
        models.Account(name=f"Sundries {unique}"), account_id=account.account_id or ""
    )
    assert renamed.name == f"Sundries {unique}" and renamed.code == code
    assert (
        client.accounts.delete(account_id=account.account_id or "").status
        is models.AccountStatus.DELETED
    )
    with pytest.raises(NotFoundError):
        client.accounts.get(account_id=account.account_id or "")
    region = next(c for c in client.tracking_categories.list() if c.name == "Region")
    option = client.tracking_categories.create_option(
        models.TrackingOption(name=f"Far North {unique}"),
        tracking_category_id=region.tracking_category_id or "",
    )
    archived = client.tracking_categories.save_option(
        models.TrackingOption(status=models.TrackingStatus.ARCHIVED),
        tracking_category_id=region.tracking_category_id or "",
        tracking_option_id=option.tracking_option_id or "",
    )
    assert archived.status is models.TrackingStatus.ARCHIVED
    listed = next(c for c in client.tracking_categories.list() if c.name == "Region")
    assert f"Far North {unique}" not in [o.name for o in listed.options]
    with_archived = client.tracking_categories.list(include_archived=True)
    assert f"Far North {unique}" in [
        o.name for c in with_archived if c.name == "Region" for o in c.options
    ]


# ----------------------------------------------------------------------------- reads


@pytest.fixture(scope="module")
def big_org(sandbox: RunningSandbox, sandbox_db: Path) -> dict[str, str]:
    """An organisation of its own with 2,500 invoices (3 lines each), reached by an app
    whose custom connection is that organisation."""
    from .conftest import exports, run_cli

    tag = uuid.uuid4().hex[:8]
    org = exports(run_cli("keys", "add-org", "--db", str(sandbox_db), "--name", f"Big {tag}"))
    app = exports(
        run_cli(
            "keys", "add-app", "--db", str(sandbox_db), "--name", f"Big App {tag}",
            "--tenant-id", org["XERO_TENANT_ID"],
        )
    )  # fmt: skip
    with httpx.Client(verify=sandbox.verify()) as http:
        client = XeroClient(
            client_id=app["XERO_CLIENT_ID"],
            client_secret=app["XERO_CLIENT_SECRET"],
            tenant_id=org["XERO_TENANT_ID"],
            token_url=sandbox.token_url,
            base_url=sandbox.v2_base_url,
            http_client=http,
        )
        contact = client.contacts.create(models.Contact(name="Bulk Buyer"))
        batch = [
            invoice(contact, ("1", "10.00"), ("2", "5.00"), ("3", "1.25"), reference=f"R{n:04d}")
            for n in range(2500)
        ]
        for start in range(0, len(batch), 50):
            client.invoices.create_many(batch[start : start + 50])
    return {"tenant_id": org["XERO_TENANT_ID"], **app}


def big_client(sandbox: RunningSandbox, big_org: dict[str, str], http: Any) -> Any:
    cls = AsyncXeroClient if isinstance(http, httpx.AsyncClient) else XeroClient
    return cls(
        client_id=big_org["XERO_CLIENT_ID"],
        client_secret=big_org["XERO_CLIENT_SECRET"],
        tenant_id=big_org["tenant_id"],
        token_url=sandbox.token_url,
        base_url=sandbox.v2_base_url,
        http_client=http,
    )


def test_iter_pages_through_2500_invoices_with_lines(
    sandbox: RunningSandbox, big_org: dict[str, str]
) -> None:
    with httpx.Client(verify=sandbox.verify()) as http:
        client = big_client(sandbox, big_org, http)
        seen = 0
        references = set()
        for item in client.invoices.iter():
            assert len(item.line_items) == 3
            references.add(item.reference)
            seen += 1
        assert seen == 2500 and len(references) == 2500
        unpaged = client.invoices.list()
        assert len(unpaged) == 2500 and all(i.line_items == [] for i in unpaged)
        page = client.invoices.list(page=3, page_size=1000)
        assert len(page) == 500 and page[0].reference == "R2000"


@pytest.mark.asyncio
async def test_async_iter_and_where_order(sandbox: RunningSandbox, big_org: dict[str, str]) -> None:
    async with httpx.AsyncClient(verify=sandbox.verify()) as http:
        client = big_client(sandbox, big_org, http)
        count = 0
        async for item in client.invoices.iter(page_size=500):
            count += 1
            assert item.line_items
        assert count == 2500
        chosen = await client.invoices.list(
            where=field("Reference").starts_with("R249") & field("Total").gt(Decimal("20")),
            order="Reference DESC",
        )
        assert [i.reference for i in chosen] == [f"R{n}" for n in range(2499, 2489, -1)]


def test_modified_since_and_list_filters(v2: Factory, unique: str) -> None:
    client = v2()
    contact = client.contacts.create(models.Contact(name=f"Since {unique}"))
    first = client.invoices.create(invoice(contact, ("1", "1.00"), reference=f"A-{unique}"))
    assert first.updated_date_utc is not None
    time.sleep(1.05)  # If-Modified-Since has second precision
    mark = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    second = client.invoices.create(invoice(contact, ("1", "2.00"), reference=f"B-{unique}"))
    newer = client.invoices.list(modified_since=mark, contact_ids=[contact.contact_id or ""])
    assert [i.invoice_id for i in newer] == [second.invoice_id]
    both = client.invoices.list(ids=[first.invoice_id or "", second.invoice_id or ""])
    assert {i.invoice_id for i in both} == {first.invoice_id, second.invoice_id}
    assert client.invoices.list(search_term=f"b-{unique}")[0].invoice_id == second.invoice_id
    assert client.invoices.list(statuses=["PAID"], contact_ids=[contact.contact_id or ""]) == []
    archived = client.contacts.save(
        models.Contact(contact_id=contact.contact_id, contact_status=models.ContactStatus.ARCHIVED)
    )
    assert archived.contact_status is models.ContactStatus.ARCHIVED
    assert contact.contact_id not in [
        c.contact_id for c in client.contacts.list(search_term=unique)
    ]
    assert contact.contact_id in [
        c.contact_id for c in client.contacts.list(search_term=unique, include_archived=True)
    ]


@pytest.mark.parametrize(
    "where",
    [
        "(" * 500 + 'Name=="x"' + ")" * 500,
        'Name=="' + "x" * 600 + '"',
        'Name=="x" OR ' * 400 + 'Name=="y"',
        'Name=="x"; DROP TABLE contacts; --',
        "__import__('os').system('true')",
        'Name.Contains("x") OR',
    ],
)
def test_hostile_where_strings_get_a_400(v2: Factory, where: str) -> None:
    with pytest.raises(ValidationError) as refused:
        v2(max_retries=0).contacts.list(where=where)
    assert refused.value.status_code in (400, 414) or refused.value.type == "QueryParseException"


# ----------------------------------------------------------------------------- tenants, auth


def test_one_client_two_tenants_and_cross_tenant_refused(
    sandbox: RunningSandbox,
    chromium: str,
    tmp_path: Path,
    callback: Callback,
    add_org: Callable[[str], tuple[str, str]],
    unique: str,
) -> None:
    _, second = add_org(f"Second Tenant {unique}")
    _, unconnected = add_org(f"Not Connected {unique}")
    start = authorization_url(
        client_id=sandbox.client_id,
        redirect_uri=callback.url,
        scopes=SCOPES,
        authorize_url=sandbox.authorize_url,
    )
    with Page(chromium, tmp_path / "profile") as page:
        page.goto(start.url)
        page.wait_for("!!document.getElementById('allow')")
        for tenant in (sandbox.tenant_id, second):
            page.evaluate(f"document.querySelector('input[value=\"{tenant}\"]').click()")
        page.evaluate("document.getElementById('allow').click()")
        assert callback.arrived.wait(30)
    parts = urlsplit(callback.url)
    callback_url = f"{parts.scheme}://{parts.netloc}{callback.got[-1]}"
    with httpx.Client(verify=sandbox.verify()) as http:
        token = exchange_code(
            client_id=sandbox.client_id,
            client_secret=sandbox.client_secret,
            redirect_uri=callback.url,
            code_verifier=start.code_verifier,
            callback_url=callback_url,
            state=start.state,
            token_url=sandbox.token_url,
            http_client=http,
        )
        client = XeroClient(
            token=token,
            client_id=sandbox.client_id,
            client_secret=sandbox.client_secret,
            token_url=sandbox.token_url,
            tenant_id=sandbox.tenant_id,
            base_url=sandbox.v2_base_url,
            http_client=http,
        )
        assert [c.tenant_id for c in client.connections()] == [sandbox.tenant_id, second]
        mine = client.contacts.create(
            models.Contact(name=f"Only Second {unique}"), tenant_id=second
        )
        other = client.with_options(tenant_id=second)
        assert other.contacts.get(contact_id=mine.contact_id or "").name == mine.name
        with pytest.raises(NotFoundError):  # the first tenant does not have it
            client.contacts.get(contact_id=mine.contact_id or "")
        with pytest.raises(PermissionDeniedError):
            client.contacts.list(tenant_id=unconnected)


def test_refresh_on_expiry_persists_the_rotated_token(
    chromium: str, tmp_path: Path, callback: Callback
) -> None:
    sandbox = launch(["--token-ttl", "1"])
    try:
        start = authorization_url(
            client_id=sandbox.client_id,
            redirect_uri=callback.url,
            scopes=SCOPES,
            authorize_url=sandbox.authorize_url,
        )
        with Page(chromium, tmp_path / "profile") as page:
            page.goto(start.url)
            page.wait_for("!!document.getElementById('allow')")
            page.evaluate(f"document.querySelector('input[value=\"{sandbox.tenant_id}\"]').click()")
            page.evaluate("document.getElementById('allow').click()")
            assert callback.arrived.wait(30)
        code = callback.got[-1].split("code=", 1)[1].split("&", 1)[0]
        saved: list[dict[str, Any]] = []
        with httpx.Client(verify=sandbox.verify()) as http:
            token = exchange_code(
                client_id=sandbox.client_id,
                client_secret=sandbox.client_secret,
                redirect_uri=callback.url,
                code_verifier=start.code_verifier,
                code=code,
                token_url=sandbox.token_url,
                http_client=http,
            )
            client = XeroClient(
                token=token,
                client_id=sandbox.client_id,
                client_secret=sandbox.client_secret,
                token_url=sandbox.token_url,
                on_token_refresh=saved.append,
                tenant_id=sandbox.tenant_id,
                base_url=sandbox.v2_base_url,
                http_client=http,
            )
            client.accounts.list()
            time.sleep(1.2)  # past the one-second token life
            client.accounts.list()
            assert saved, "the expired token was refreshed and handed to on_token_refresh"
            assert saved[-1]["refresh_token"] != token["refresh_token"]
            # the old refresh token was used up by the rotation
            stale = XeroClient(
                token={**token, "expires_at": 0},
                client_id=sandbox.client_id,
                client_secret=sandbox.client_secret,
                token_url=sandbox.token_url,
                tenant_id=sandbox.tenant_id,
                base_url=sandbox.v2_base_url,
                http_client=http,
            )
            with pytest.raises(AuthenticationError):
                stale.accounts.list()
            # a client that keeps the persisted token goes on working
            fresh = XeroClient(
                token=saved[-1],
                client_id=sandbox.client_id,
                client_secret=sandbox.client_secret,
                token_url=sandbox.token_url,
                tenant_id=sandbox.tenant_id,
                base_url=sandbox.v2_base_url,
                http_client=http,
            )
            assert isinstance(fresh.contacts.list(), list)
    finally:
        assert sandbox.stop() in (0, -15)


def test_missing_scope_is_403(v2: Factory) -> None:
    reader = v2(scopes=["accounting.contacts.read"])
    assert isinstance(reader.contacts.list(), list)
    with pytest.raises(PermissionDeniedError):
        reader.contacts.create(models.Contact(name="Not allowed"))
    with pytest.raises(PermissionDeniedError):
        reader.invoices.list()


def test_bad_token_is_authentication_error(sandbox: RunningSandbox) -> None:
    with httpx.Client(verify=sandbox.verify()) as http:
        client = XeroClient(
            access_token="not-a-token",
            tenant_id=sandbox.tenant_id,
            base_url=sandbox.v2_base_url,
            http_client=http,
        )
        with pytest.raises(AuthenticationError) as refused:
            client.contacts.list()
    assert refused.value.status_code == 401 and "AuthenticationUnsuccessful" in str(
        refused.value.detail
    )


# ----------------------------------------------------------------------------- faults, limits


def test_a_write_retried_after_a_reset_is_created_once(
    sandbox: RunningSandbox, v2: Factory, unique: str
) -> None:
    client = v2()
    contact = client.contacts.create(models.Contact(name=f"Reset {unique}"))
    before = stats(sandbox).get("PUT 2.0/invoices", 0)
    fault(sandbox, path="/api.xro/2.0/Invoices", method="PUT", kind="reset")
    made = client.invoices.create(invoice(contact, ("1", "7.00"), reference=f"once-{unique}"))
    assert stats(sandbox)["PUT 2.0/invoices"] - before == 2  # sent twice ...
    found = client.invoices.list(search_term=f"once-{unique}")
    assert [i.invoice_id for i in found] == [made.invoice_id]  # ... created once


def test_idempotency_key_replays_and_refuses_another_request(
    sandbox: RunningSandbox, v2: Factory, unique: str
) -> None:
    client = v2()
    key = uuid.uuid4().hex * 4  # Xero's form: 128 characters
    first = client.contacts.create(models.Contact(name=f"Idem {unique}"), idempotency_key=key)
    again = client.contacts.create(models.Contact(name=f"Idem {unique}"), idempotency_key=key)
    assert again.contact_id == first.contact_id
    with pytest.raises(ValidationError) as refused:
        client.contacts.create(models.Contact(name=f"Other {unique}"), idempotency_key=key)
    assert refused.value.status_code == 400


def test_404_is_text_and_503_is_plain_text(sandbox: RunningSandbox, v2: Factory) -> None:
    client = v2(max_retries=0)
    with pytest.raises(NotFoundError):
        client.contacts.get(contact_id=str(uuid.uuid4()))
    fault(sandbox, path="/api.xro/2.0/Accounts", method="GET", kind="503", retry_after=0)
    with pytest.raises(ServerError) as down:
        client.accounts.list()
    assert down.value.status_code == 503


def test_a_429_minute_is_honoured(sandbox: RunningSandbox, v2: Factory) -> None:
    client = v2()
    client.accounts.list()  # the token is fetched and the windows start
    limits_hook(sandbox, sandbox.tenant_id, minute=60)
    before = stats(sandbox).get("GET 2.0/accounts", 0)
    raw = client.accounts.with_raw_response.list()
    assert stats(sandbox)["GET 2.0/accounts"] - before == 2  # refused once, then waited
    assert raw.rate_limit.minute_remaining is not None and raw.rate_limit.day_remaining is not None


@pytest.mark.asyncio
async def test_a_429_day_is_raised_at_once(sandbox: RunningSandbox) -> None:
    async with httpx.AsyncClient(verify=sandbox.verify()) as http:
        client = AsyncXeroClient(
            client_id=sandbox.client_id,
            client_secret=sandbox.client_secret,
            tenant_id=sandbox.tenant_id,
            token_url=sandbox.token_url,
            base_url=sandbox.v2_base_url,
            http_client=http,
        )
        await client.accounts.list()
        limits_hook(sandbox, sandbox.tenant_id, day=5000)
        try:
            with pytest.raises(RateLimitError) as refused:
                await client.accounts.list()
        finally:
            limits_hook(sandbox, sandbox.tenant_id, day=0)
        assert refused.value.problem == "day" and refused.value.retry_after is not None
        assert await client.accounts.list()


def test_2_0_faults_a_429_and_a_delay(sandbox: RunningSandbox, v2: Factory) -> None:
    client = v2()
    client.contacts.list()
    before = stats(sandbox).get("GET 2.0/contacts", 0)
    fault(sandbox, path="/api.xro/2.0/Contacts", method="GET", kind="429", retry_after=0)
    fault(sandbox, path="/api.xro/2.0/Contacts", method="GET", kind="delay", delay=0.2)
    assert isinstance(client.contacts.list(), list)  # the 429 waited out, then the delay
    assert stats(sandbox)["GET 2.0/contacts"] - before == 2


@pytest.mark.asyncio
async def test_async_batches_both_ways(sandbox: RunningSandbox, unique: str) -> None:
    async with httpx.AsyncClient(verify=sandbox.verify()) as http:
        client = AsyncXeroClient(
            client_id=sandbox.client_id,
            client_secret=sandbox.client_secret,
            tenant_id=sandbox.tenant_id,
            token_url=sandbox.token_url,
            base_url=sandbox.v2_base_url,
            http_client=http,
        )
        twins = [models.Contact(name=f"Twin {unique}"), models.Contact(name=f"Twin {unique}")]
        result = await client.contacts.create_many(twins, summarize_errors=False)
        assert [i.status for i in result.items] == ["OK", "ERROR"]
        assert "already assigned" in result.failed[0].validation_errors[0]
        with pytest.raises(ValidationError) as refused:
            await client.contacts.create_many(
                [models.Contact(name=f"Twin {unique}")], summarize_errors=True
            )
        assert refused.value.elements[0].xsi_type == "Contact"
        saved = await client.contacts.save_many(
            [models.Contact(name=f"Twin {unique}", email_address="twin@example.com")]
        )
        assert saved.items[0].item.email_address == "twin@example.com"
        assert len(await client.contacts.list(search_term=f"twin {unique}")) == 1


@pytest.mark.asyncio
async def test_async_authorization_code_flow(
    sandbox: RunningSandbox, chromium: str, tmp_path: Path, callback: Callback, unique: str
) -> None:
    start = authorization_url(
        client_id=sandbox.client_id,
        redirect_uri=callback.url,
        scopes=SCOPES,
        authorize_url=sandbox.authorize_url,
    )
    with Page(chromium, tmp_path / "profile") as page:
        page.goto(start.url)
        page.wait_for("!!document.getElementById('allow')")
        page.evaluate(f"document.querySelector('input[value=\"{sandbox.tenant_id}\"]').click()")
        page.evaluate("document.getElementById('allow').click()")
        assert callback.arrived.wait(30)
    parts = urlsplit(callback.url)
    async with httpx.AsyncClient(verify=sandbox.verify()) as http:
        token = await aexchange_code(
            client_id=sandbox.client_id,
            client_secret=sandbox.client_secret,
            redirect_uri=callback.url,
            code_verifier=start.code_verifier,
            callback_url=f"{parts.scheme}://{parts.netloc}{callback.got[-1]}",
            state=start.state,
            token_url=sandbox.token_url,
            http_client=http,
        )
        assert token["refresh_token"]
        client = AsyncXeroClient(
            token=token,
            client_id=sandbox.client_id,
            client_secret=sandbox.client_secret,
            token_url=sandbox.token_url,
            tenant_id=sandbox.tenant_id,
            base_url=sandbox.v2_base_url,
            http_client=http,
        )
        made = await client.contacts.create(models.Contact(name=f"Async Code {unique}"))
        assert [c.tenant_id for c in await client.connections()] == [sandbox.tenant_id]
        assert (await client.contacts.get(contact_id=made.contact_id or "")).name == made.name
