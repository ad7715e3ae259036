"""Demo: start a local Xero 1.0 sandbox over HTTPS, use the SDK against it, stop it.

Run with ``make demo`` (or ``.venv/bin/python examples/demo.py``). It creates a contact and
an invoice with two lines and tracking, lists and fetches them, and prints a summary.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import httpx
from xero_customer_api.v1_0 import XeroClient, models
from xero_sandbox.process import start_sandbox


def build_invoice(contact: models.Contact) -> models.Invoice:
    """A sales invoice with two lines (with GST) and tracking on each line."""
    lines = [
        models.LineItem(
            description="Flat white (box of 12 pods)",
            quantity=Decimal(3),
            unit_amount=Decimal("18.50"),
            tax_amount=Decimal("8.33"),
            line_amount=Decimal("55.50"),
            account_code="200",
            tracking=[models.LineItemTracking(name="Region", option="South")],
        ),
        models.LineItem(
            description="Barista training, half day",
            quantity=Decimal(1),
            unit_amount=Decimal("240.00"),
            tax_amount=Decimal("36.00"),
            line_amount=Decimal("240.00"),
            account_code="260",
            tracking=[
                models.LineItemTracking(name="Region", option="South"),
                models.LineItemTracking(name="Salesperson", option="Aroha Ngata"),
            ],
        ),
    ]
    sub_total = sum((line.line_amount for line in lines), Decimal(0))
    total_tax = sum((line.tax_amount or Decimal(0) for line in lines), Decimal(0))
    return models.Invoice(
        invoice_type=models.InvoiceType.ACCREC,
        contact=contact,
        invoice_date=datetime.date.today(),
        due_date=datetime.date.today() + datetime.timedelta(days=20),
        invoice_number="DEMO-0001",
        reference="Demo order",
        includes_tax=True,
        sub_total=sub_total,
        total_tax=total_tax,
        total=sub_total + total_tax,
        line_items=lines,
    )


def main() -> None:
    """Start the sandbox, run the example calls, print the summary."""
    print("Starting the Xero sandbox (HTTPS, private CA) ...")
    with start_sandbox() as sandbox, httpx.Client(verify=sandbox.verify()) as http:
        print(f"  base URL  {sandbox.base_url}")
        print(f"  CA bundle {sandbox.ca_bundle}")
        client = XeroClient(
            api_key=sandbox.api_key,
            customer_key=sandbox.customer_key,
            base_url=sandbox.base_url,
            http_client=http,
        )
        contact = client.contacts.create(
            models.Contact(
                name="Southern Roasters Ltd",
                contact_number="CUST-042",
                email_address="accounts@southernroasters.example",
                addresses=[
                    models.Address(
                        address_type=models.AddressType.STREET,
                        address_line1="18 Harbour Street",
                        city="Dunedin",
                        postal_code="9016",
                        country="New Zealand",
                    )
                ],
                phones=[
                    models.Phone(
                        phone_type=models.PhoneType.DEFAULT,
                        phone_area_code="03",
                        phone_number="4770000",
                    )
                ],
            )
        )
        invoice = client.invoices.create(build_invoice(models.Contact(name=contact.name)))
        listed_contacts = client.contacts.list(type="customers")
        listed_invoices = client.invoices.list()
        fetched = client.invoices.get(invoice_number=invoice.invoice_number)
        accounts = {a.code: a.name for a in client.accounts.list()}

        print()
        print(
            f"Contact   {contact.name} ({contact.contact_number}), status {contact.contact_status.value if contact.contact_status else '-'}"
        )
        print(f"          id {contact.contact_id}")
        print(
            f"Invoice   {fetched.invoice_number} for {fetched.contact.name}, {fetched.invoice_status.value if fetched.invoice_status else '-'}"
        )
        print(
            f"          dated {fetched.invoice_date}, due {fetched.due_date}, id {fetched.invoice_id}"
        )
        for line in fetched.line_items:
            tracking = ", ".join(f"{t.name}={t.option}" for t in line.tracking) or "no tracking"
            account = f"{line.account_code} {accounts.get(line.account_code or '', '?')}"
            print(
                f"  - {line.description:<30} {line.quantity:>8} x {line.unit_amount:>10} = {line.line_amount:>10}  [{account}; {tracking}]"
            )
        print(
            f"          subtotal {fetched.sub_total}  tax {fetched.total_tax}  total {fetched.total}  due {fetched.amount_due}"
        )
        print(f"Listed    {len(listed_contacts)} customer(s), {len(listed_invoices)} invoice(s)")
    print()
    print("Sandbox stopped (its temporary CA bundle is removed).")
    print("To look around yourself: `make sandbox` keeps one running until Ctrl-C and prints")
    print("`export XERO_...` lines to paste and the URL of its partner console.")


if __name__ == "__main__":
    main()
