"""Demo: start a local Xero sandbox over HTTPS, use the SDK's 2.0 and 1.0 clients, stop it.

Run with ``make demo`` (or ``.venv/bin/python examples/demo.py``). API 2.0 first: connect
with client credentials (the demo app's custom connection), create a contact and an invoice
with tracking, page through the invoices, show the rate-limit headroom; then API 1.0 beside
it reads the same records in its own names.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import httpx
from xero_customer_api import XeroClient, field
from xero_customer_api.v1_0 import XeroClient as XeroClientV1
from xero_customer_api.v2_0 import models
from xero_sandbox.process import start_sandbox


def build_invoice(contact: models.Contact, reference: str) -> models.Invoice:
    """A sales invoice with two lines (GST on top) and tracking on each line."""
    return models.Invoice(
        type=models.InvoiceType.ACCREC,
        contact=models.Contact(contact_id=contact.contact_id),
        date=datetime.date.today(),
        due_date=datetime.date.today() + datetime.timedelta(days=20),
        line_amount_types=models.LineAmountTypes.EXCLUSIVE,
        reference=reference,
        status=models.InvoiceStatus.AUTHORISED,
        line_items=[
            models.LineItem(
                description="Flat white (box of 12 pods)",
                quantity=Decimal(3),
                unit_amount=Decimal("18.50"),
                account_code="200",
                tax_type="OUTPUT2",
                tracking=[models.LineItemTracking(name="Region", option="South")],
            ),
            models.LineItem(
                description="Barista training, half day",
                quantity=Decimal(1),
                unit_amount=Decimal("240.00"),
                account_code="260",
                tax_type="OUTPUT2",
                tracking=[
                    models.LineItemTracking(name="Region", option="South"),
                    models.LineItemTracking(name="Salesperson", option="Aroha Ngata"),
                ],
            ),
        ],
    )


def main() -> None:
    """Start the sandbox, run the example calls, print what they returned."""
    print("Starting the Xero sandbox (HTTPS, private CA) ...")
    with start_sandbox() as sandbox, httpx.Client(verify=sandbox.verify()) as http:
        print(f"  2.0 base URL {sandbox.v2_base_url}")
        print(f"  token URL    {sandbox.token_url}")
        print(f"  1.0 base URL {sandbox.base_url}")

        print("\nAPI 2.0, client credentials (a custom connection to one organisation)")
        client = XeroClient(
            client_id=sandbox.client_id,
            client_secret=sandbox.client_secret,
            tenant_id=sandbox.tenant_id,
            token_url=sandbox.token_url,
            base_url=sandbox.v2_base_url,
            http_client=http,
        )
        for connection in client.connections():
            print(f"  connected to {connection.tenant_name} (tenant {connection.tenant_id})")
        contact = client.contacts.create(
            models.Contact(
                name="Southern Roasters Ltd",
                contact_number="CUST-042",
                email_address="accounts@southernroasters.example",
            )
        )
        print(f"  contact  {contact.name} ({contact.contact_number}), id {contact.contact_id}")
        invoice = client.invoices.create(build_invoice(contact, "Demo order"))
        print(
            f"  invoice  {invoice.invoice_number} {invoice.status.value if invoice.status else '-'}:"
            f" subtotal {invoice.sub_total}, tax {invoice.total_tax}, total {invoice.total}"
        )
        for line in invoice.line_items:
            tracking = ", ".join(f"{t.name}={t.option}" for t in line.tracking)
            print(f"    - {line.description:<30} {line.line_amount:>8}  [{tracking}]")
        client.invoices.create_many(
            [build_invoice(contact, f"Standing order {n}") for n in range(1, 250)]
        )
        pages = sum(1 for _ in client.invoices.iter(page_size=100))
        print(f"  paged through {pages} invoices (100 a page, lines included)")
        found = client.invoices.list(
            where=field("Reference").starts_with("Demo") & field("Total").gt(Decimal("300")),
            order="InvoiceNumber DESC",
        )
        print(f"  where Reference starts with 'Demo' and Total > 300: {len(found)} invoice(s)")
        raw = client.contacts.with_raw_response.list()
        limit = raw.rate_limit
        print(
            f"  rate-limit headroom: {limit.minute_remaining} this minute,"
            f" {limit.day_remaining} today, {limit.app_minute_remaining} for the app"
        )

        print("\nAPI 1.0 beside it (partner key + customer key), the same records")
        old = XeroClientV1(
            api_key=sandbox.api_key,
            customer_key=sandbox.customer_key,
            base_url=sandbox.base_url,
            http_client=http,
        )
        seen = old.invoices.get(invoice_number=invoice.invoice_number or "")
        print(
            f"  invoice  {seen.invoice_number} for {seen.contact.name}:"
            f" InvoiceType {seen.invoice_type.value},"
            f" InvoiceStatus {seen.invoice_status.value if seen.invoice_status else '-'},"
            f" total {seen.total}"
        )
        print(f"  {len(old.contacts.list())} contact(s) through 1.0")
    print()
    print("Sandbox stopped (its temporary CA bundle is removed).")
    print("To look around yourself: `make sandbox` keeps one running until Ctrl-C and prints")
    print("`export XERO_...` lines to paste and the URL of its partner console.")


if __name__ == "__main__":
    main()
