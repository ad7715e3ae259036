"""A user's script touching every endpoint of family C (the organisation and its settings); `make
check` runs mypy --strict over it.

assert_type makes mypy prove the SDK's types are real (not Any). It is never executed.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from typing import assert_type

from xero_customer_api import AsyncXeroClient, BatchResult, RawResponse, XeroClient
from xero_customer_api.v2_0 import models

ID = "8d2e4f60-1a3b-4c5d-8e7f-9a0b1c2d3e4f"
RATE = models.TaxRate(
    name="Levy",
    tax_components=[models.TaxComponent(name="L", rate=Decimal("2.5"), is_compound=False)],
    report_tax_type=models.ReportTaxType.OUTPUT,
)
SERVICE = models.PaymentService(
    payment_service_name="Pay", payment_service_url="https://p.example/"
)
GROUP = models.ContactGroup(name="Wholesale")


def sync_calls(client: XeroClient) -> None:
    # organisation, its actions and CIS settings; invoice reminders
    org = client.organisation.get()
    assert_type(org, models.Organisation)
    assert_type(org.version, models.OrganisationVersion | None)
    assert_type(org.class_, models.OrganisationClass | None)
    assert_type(org.created_date_utc, datetime.datetime | None)
    assert_type(org.period_lock_date, datetime.date | None)
    assert_type(org.external_links, list[models.ExternalLink])
    assert_type(client.organisation.list_actions(), list[models.Action])
    cis = client.organisation.get_cis_settings(organisation_id=uuid.UUID(ID))
    assert_type(cis.cis_contractor_enabled, bool | None)
    assert_type(client.invoice_reminders.get(), models.InvoiceReminder)
    assert_type(
        client.organisation.with_raw_response.get(), RawResponse[models.OrganisationsResponse]
    )
    # currencies
    assert_type(client.currencies.list(where='Code=="EUR"', order="Code"), list[models.Currency])
    assert_type(client.currencies.iter(), Iterator[models.Currency])
    assert_type(client.currencies.create(models.Currency(code="EUR")), models.Currency)
    # tax rates
    assert_type(client.tax_rates.list(where='Status=="ACTIVE"'), list[models.TaxRate])
    assert_type(client.tax_rates.iter(order="Name"), Iterator[models.TaxRate])
    rate = client.tax_rates.get(tax_type="OUTPUT2")
    assert_type(rate.effective_rate, Decimal | None)
    assert_type(rate.tax_components, list[models.TaxComponent])
    assert_type(rate.status, models.TaxRateStatus | None)
    assert_type(client.tax_rates.create(RATE, idempotency_key="k"), models.TaxRate)
    assert_type(client.tax_rates.create_many([RATE]), BatchResult[models.TaxRate])
    assert_type(client.tax_rates.save(RATE), models.TaxRate)
    assert_type(client.tax_rates.save_many([RATE]), BatchResult[models.TaxRate])
    # contact groups and their members
    assert_type(client.contact_groups.list(where='Name!=""'), list[models.ContactGroup])
    assert_type(client.contact_groups.iter(), Iterator[models.ContactGroup])
    group = client.contact_groups.get(contact_group_id=ID)
    assert_type(group.contacts, list[models.ContactGroupMember])
    assert_type(client.contact_groups.create(GROUP), models.ContactGroup)
    assert_type(client.contact_groups.create_many([GROUP]), BatchResult[models.ContactGroup])
    assert_type(
        client.contact_groups.save(contact_group_id=ID, contact_group=GROUP), models.ContactGroup
    )
    assert_type(client.contact_groups.delete(contact_group_id=ID), models.ContactGroup)
    added = client.contact_groups.contacts.add(
        contact_group_id=ID, contacts=[models.Contact(contact_id=ID)]
    )
    assert_type(added, list[models.Contact])
    assert_type(client.contact_groups.contacts.remove(contact_group_id=ID, contact_id=ID), None)
    assert_type(client.contact_groups.contacts.remove_all(contact_group_id=ID), None)
    assert_type(
        client.contact_groups.with_raw_response.contacts.remove_all(contact_group_id=ID),
        RawResponse[None],
    )
    assert_type(client.tax_rates.delete(name="Old rate"), models.TaxRate)
    # payment services and branding themes
    assert_type(client.payment_services.list(), list[models.PaymentService])
    assert_type(client.payment_services.iter(), Iterator[models.PaymentService])
    assert_type(client.payment_services.create(SERVICE), models.PaymentService)
    assert_type(client.payment_services.create_many([SERVICE]), BatchResult[models.PaymentService])
    assert_type(client.branding_themes.list(), list[models.BrandingTheme])
    assert_type(client.branding_themes.iter(), Iterator[models.BrandingTheme])
    theme = client.branding_themes.get(branding_theme_id=ID)
    assert_type(theme.sort_order, int | None)
    assert_type(
        client.branding_themes.list_payment_services(branding_theme_id=ID),
        list[models.PaymentService],
    )
    assert_type(
        client.branding_themes.add_payment_service(
            branding_theme_id=ID, payment_service=models.PaymentService(payment_service_id=ID)
        ),
        models.PaymentService,
    )
    # budgets
    budgets = client.budgets.list(
        ids=[ID], date_from=datetime.date(2026, 7, 1), date_to=datetime.date(2026, 12, 31)
    )
    assert_type(budgets, list[models.Budget])
    assert_type(client.budgets.iter(), Iterator[models.Budget])
    budget = client.budgets.get(budget_id=ID, date_from=datetime.date(2026, 7, 1))
    assert_type(budget.budget_lines[0].budget_balances[0].amount, Decimal | None)
    # setup
    summary = client.setup.save(
        setup=models.Setup(
            conversion_date=models.ConversionDate(month=4, year=2026),
            conversion_balances=[models.ConversionBalance(account_code="090", balance=Decimal(1))],
        )
    )
    assert_type(summary, models.ImportSummary)


async def async_calls(client: AsyncXeroClient) -> None:
    assert_type(await client.organisation.get(), models.Organisation)
    assert_type(await client.organisation.list_actions(), list[models.Action])
    assert_type(await client.invoice_reminders.get(), models.InvoiceReminder)
    assert_type(client.tax_rates.iter(), AsyncIterator[models.TaxRate])
    assert_type(await client.tax_rates.create_many([RATE]), BatchResult[models.TaxRate])
    assert_type(await client.currencies.create(models.Currency(code="EUR")), models.Currency)
    assert_type(
        await client.contact_groups.contacts.add(contact_group_id=ID, contacts=[]),
        list[models.Contact],
    )
    assert_type(await client.contact_groups.contacts.remove_all(contact_group_id=ID), None)
    assert_type(await client.payment_services.list(), list[models.PaymentService])
    assert_type(await client.branding_themes.get(branding_theme_id=ID), models.BrandingTheme)
    assert_type(await client.budgets.get(budget_id=ID), models.Budget)
    assert_type(await client.setup.save(setup=models.Setup()), models.ImportSummary)
