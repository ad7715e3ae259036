"""Reports computed from the sandbox's books, read over HTTPS from a real ``xero-sandbox
serve`` with raw httpx (XML as Xero sends it): documents made through the SDK in a month no
other test uses (May 2031), then every report checked against what they post."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest
from lxml import etree
from xero_customer_api.v2_0 import XeroClient, models
from xero_sandbox.process import RunningSandbox

from tests.e2e.conftest import sandbox, sandbox_db, unique  # noqa: F401  (fixtures)
from tests.sandbox.ledger_world import Flat, amount, find, flatten

pytestmark = pytest.mark.e2e

MAY = datetime.date(2031, 5, 1)


def token(sandbox: RunningSandbox, scope: str | None = None) -> str:  # noqa: F811
    data = {"grant_type": "client_credentials"}
    if scope is not None:
        data["scope"] = scope
    with httpx.Client(verify=sandbox.verify()) as http:
        answer = http.post(
            sandbox.token_url, data=data, auth=(sandbox.client_id, sandbox.client_secret)
        )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def api(sandbox: RunningSandbox, scope: str | None = None) -> httpx.Client:  # noqa: F811
    return httpx.Client(
        verify=sandbox.verify(),
        base_url=sandbox.v2_base_url,
        headers={
            "Authorization": f"Bearer {token(sandbox, scope)}",
            "xero-tenant-id": sandbox.tenant_id,
        },
    )


@pytest.fixture
def raw(sandbox: RunningSandbox) -> Iterator[httpx.Client]:  # noqa: F811
    with api(sandbox) as http:
        yield http


@pytest.fixture
def client(sandbox: RunningSandbox) -> Iterator[XeroClient]:  # noqa: F811
    http = httpx.Client(verify=sandbox.verify())
    made = XeroClient(
        client_id=sandbox.client_id,
        client_secret=sandbox.client_secret,
        tenant_id=sandbox.tenant_id,
        token_url=sandbox.token_url,
        base_url=sandbox.v2_base_url,
        http_client=http,
    )
    yield made
    made.close()
    http.close()


def report(raw: httpx.Client, name: str, **query: str) -> tuple[etree._Element, list[Flat]]:
    answer = raw.get(f"Reports/{name}", params=query)
    assert answer.status_code == 200, answer.text[:2000]
    assert answer.headers["content-type"].startswith("text/xml")
    root = etree.fromstring(answer.content)
    found = root.find("Reports/Report")
    assert found is not None
    return found, flatten(found)


def line(amount_: str, account: str, tax: str) -> models.LineItem:
    return models.LineItem(description="Goods", quantity=Decimal(1),
                           unit_amount=Decimal(amount_), account_code=account, tax_type=tax)  # fmt: skip


def test_every_report_reads_the_books(
    client: XeroClient,
    raw: httpx.Client,
    sandbox: RunningSandbox,  # noqa: F811
    unique: str,  # noqa: F811
) -> None:
    customer, supplier = f"Customer {unique}", f"Supplier {unique}"
    invoice = client.invoices.create(
        models.Invoice(type=models.InvoiceType.ACCREC, contact=models.Contact(name=customer),
                       date=MAY.replace(day=10), due_date=MAY.replace(day=20),
                       status=models.InvoiceStatus.AUTHORISED,
                       line_items=[line("200.00", "200", "OUTPUT2")])
    )  # fmt: skip
    bill = client.invoices.create(
        models.Invoice(type=models.InvoiceType.ACCPAY, contact=models.Contact(name=supplier),
                       date=MAY.replace(day=12), status=models.InvoiceStatus.AUTHORISED,
                       line_items=[line("80.00", "429", "INPUT2")])
    )  # fmt: skip
    assert invoice.total == Decimal("230.00") and bill.total == Decimal("92.00")
    payment = client.payments.create(
        models.Payment(invoice=models.Invoice(invoice_id=invoice.invoice_id),
                       account=models.Account(code="090"), date=MAY.replace(day=25),
                       amount=Decimal("100.00"))
    )  # fmt: skip
    client.payments.create(
        models.Payment(invoice=models.Invoice(invoice_id=bill.invoice_id),
                       account=models.Account(code="090"), date=MAY.replace(day=26),
                       amount=Decimal("92.00"))
    )  # fmt: skip
    month = {"fromDate": "2031-05-01", "toDate": "2031-05-31"}

    # Profit and Loss: accruals, the cash basis, comparative months
    element, rows = report(raw, "ProfitAndLoss", **month)
    assert element.findtext("ReportID") == "ProfitAndLoss"
    assert element.findtext("ReportTitles/ReportTitle") == "Profit and Loss"
    assert rows[0].kind == "Header" and rows[0].values == ["", "31 May 31"]
    assert find(rows, "Sales", "Income").values[1] == "200.00"
    assert find(rows, "Sales", "Income").ids[0]  # the account's id on the row's cells
    assert find(rows, "Total Operating Expenses").values[1] == "80.00"
    assert find(rows, "Net Profit").values[1] == "120.00"
    _, cash = report(raw, "ProfitAndLoss", paymentsOnly="true", **month)
    assert find(cash, "Sales").values[1] == "86.96"  # 100 of 230 paid: 100 / 230 x 200
    assert find(cash, "Net Profit").values[1] == "6.96"
    _, compared = report(raw, "ProfitAndLoss", periods="2", timeframe="MONTH", **month)
    assert compared[0].values == ["", "31 May 31", "30 Apr 31", "31 Mar 31"]
    assert find(compared, "Net Profit").values == ["Net Profit", "120.00", "0.00", "0.00"]

    # Trial balance and balance sheet balance
    _, trial = report(raw, "TrialBalance", date="2031-05-31")
    totals = find(trial, "Total").values
    assert totals[1] == totals[2] and totals[3] == totals[4]
    assert find(trial, "Sales (200)").values[2] == "200.00"  # May's credit to sales
    _, sheet = report(raw, "BalanceSheet", date="2031-05-31", periods="1")
    assert sheet[0].values == ["", "31 May 2031", "30 Apr 2031"]
    assert find(sheet, "Net Assets").values[1:] == find(sheet, "Total Equity").values[1:]
    _, april = report(raw, "BalanceSheet", date="2031-04-30")
    change = sum(amount(find(sheet, label).values[1]) - amount(find(april, label).values[1])
                 for label in ("Current Year Earnings", "Retained Earnings"))  # fmt: skip
    assert change == Decimal("120.00")

    # aged receivables and payables of one contact
    refused = raw.get("Reports/AgedReceivablesByContact")
    assert refused.status_code == 400 and b"contactId" in refused.content
    assert invoice.contact is not None and bill.contact is not None
    _, aged = report(raw, "AgedReceivablesByContact", contactId=str(invoice.contact.contact_id),
                     date="2031-06-30")  # fmt: skip
    assert aged[0].values[:2] == ["Date", "Number"]
    (shown,) = [r for r in aged if r.kind == "Row" and r.ids and r.ids[0]]
    assert shown.ids[0] == invoice.invoice_id
    assert shown.values[1] == invoice.invoice_number
    assert shown.values[3] == "41 days overdue"
    assert shown.values[4:] == ["230.00", "100.00", "0.00", "130.00"]
    assert find(aged, "Closing Balance").values[-1] == "130.00"
    _, payable = report(raw, "AgedPayablesByContact", contactId=str(bill.contact.contact_id),
                        date="2031-06-30")  # fmt: skip
    assert payable[0].values[1] == "Reference"
    assert find(payable, "Closing Balance").values[-1] == "0.00"  # paid in full

    # bank summary, executive summary, budget summary, 1099
    _, bank = report(raw, "BankSummary", **month)
    account = find(bank, "Business Bank Account")
    assert account.values[2:4] == ["100.00", "92.00"]
    opening, received, spent, closing = (amount(v) for v in account.values[1:])
    assert closing == opening + received - spent
    _, summary = report(raw, "ExecutiveSummary", date="2031-05-31")
    assert summary[0].values == ["", "May 2031", "Apr 2031", "Variance"]
    assert find(summary, "Income", "Profitability").values[1] == "200.00"
    assert find(summary, "Number of invoices issued").values[1] == "1"
    _, budget = report(raw, "BudgetSummary", date="2031-05-01", periods="3", timeframe="1")
    assert budget[0].values == ["Account", "May-31", "Jun-31", "Jul-31"]
    element, _ = report(raw, "TenNinetyNine", reportYear="2031")
    contacts = {c.findtext("Name"): c for c in element.iterfind("Contacts/Contact")}
    assert contacts[supplier].findtext("Box7") == "92.00"

    # the books follow a deletion and a void: the month's income goes
    client.payments.delete(payment_id=str(payment.payment_id))
    client.invoices.save(models.Invoice(invoice_id=invoice.invoice_id,
                                        status=models.InvoiceStatus.VOIDED))  # fmt: skip
    _, after = report(raw, "ProfitAndLoss", **month)
    assert not any(r.section == "Income" for r in after)
    assert find(after, "Net Profit").values[1] == "-80.00"
    journals = etree.fromstring(raw.get("Journals").content)
    assert journals.tag == "Response"


def test_published_reports_and_unknown_names(raw: httpx.Client) -> None:
    listed = etree.fromstring(raw.get("Reports").content)
    for found in listed.iterfind("Reports/Report"):
        report_id = found.findtext("ReportID") or ""
        assert found.findtext("ReportType") == "GSTReport"
        one = etree.fromstring(raw.get(f"Reports/{report_id}").content)
        assert one.findtext("Reports/Report/ReportID") == report_id
        assert one.find("Reports/Report/Rows/Row") is not None
    assert raw.get("Reports/00000000-0000-4000-8000-000000000000").status_code == 404
    assert raw.get("Reports/NoSuchReport").status_code == 404
    lower = raw.get("reports/trialbalance", params={"DATE": "2031-05-31"})
    assert lower.status_code == 200  # names and parameters in any case


def test_reports_need_their_scope(sandbox: RunningSandbox) -> None:  # noqa: F811
    with api(sandbox, "accounting.transactions") as books:
        assert books.get("Reports/TrialBalance").status_code == 403
    with api(sandbox, "accounting.reports.read") as reader:
        assert reader.get("Reports/TrialBalance").status_code == 200
        assert reader.get("Invoices").status_code == 403
