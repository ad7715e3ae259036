"""Demo: start a local Xero sandbox over HTTPS, use the SDK's 2.0 and 1.0 clients, stop it.

Run with ``make demo`` (or ``.venv/bin/python examples/demo.py``). API 2.0 first: connect
with client credentials (the demo app's custom connection), create a contact and an invoice
with tracking, page through the invoices, show the rate-limit headroom; then a month of
trading in the sandbox's books (invoices, a payment, a credit note allocated, a receipt
attached to a bill, a note), with the Profit and Loss and the aged receivables it gives and
one invoice's PDF saved under ``build/demo/``; then API 1.0 beside it reads the same records
in its own names.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

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


#: Where the demo saves what it downloads (the invoice's PDF, the receipt it attached).
OUTPUT = Path("build") / "demo"


def sale(
    contact: models.Contact, day: datetime.date, lines: list[tuple[str, int, str]]
) -> models.Invoice:
    """An approved sales invoice of ``lines`` (description, quantity, unit price; GST on top)."""
    return models.Invoice(
        type=models.InvoiceType.ACCREC,
        contact=models.Contact(contact_id=contact.contact_id),
        date=day,
        due_date=day + datetime.timedelta(days=20),
        line_amount_types=models.LineAmountTypes.EXCLUSIVE,
        status=models.InvoiceStatus.AUTHORISED,
        line_items=[
            models.LineItem(
                description=description,
                quantity=Decimal(quantity),
                unit_amount=Decimal(price),
                account_code="200",
                tax_type="OUTPUT2",
            )
            for description, quantity, price in lines
        ],
    )


def month_of_trading(client: XeroClient) -> None:
    """Last month in a small roastery's books, then the reports Xero computes from them."""
    last = datetime.date.today().replace(day=1) - datetime.timedelta(days=1)
    first = last.replace(day=1)

    def day(n: int) -> datetime.date:
        return first + datetime.timedelta(days=n - 1)

    print(f"\nA month of trading ({first:%B %Y}) in the sandbox's books")
    cafe = client.contacts.create(
        models.Contact(name="Harbour Street Cafe", email_address="accounts@harbourcafe.example")
    )
    grower = client.contacts.create(models.Contact(name="Kaituna Coffee Growers"))
    sales = client.invoices.create_many(
        [
            sale(cafe, day(2), [("House blend, 1 kg bags", 12, "38.00")]),
            sale(cafe, day(9), [("Single origin, 1 kg bags", 6, "52.00")]),
            sale(
                cafe,
                day(16),
                [("House blend, 1 kg bags", 10, "38.00"), ("Grinder service", 1, "95.00")],
            ),
        ]
    )
    invoices = [item.item for item in sales.succeeded]
    for invoice in invoices:
        print(f"  invoice     {invoice.invoice_number} {invoice.date} total {invoice.total}")
    paid = invoices[0]
    client.payments.create(
        models.Payment(
            invoice=models.Invoice(invoice_id=paid.invoice_id),
            account=models.Account(code="090"),
            date=day(20),
            amount=paid.amount_due,
        )
    )
    print(f"  payment     {paid.amount_due} for {paid.invoice_number} into the bank account 090")
    credit = client.credit_notes.create(
        models.CreditNote(
            type=models.CreditNoteType.ACCRECCREDIT,
            contact=models.Contact(contact_id=cafe.contact_id),
            date=day(21),
            line_amount_types=models.LineAmountTypes.EXCLUSIVE,
            status=models.CreditNoteStatus.AUTHORISED,
            line_items=[
                models.LineItem(
                    description="Two bags returned damaged",
                    quantity=Decimal(2),
                    unit_amount=Decimal("52.00"),
                    account_code="200",
                    tax_type="OUTPUT2",
                )
            ],
        )
    )
    returned = invoices[1]
    client.credit_notes.allocations.create(
        credit_note_id=credit.credit_note_id,
        allocations=[
            models.Allocation(
                invoice=models.AllocationInvoice(invoice_id=returned.invoice_id),
                applied_amount=credit.total,
                date=day(21),
            )
        ],
    )
    after = client.invoices.get(invoice_id=returned.invoice_id)
    print(
        f"  credit note {credit.credit_note_number} ({credit.total}) allocated to"
        f" {returned.invoice_number}: {after.amount_due} still due"
    )
    bill = client.invoices.create(
        models.Invoice(
            type=models.InvoiceType.ACCPAY,
            contact=models.Contact(contact_id=grower.contact_id),
            date=day(5),
            due_date=day(25),
            invoice_number="KCG-2231",
            line_amount_types=models.LineAmountTypes.EXCLUSIVE,
            status=models.InvoiceStatus.AUTHORISED,
            line_items=[
                models.LineItem(
                    description="Green beans, 60 kg sack",
                    quantity=Decimal(3),
                    unit_amount=Decimal("310.00"),
                    account_code="310",
                    tax_type="INPUT2",
                )
            ],
        )
    )
    OUTPUT.mkdir(parents=True, exist_ok=True)
    receipt = OUTPUT / "kaituna-receipt.txt"
    receipt.write_text(f"Kaituna Coffee Growers\nInvoice KCG-2231, {day(5)}\n3 x green beans\n")
    attached = client.invoices.attachments.upload(
        invoice_id=bill.invoice_id, file_name=receipt.name, content=receipt
    )
    print(
        f"  bill        KCG-2231 total {bill.total}, receipt attached ({attached.content_length} bytes)"
    )
    client.invoices.history.add_note(
        invoice_id=returned.invoice_id, details="Two bags arrived damaged; credited in full."
    )

    pnl = client.reports.profit_and_loss(from_date=first, to_date=last)
    print(f"\n  {' / '.join(pnl.report_titles)}")
    for line in pnl.to_table():
        amount = next((v for v in list(line.values.values())[1:] if v is not None), "")
        indent = "    " if line.is_summary else "      "
        print(f"{indent}{line.label:<32} {amount!s:>10}")
    assert cafe.contact_id is not None  # Xero always gives a saved contact its id
    aged = client.reports.aged_receivables_by_contact(contact_id=cafe.contact_id, date=last)
    print(f"\n  {aged.report_name}: {' / '.join(aged.report_titles[1:])}")
    for line in aged.to_table():
        number, due = line.values.get("Number"), line.values.get("Due")
        label = f"{line.label} {number}" if number else line.label
        print(f"      {label:<32} {'' if due is None else due!s:>10}")
    pdf = OUTPUT / f"{invoices[2].invoice_number}.pdf"
    size = client.invoices.pdf_to(invoice_id=invoices[2].invoice_id, destination=pdf)
    print(f"\n  saved {pdf} ({size} bytes, rendered by the sandbox)")


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
        month_of_trading(client)

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
