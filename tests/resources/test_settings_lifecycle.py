"""The sandbox's rules for family C, in-process (httpx's ASGI transport, the async SDK client and
raw calls): each tenant's Organisation, currencies (only ISO codes), tax rates (components,
computed rates, TAX### types, DELETED vs ARCHIVED, system rates), contact groups (limit,
membership, deletion, 204s), payment services on branding themes, budgets by period, Setup,
scopes, and answers valid against our response XSDs."""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator
from decimal import Decimal
from functools import cache
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from lxml import etree
from xero_customer_api import NotFoundError, ValidationError
from xero_customer_api.v2_0 import AsyncXeroClient, models
from xero_sandbox.app import SandboxApp
from xero_sandbox.store import Credentials, Store

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas" / "v2.0"
V2 = "https://sandbox.test/api.xro/2.0/"


@pytest.fixture
def store() -> Store:
    return Store(None)


@pytest.fixture
def credentials(store: Store) -> Credentials:
    return store.ensure_seeded()


@pytest_asyncio.fixture
async def http(store: Store, credentials: Credentials) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client of the sandbox app in-process, with a client-credentials token."""
    transport = httpx.ASGITransport(app=SandboxApp(store, time_scale=60), client=("127.0.0.1", 1))
    async with httpx.AsyncClient(transport=transport, base_url=V2) as client:
        token = await client.post(
            "https://sandbox.test/connect/token",
            data={"grant_type": "client_credentials"},
            auth=(credentials.client_id, credentials.client_secret),
        )
        assert token.status_code == 200, token.text
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        client.headers["xero-tenant-id"] = credentials.tenant_id
        yield client


@pytest_asyncio.fixture
async def xero(http: httpx.AsyncClient, credentials: Credentials) -> AsyncXeroClient:
    return AsyncXeroClient(
        client_id=credentials.client_id,
        client_secret=credentials.client_secret,
        tenant_id=credentials.tenant_id,
        token_url="https://sandbox.test/connect/token",
        base_url=V2,
        http_client=http,
    )


@cache
def _schema(stem: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "responses" / f"{stem}.xsd")))


def _valid(answer: httpx.Response, stem: str) -> etree._Element:
    assert answer.status_code == 200, answer.text
    root = etree.fromstring(answer.content)
    assert _schema(stem).validate(root), _schema(stem).error_log
    return root


pytestmark = pytest.mark.asyncio


async def test_every_answer_is_valid_against_our_xsds(http: httpx.AsyncClient) -> None:
    org = _valid(await http.get("Organisation"), "organisations_response")
    org_id = org.findtext("Organisations/Organisation/OrganisationID")
    for path, stem in [
        ("Organisation/Actions", "actions_response"),
        (f"Organisation/{org_id}/CISSettings", "cis_org_settings_response"),
        ("InvoiceReminders/Settings", "invoice_reminders_response"),
        ("Currencies", "currencies_response"),
        ("TaxRates", "tax_rates_response"),
        ("TaxRates/OUTPUT2", "tax_rates_response"),
        ("ContactGroups", "contact_groups_response"),
        ("PaymentServices", "payment_services_response"),
        ("BrandingThemes", "branding_themes_response"),
        ("Budgets", "budgets_response"),
    ]:
        _valid(await http.get(path), stem)
    budget = (await http.get("Budgets")).content
    budget_id = etree.fromstring(budget).findtext("Budgets/Budget/BudgetID")
    _valid(await http.get(f"Budgets/{budget_id}"), "budgets_response")


async def test_each_tenant_has_its_own_organisation(
    xero: AsyncXeroClient, store: Store, credentials: Credentials
) -> None:
    org = await xero.organisation.get()
    assert org.organisation_id == credentials.tenant_id and org.name == "Demo Company"
    assert org.base_currency == "NZD" and org.version is models.OrganisationVersion.NZ
    assert org.is_demo_company is True and org.class_ is models.OrganisationClass.DEMO
    assert org.created_date_utc is not None and org.created_date_utc.tzinfo is not None
    _, other_tenant = store.add_org("Kauri Books")
    other = store.org_by_tenant(other_tenant)
    assert other is not None and other.name == "Kauri Books"
    actions = await xero.organisation.list_actions()
    assert {a.name for a in actions} >= {"UseMulticurrency", "CreateApprovedInvoice"}
    assert all(a.status is models.ActionStatus.ALLOWED for a in actions)
    cis = await xero.organisation.get_cis_settings(organisation_id=credentials.tenant_id)
    assert cis.cis_contractor_enabled is False and cis.cis_sub_contractor_enabled is False
    with pytest.raises(NotFoundError):
        await xero.organisation.get_cis_settings(organisation_id=other_tenant)
    assert (await xero.invoice_reminders.get()).enabled is False


async def test_currencies_only_valid_codes_once(xero: AsyncXeroClient) -> None:
    assert [(c.code, c.description) for c in await xero.currencies.list()] == [
        ("NZD", "New Zealand Dollar")
    ]
    added = await xero.currencies.create(models.Currency(code="USD"))
    assert (added.code, added.description) == ("USD", "United States Dollar")
    await xero.currencies.create(models.Currency(code="USD"))  # again: still once
    await xero.currencies.create(models.Currency(code="EUR"))
    assert [c.code for c in await xero.currencies.list()] == ["NZD", "USD", "EUR"]
    assert [c.code for c in await xero.currencies.list(where='Code=="EUR"')] == ["EUR"]
    assert [c.code for c in await xero.currencies.list(order="Code DESC")] == ["USD", "NZD", "EUR"]
    with pytest.raises(ValidationError) as refused:
        await xero.currencies.create(models.Currency(code="XQQ"))
    assert "XQQ is not a valid currency" in str(refused.value.elements[0].validation_errors)


async def test_currency_put_takes_one_element_not_a_batch(http: httpx.AsyncClient) -> None:
    batch = b"<Currencies><Currency><Code>AUD</Code></Currency></Currencies>"
    answer = await http.put("Currencies", content=batch)
    assert answer.status_code == 400 and b"PostDataInvalidException" in answer.content


async def test_tax_rates_components_types_and_removal(xero: AsyncXeroClient) -> None:
    seeded = {r.tax_type: r for r in await xero.tax_rates.list()}
    assert seeded["OUTPUT2"].display_tax_rate == Decimal("15.0000")
    assert seeded["OUTPUT2"].can_apply_to_revenue and not seeded["OUTPUT2"].can_apply_to_expenses
    made = await xero.tax_rates.create(
        models.TaxRate(
            name="Provincial and federal",
            tax_components=[
                models.TaxComponent(name="Federal", rate=Decimal("5")),
                models.TaxComponent(name="Provincial", rate=Decimal("7"), is_compound=True),
            ],
        )
    )
    assert made.tax_type == "TAX001" and made.status is models.TaxRateStatus.ACTIVE
    assert made.display_tax_rate == Decimal("12.0000")
    assert made.effective_rate == Decimal("12.3500")  # 7 % compounded on 105
    second = await xero.tax_rates.create(
        models.TaxRate(
            name="Levy", tax_components=[models.TaxComponent(name="L", rate=Decimal("2.25"))]
        )
    )
    assert second.tax_type == "TAX002" and second.effective_rate == Decimal("2.2500")
    assert (await xero.tax_rates.get(tax_type="TAX001")).name == "Provincial and federal"
    renamed = await xero.tax_rates.save(models.TaxRate(tax_type="TAX002", name="Regional levy"))
    assert renamed.name == "Regional levy" and renamed.tax_components[0].rate == Decimal("2.2500")
    # by Name, as in Xero's example of a delete: never used, so DELETED (and gone from lists)
    gone = await xero.tax_rates.save(
        models.TaxRate(name="Regional levy", status=models.TaxRateStatus.DELETED)
    )
    assert gone.status is models.TaxRateStatus.DELETED
    assert "TAX002" not in {r.tax_type for r in await xero.tax_rates.list()}
    assert (await xero.tax_rates.get(tax_type="TAX002")).status is models.TaxRateStatus.DELETED
    with pytest.raises(ValidationError, match="validation exception") as refused:
        await xero.tax_rates.save(models.TaxRate(tax_type="TAX002", name="Back"))
    assert "DELETED and cannot be changed" in str(refused.value.elements[0].validation_errors)
    with pytest.raises(NotFoundError):
        await xero.tax_rates.get(tax_type="TAX999")


async def test_system_tax_rates_are_never_removed(xero: AsyncXeroClient) -> None:
    with pytest.raises(ValidationError) as refused:
        await xero.tax_rates.save_many(
            [
                models.TaxRate(tax_type="OUTPUT2", status=models.TaxRateStatus.DELETED),
                models.TaxRate(
                    tax_type="INPUT2",
                    tax_components=[models.TaxComponent(name="GST", rate=Decimal(9))],
                ),
            ]
        )
    messages = [e.validation_errors[0] for e in refused.value.elements]
    assert "system tax rate GST on Income cannot be deleted" in messages[0]
    assert "cannot be changed" in messages[1]
    assert (await xero.tax_rates.get(tax_type="OUTPUT2")).status is models.TaxRateStatus.ACTIVE


async def test_archived_when_an_account_uses_the_rate(xero: AsyncXeroClient) -> None:
    made = await xero.tax_rates.create(
        models.TaxRate(
            name="Kept", tax_components=[models.TaxComponent(name="K", rate=Decimal("3"))]
        )
    )
    assert made.tax_type is not None
    await xero.accounts.create(
        models.Account(
            code="4310", name="Kept sales", type=models.AccountType.REVENUE, tax_type=made.tax_type
        )
    )
    removed = await xero.tax_rates.save(
        models.TaxRate(tax_type=made.tax_type, status=models.TaxRateStatus.DELETED)
    )
    assert removed.status is models.TaxRateStatus.ARCHIVED  # used: archived, not deleted
    with pytest.raises(ValidationError, match="TaxType"):  # and no longer usable
        await xero.accounts.create(
            models.Account(
                code="4311", name="More", type=models.AccountType.REVENUE, tax_type=made.tax_type
            )
        )
    listed = {r.tax_type: r.status for r in await xero.tax_rates.list()}
    assert listed[made.tax_type] is models.TaxRateStatus.ARCHIVED


async def test_tax_rate_rules_refused(xero: AsyncXeroClient) -> None:
    cases = [
        (models.TaxRate(name="No parts"), "at least one tax component"),
        (models.TaxRate(tax_components=[models.TaxComponent(name="x", rate=Decimal(1))]), "Name"),
        (
            models.TaxRate(
                name="GST on Income",
                tax_components=[models.TaxComponent(name="x", rate=Decimal(1))],
            ),
            "already used",
        ),
        (
            models.TaxRate(
                name="Negative", tax_components=[models.TaxComponent(name="x", rate=Decimal(-1))]
            ),
            "0 or more",
        ),
    ]
    with pytest.raises(ValidationError) as refused:
        await xero.tax_rates.create_many([c for c, _ in cases])
    assert len(refused.value.elements) == len(cases)  # echoed in the order sent
    for element, (_, message) in zip(refused.value.elements, cases, strict=True):
        assert message in " ".join(element.validation_errors)
    assert not {r.name for r in await xero.tax_rates.list()} & {"No parts", "Negative"}


async def test_contact_groups_membership_and_deletion(
    xero: AsyncXeroClient, http: httpx.AsyncClient
) -> None:
    group = await xero.contact_groups.create(models.ContactGroup(name="Wholesale"))
    assert group.status is models.ContactGroupStatus.ACTIVE and group.contact_group_id
    gid = group.contact_group_id
    tui = await xero.contacts.create(models.Contact(name="Tui Bakery"))
    kea = await xero.contacts.create(models.Contact(name="Kea Cycles"))
    added = await xero.contact_groups.contacts.add(
        contact_group_id=gid,
        contacts=[
            models.Contact(contact_id=tui.contact_id),
            models.Contact(contact_id=kea.contact_id),
        ],
    )
    assert [c.name for c in added] == ["Tui Bakery", "Kea Cycles"]
    await xero.contact_groups.contacts.add(
        contact_group_id=gid, contacts=[models.Contact(contact_id=tui.contact_id)]
    )  # already in: still once
    one = await xero.contact_groups.get(contact_group_id=gid)
    assert [m.name for m in one.contacts] == ["Tui Bakery", "Kea Cycles"]
    listed = await xero.contact_groups.list()
    assert [(g.name, g.contacts) for g in listed] == [("Wholesale", [])]  # members on get only
    # remove one (204, no body), then every member (204)
    removed = await http.delete(f"ContactGroups/{gid}/Contacts/{tui.contact_id}")
    assert removed.status_code == 204 and removed.content == b""
    assert [m.name for m in (await xero.contact_groups.get(contact_group_id=gid)).contacts] == [
        "Kea Cycles"
    ]
    again = await http.delete(f"ContactGroups/{gid}/Contacts/{tui.contact_id}")
    assert again.status_code == 400 and b"is not in the contact group" in again.content
    with pytest.raises(ValidationError, match="is not in the contact group"):  # via the SDK
        await xero.contact_groups.contacts.remove(contact_group_id=gid, contact_id=tui.contact_id)
    assert await xero.contact_groups.contacts.remove_all(contact_group_id=gid) is None
    assert (await xero.contact_groups.get(contact_group_id=gid)).contacts == []
    cleared = await http.delete(f"ContactGroups/{gid}/Contacts")  # already empty: still 204
    assert cleared.status_code == 204 and cleared.content == b""
    with pytest.raises(ValidationError) as refused:
        await xero.contact_groups.contacts.add(
            contact_group_id=gid,
            contacts=[models.Contact(contact_id="0" * 8 + "-0000-4000-8000-" + "0" * 12)],
        )
    assert "does not exist" in refused.value.elements[0].validation_errors[0]
    renamed = await xero.contact_groups.save(
        contact_group_id=gid, contact_group=models.ContactGroup(name="Trade")
    )
    assert renamed.name == "Trade"
    deleted = await xero.contact_groups.delete(contact_group_id=gid)
    assert deleted.status is models.ContactGroupStatus.DELETED
    assert await xero.contact_groups.list() == []
    with pytest.raises(NotFoundError):
        await xero.contact_groups.get(contact_group_id=gid)
    assert (await http.delete(f"ContactGroups/{gid}/Contacts")).status_code == 404
    # the name of a deleted group can be used again
    await xero.contact_groups.create(models.ContactGroup(name="Trade"))


async def test_contact_group_rules(xero: AsyncXeroClient) -> None:
    await xero.contact_groups.create(models.ContactGroup(name="Schools"))
    with pytest.raises(ValidationError) as refused:
        await xero.contact_groups.create_many(
            [models.ContactGroup(name="schools"), models.ContactGroup(name="Clubs")]
        )
    messages = [e.validation_errors[0] for e in refused.value.elements]
    assert messages == ["A contact group named schools already exists."]
    assert "Clubs" in [g.name for g in await xero.contact_groups.list()]  # the valid one saved
    groups = [models.ContactGroup(name=f"Group {n}") for n in range(98)]
    await xero.contact_groups.create_many(groups[:50])
    await xero.contact_groups.create_many(groups[50:])
    assert len(await xero.contact_groups.list()) == 100
    with pytest.raises(ValidationError) as full:
        await xero.contact_groups.create(models.ContactGroup(name="One too many"))
    assert full.value.elements[0].validation_errors[0] == (
        "You\u2019ve reached the limit of 100 contact groups."
    )


async def test_payment_services_on_branding_themes(xero: AsyncXeroClient) -> None:
    themes = await xero.branding_themes.list()
    assert [(t.name, t.sort_order) for t in themes] == [("Standard", 0), ("Special Projects", 1)]
    assert all(t.type is models.BrandingThemeType.INVOICE for t in themes)
    theme_id = themes[0].branding_theme_id or ""
    assert (await xero.branding_themes.get(branding_theme_id=theme_id)).name == "Standard"
    assert await xero.branding_themes.list_payment_services(branding_theme_id=theme_id) == []
    service = await xero.payment_services.create(
        models.PaymentService(
            payment_service_name="Kiwi Pay", payment_service_url="https://pay.example/k?"
        )
    )
    assert service.pay_now_text == "Pay by credit card" and service.payment_service_type == "CUSTOM"
    applied = await xero.branding_themes.add_payment_service(
        branding_theme_id=theme_id,
        payment_service=models.PaymentService(payment_service_id=service.payment_service_id),
    )
    assert applied.payment_service_name == "Kiwi Pay"
    on_theme = await xero.branding_themes.list_payment_services(branding_theme_id=theme_id)
    assert [s.payment_service_id for s in on_theme] == [service.payment_service_id]
    assert [s.payment_service_name for s in await xero.payment_services.list()] == ["Kiwi Pay"]
    with pytest.raises(ValidationError) as refused:
        await xero.branding_themes.add_payment_service(
            branding_theme_id=theme_id,
            payment_service=models.PaymentService(payment_service_id=theme_id),
        )
    assert refused.value.elements[0].validation_errors[0] == ("Payment service could not be found")
    with pytest.raises(ValidationError):
        await xero.payment_services.create(models.PaymentService(payment_service_name="No URL"))
    with pytest.raises(NotFoundError):
        await xero.branding_themes.get(branding_theme_id=service.payment_service_id or "")


async def test_budgets_by_period(xero: AsyncXeroClient) -> None:
    (budget,) = await xero.budgets.list()
    assert budget.type is models.BudgetType.OVERALL and budget.budget_lines == []
    bid = budget.budget_id or ""
    assert await xero.budgets.list(ids=[bid]) != []
    assert await xero.budgets.list(ids=["0" * 8 + "-0000-4000-8000-" + "0" * 12]) == []
    year = datetime.datetime.now(datetime.UTC).year
    whole = await xero.budgets.get(budget_id=bid)
    assert {line.account_code for line in whole.budget_lines} == {"200", "400", "469"}
    assert all(line.account_id for line in whole.budget_lines)
    assert len(whole.budget_lines[0].budget_balances) == 12
    part = await xero.budgets.get(
        budget_id=bid, date_from=datetime.date(year, 3, 15), date_to=datetime.date(year, 5, 31)
    )
    assert [b.period for b in part.budget_lines[0].budget_balances] == [
        f"{year}-03",
        f"{year}-04",
        f"{year}-05",
    ]
    with pytest.raises(ValidationError):
        await xero.budgets.get(
            budget_id=bid, date_from=datetime.date(year, 6, 1), date_to=datetime.date(year, 5, 1)
        )


async def test_setup_chart_and_conversion(xero: AsyncXeroClient) -> None:
    summary = await xero.setup.save(
        setup=models.Setup(
            conversion_date=models.ConversionDate(month=4, year=2026),
            conversion_balances=[
                models.ConversionBalance(account_code="090", balance=Decimal("1500")),
                models.ConversionBalance(account_code="4201", balance=Decimal("-1500")),
            ],
            accounts=[
                models.Account(code="4201", name="Workshop fees", type=models.AccountType.REVENUE),
                models.Account(
                    code="200", name="Sales", type=models.AccountType.REVENUE, description="Renamed"
                ),
            ],
        )
    )
    assert summary.accounts is not None
    assert (summary.accounts.new, summary.accounts.updated, summary.accounts.new_or_updated) == (
        1,
        1,
        2,
    )
    assert summary.accounts.present is True and summary.accounts.total == len(
        await xero.accounts.list()
    )
    assert "4201" in {a.code for a in await xero.accounts.list()}
    for bad, message in [
        (models.Setup(conversion_date=models.ConversionDate(month=13, year=2026)), "Month"),
        (models.Setup(conversion_date=models.ConversionDate(month=1, year=2006)), "after 2006"),
        (
            models.Setup(
                conversion_date=models.ConversionDate(month=1, year=2026),
                conversion_balances=[
                    models.ConversionBalance(account_code="999", balance=Decimal(1))
                ],
            ),
            "999",
        ),
    ]:
        with pytest.raises(ValidationError, match=message):
            await xero.setup.save(setup=bad)


async def test_scopes_of_the_family(
    http: httpx.AsyncClient, store: Store, credentials: Credentials
) -> None:
    # the custom connection's default scopes include accounting.budgets.read and paymentservices
    assert (await http.get("Budgets")).status_code == 200
    assert (await http.get("PaymentServices")).status_code == 200
    token = await http.post(
        "https://sandbox.test/connect/token",
        data={"grant_type": "client_credentials", "scope": "accounting.settings.read"},
        auth=(credentials.client_id, credentials.client_secret),
    )
    narrow = {"Authorization": f"Bearer {token.json()['access_token']}"}
    assert (await http.get("TaxRates", headers=narrow)).status_code == 200
    assert (await http.get("Budgets", headers=narrow)).status_code == 403
    assert (await http.get("PaymentServices", headers=narrow)).status_code == 403
    assert (await http.get("ContactGroups", headers=narrow)).status_code == 403
    refused = await http.put(
        "TaxRates", headers=narrow, content=b"<TaxRate><Name>x</Name></TaxRate>"
    )
    assert refused.status_code == 403


async def test_unknown_paths_of_the_family_are_404(http: httpx.AsyncClient) -> None:
    for path in ("Organisation/Nothing", "InvoiceReminders/Other", "BrandingThemes/x/Other"):
        assert (await http.get(path)).status_code == 404
    assert (await http.get("ContactGroups/not-a-guid")).status_code == 404


async def test_a_custom_rate_is_charged_on_invoices_then_archived(xero: AsyncXeroClient) -> None:
    made = await xero.tax_rates.create(
        models.TaxRate(
            name="Compound levy",
            tax_components=[
                models.TaxComponent(name="Base", rate=Decimal("10")),
                models.TaxComponent(name="On top", rate=Decimal("5"), is_compound=True),
            ],
        )
    )
    assert made.tax_type is not None and made.effective_rate == Decimal("15.5000")
    contact = await xero.contacts.create(models.Contact(name="Levy Payer"))
    invoice = await xero.invoices.create(
        models.Invoice(
            type=models.InvoiceType.ACCREC,
            contact=models.Contact(contact_id=contact.contact_id),
            line_amount_types=models.LineAmountTypes.EXCLUSIVE,
            line_items=[
                models.LineItem(
                    description="Levied work",
                    quantity=Decimal(1),
                    unit_amount=Decimal("200.00"),
                    account_code="200",
                    tax_type=made.tax_type,
                )
            ],
        )
    )
    assert invoice.total_tax == Decimal("31.00") and invoice.total == Decimal("231.00")
    removed = await xero.tax_rates.save(
        models.TaxRate(name="Compound levy", status=models.TaxRateStatus.DELETED)
    )
    assert removed.status is models.TaxRateStatus.ARCHIVED
