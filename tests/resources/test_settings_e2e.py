"""Family C end to end: every verb of BrandingThemes, PaymentServices, Budgets, ContactGroups,
Currencies, InvoiceReminders, Organisation, Setup and TaxRates from the SDK (sync and async) and
the ``xero`` command line, against ``xero-sandbox serve`` over real sockets (HTTPS), in an
organisation of their own."""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from xero_customer_api import NotFoundError, ValidationError
from xero_customer_api.v2_0 import AsyncXeroClient, XeroClient, models
from xero_sandbox.process import RunningSandbox

from tests.e2e.conftest import exports, run_cli, sandbox, sandbox_db  # noqa: F401 (fixtures)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def org(sandbox: RunningSandbox, sandbox_db: Path) -> dict[str, str]:  # noqa: F811
    """A fresh organisation and an app whose custom connection is that organisation."""
    tag = uuid.uuid4().hex[:8]
    made = exports(run_cli("keys", "add-org", "--db", str(sandbox_db), "--name", f"Settings {tag}"))
    app = exports(
        run_cli(
            "keys", "add-app", "--db", str(sandbox_db), "--name", f"Settings App {tag}",
            "--tenant-id", made["XERO_TENANT_ID"],
        )
    )  # fmt: skip
    return {"tenant_id": made["XERO_TENANT_ID"], "name": f"Settings {tag}", **app}


@pytest.fixture
def client(sandbox: RunningSandbox, org: dict[str, str]) -> Iterator[XeroClient]:  # noqa: F811
    with httpx.Client(verify=sandbox.verify()) as http:
        yield XeroClient(
            client_id=org["XERO_CLIENT_ID"],
            client_secret=org["XERO_CLIENT_SECRET"],
            tenant_id=org["tenant_id"],
            token_url=sandbox.token_url,
            base_url=sandbox.v2_base_url,
            http_client=http,
        )


def test_organisation_actions_cis_and_reminders(client: XeroClient, org: dict[str, str]) -> None:
    found = client.organisation.get()
    assert (found.organisation_id, found.name) == (org["tenant_id"], org["name"])
    assert found.is_demo_company is False and found.base_currency == "NZD"
    raw = client.organisation.with_raw_response.get()
    assert raw.status_code == 200 and b"<Organisations>" in raw.content
    assert "UseMulticurrency" in {a.name for a in client.organisation.list_actions()}
    cis = client.organisation.get_cis_settings(organisation_id=org["tenant_id"])
    assert cis.cis_contractor_enabled is False
    with pytest.raises(NotFoundError):
        client.organisation.get_cis_settings(organisation_id=str(uuid.uuid4()))
    assert client.invoice_reminders.get().enabled is False


def test_currencies(client: XeroClient) -> None:
    assert [c.code for c in client.currencies.list()] == ["NZD"]
    assert client.currencies.create(models.Currency(code="GBP")).description == "British Pound"
    assert [c.code for c in client.currencies.iter(where='Code=="GBP"')] == ["GBP"]
    with pytest.raises(ValidationError):
        client.currencies.create(models.Currency(code="ABC"))


def test_tax_rates(client: XeroClient) -> None:
    rates = client.tax_rates.list(where='Status=="ACTIVE"', order="Name")
    assert [r.name for r in rates] == sorted(r.name or "" for r in rates)
    assert client.tax_rates.get(tax_type="OUTPUT2").display_tax_rate == Decimal("15.0000")
    made = client.tax_rates.create(
        models.TaxRate(
            name="E2E levy", tax_components=[models.TaxComponent(name="L", rate=Decimal("2.5"))]
        )
    )
    assert made.tax_type is not None and made.tax_type.startswith("TAX")
    batch = client.tax_rates.create_many(
        [
            models.TaxRate(
                name="E2E second", tax_components=[models.TaxComponent(name="S", rate=Decimal(1))]
            )
        ]
    )
    assert batch.items[0].status == "OK" and batch.items[0].item.tax_type != made.tax_type
    saved = client.tax_rates.save(models.TaxRate(tax_type=made.tax_type, name="E2E levy (new)"))
    assert saved.name == "E2E levy (new)"
    many = client.tax_rates.save_many(
        [models.TaxRate(name="E2E second", status=models.TaxRateStatus.DELETED)]
    )
    assert many.items[0].item.status is models.TaxRateStatus.DELETED
    assert "E2E second" not in {r.name for r in client.tax_rates.iter()}


def test_contact_groups(client: XeroClient, sandbox: RunningSandbox, org: dict[str, str]) -> None:  # noqa: F811
    group = client.contact_groups.create(models.ContactGroup(name="E2E wholesale"))
    more = client.contact_groups.create_many([models.ContactGroup(name="E2E schools")])
    assert more.items[0].item.name == "E2E schools"
    gid = group.contact_group_id or ""
    contact = client.contacts.create(models.Contact(name=f"E2E member {uuid.uuid4().hex[:6]}"))
    other = client.contacts.create(models.Contact(name=f"E2E member {uuid.uuid4().hex[:6]}"))
    added = client.contact_groups.contacts.add(
        contact_group_id=gid, contacts=[models.Contact(contact_id=contact.contact_id)]
    )
    assert [c.contact_id for c in added] == [contact.contact_id]
    assert [m.contact_id for m in client.contact_groups.get(contact_group_id=gid).contacts] == [
        contact.contact_id
    ]
    # the member DELETEs (204, no body) through the SDK: None, and the raw answer is a 204
    client.contact_groups.contacts.add(
        contact_group_id=gid, contacts=[models.Contact(contact_id=other.contact_id)]
    )
    removed = client.contact_groups.contacts.remove(
        contact_group_id=gid, contact_id=contact.contact_id
    )
    assert removed is None
    assert [m.contact_id for m in client.contact_groups.get(contact_group_id=gid).contacts] == [
        other.contact_id
    ]
    with pytest.raises(ValidationError, match="is not in the contact group"):
        client.contact_groups.contacts.remove(contact_group_id=gid, contact_id=contact.contact_id)
    with pytest.raises(NotFoundError):
        client.contact_groups.contacts.remove_all(contact_group_id=str(uuid.uuid4()))
    raw = client.contact_groups.contacts.with_raw_response.remove_all(contact_group_id=gid)
    assert (raw.status_code, raw.content, raw.parsed) == (204, b"", None)
    assert client.contact_groups.get(contact_group_id=gid).contacts == []
    # the same member calls from the parent's raw view
    client.contact_groups.with_raw_response.contacts.add(
        contact_group_id=gid, contacts=[models.Contact(contact_id=other.contact_id)]
    )
    client.contact_groups.contacts.remove_all(contact_group_id=gid)
    assert client.contact_groups.get(contact_group_id=gid).contacts == []
    names = [g.name for g in client.contact_groups.list(order="Name")]
    assert names == ["E2E schools", "E2E wholesale"]
    assert (
        client.contact_groups.save(
            contact_group_id=gid, contact_group=models.ContactGroup(name="E2E trade")
        ).name
        == "E2E trade"
    )
    assert (
        client.contact_groups.delete(contact_group_id=gid).status
        is models.ContactGroupStatus.DELETED
    )
    assert [g.name for g in client.contact_groups.iter()] == ["E2E schools"]


def test_payment_services_and_branding_themes(client: XeroClient) -> None:
    service = client.payment_services.create(
        models.PaymentService(
            payment_service_name="E2E pay", payment_service_url="https://p.example/"
        )
    )
    batch = client.payment_services.create_many(
        [
            models.PaymentService(
                payment_service_name="E2E pay 2", payment_service_url="https://q.example/"
            )
        ]
    )
    assert batch.items[0].item.payment_service_type == "CUSTOM"
    assert {s.payment_service_name for s in client.payment_services.list()} >= {
        "E2E pay",
        "E2E pay 2",
    }
    themes = list(client.branding_themes.iter())
    assert [t.name for t in client.branding_themes.list()] == [t.name for t in themes]
    theme = client.branding_themes.get(branding_theme_id=themes[1].branding_theme_id or "")
    applied = client.branding_themes.add_payment_service(
        branding_theme_id=theme.branding_theme_id or "",
        payment_service=models.PaymentService(payment_service_id=service.payment_service_id),
    )
    assert applied.payment_service_id == service.payment_service_id
    listed = client.branding_themes.list_payment_services(
        branding_theme_id=theme.branding_theme_id or ""
    )
    assert [s.payment_service_name for s in listed] == ["E2E pay"]


def test_budgets(client: XeroClient) -> None:
    (budget,) = client.budgets.list()
    assert [b.budget_id for b in client.budgets.iter(ids=[budget.budget_id or ""])] == [
        budget.budget_id
    ]
    year = datetime.datetime.now(datetime.UTC).year
    one = client.budgets.get(
        budget_id=budget.budget_id or "",
        date_from=datetime.date(year, 1, 1),
        date_to=datetime.date(year, 2, 28),
    )
    assert [len(line.budget_balances) for line in one.budget_lines] == [2, 2, 2]


def test_setup(client: XeroClient) -> None:
    summary = client.setup.save(
        setup=models.Setup(
            conversion_date=models.ConversionDate(month=7, year=2026),
            accounts=[
                models.Account(code="4250", name="E2E fees", type=models.AccountType.REVENUE)
            ],
        )
    )
    assert summary.accounts is not None and summary.accounts.new == 1
    assert "4250" in {a.code for a in client.accounts.list()}


@pytest.mark.asyncio
async def test_async_twins(sandbox: RunningSandbox, org: dict[str, str]) -> None:  # noqa: F811
    async with httpx.AsyncClient(verify=sandbox.verify()) as http:
        client = AsyncXeroClient(
            client_id=org["XERO_CLIENT_ID"],
            client_secret=org["XERO_CLIENT_SECRET"],
            tenant_id=org["tenant_id"],
            token_url=sandbox.token_url,
            base_url=sandbox.v2_base_url,
            http_client=http,
        )
        assert (await client.organisation.get()).organisation_id == org["tenant_id"]
        assert [r.tax_type async for r in client.tax_rates.iter(where='TaxType=="NONE"')] == [
            "NONE"
        ]
        group = await client.contact_groups.create(models.ContactGroup(name="E2E async"))
        assert (await client.contact_groups.get(contact_group_id=group.contact_group_id or "")).name
        assert (await client.invoice_reminders.get()).enabled is False
        assert len(await client.branding_themes.list()) == 2


def test_command_line(sandbox: RunningSandbox, org: dict[str, str]) -> None:  # noqa: F811
    """``xero tax-rates list`` and ``xero contact-groups create`` with the sandbox's printed
    values and the organisation's own app."""
    from tests.e2e.test_cli_e2e import xero

    env = {name: value for name, value in sandbox.values.items() if name.startswith("XERO_")}
    env.update(
        XERO_CLIENT_ID=org["XERO_CLIENT_ID"],
        XERO_CLIENT_SECRET=org["XERO_CLIENT_SECRET"],
        XERO_TENANT_ID=org["tenant_id"],
    )
    listed = xero(env, "tax-rates", "list")
    assert listed.returncode == 0, listed.stderr
    assert "OUTPUT2" in {r["tax_type"] for r in json.loads(listed.stdout)}
    made = xero(env, "contact-groups", "create", input=json.dumps({"name": "E2E from the CLI"}))
    assert made.returncode == 0, made.stderr
    shown = xero(env, "organisation", "get")
    assert shown.returncode == 0, shown.stderr
    # the command line prints the payload as Xero answers it: the one organisation in a list
    assert json.loads(shown.stdout)["organisation_id"] == org["tenant_id"]  # the one record
