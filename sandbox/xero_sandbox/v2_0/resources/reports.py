"""Reports of the Accounting API 2.0, computed from the sandbox's books (:mod:`...ledger`).

``GET Reports/{name}`` for TrialBalance, ProfitAndLoss, BalanceSheet, AgedReceivablesByContact,
AgedPayablesByContact, BankSummary, BudgetSummary, ExecutiveSummary and TenNinetyNine (names
and parameters case-insensitive), ``GET Reports`` (the published reports: the organisation's
GST returns) and ``GET Reports/{ReportID}``. Every report is ``<Reports><Report>`` with
ReportID, ReportName, ReportType, ReportTitles, ReportDate, UpdatedDateUTC and Rows: a Header
row, Sections (optionally titled, their own Rows), Rows and SummaryRows, each with Cells of a
Value and Attributes (``account`` on every cell of an account row, ``accountID`` on the
BankSummary rows, ``invoiceID`` on the aged reports' documents). Amounts are two-place
decimals. Facts: reference section 5; the rows and their meaning there are followed; every
rule beyond them is marked ``# inferred:``.

``paymentsOnly=true`` reads the cash-basis lines of the journals (see :mod:`...ledger`);
tracking options filter the lines that carry them. Retained earnings are the profit of the
financial years before the one of the report date (the organisation's year ends on 31 March),
Current Year Earnings the profit since that year began.
"""

from __future__ import annotations

import calendar
import datetime
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lxml import etree

from ... import ledger, records
from ...amounts import round2, total
from .. import codec
from ..errors import POST_DATA_INVALID, VALIDATION, ApiError
from ..service import _GUID, Answer, Call, NotFound, Service

SCHEMA = ledger.SCHEMA

#: The placeholder account id of the balance sheet's Current Year Earnings row (facts).
CURRENT_YEAR_EARNINGS = "abababab-abab-abab-abab-abababababab"
# inferred: the organisation's financial year ends on 31 March (its Organisation says so).
YEAR_END_MONTH, YEAR_END_DAY = 3, 31
_TIMEFRAMES = {"MONTH": 1, "QUARTER": 3, "YEAR": 12}
# inferred: which section of the Profit and Loss each account type falls in.
_PNL_SECTIONS = (
    ("Income", "Total Income", ("REVENUE", "SALES")),
    ("Less Cost of Sales", "Total Cost of Sales", ("DIRECTCOSTS",)),
    ("Other Income", "Total Other Income", ("OTHERINCOME",)),
    ("Less Operating Expenses", "Total Operating Expenses", ("EXPENSE", "OVERHEADS", "DEPRECIATN")),
)
_INCOME_TYPES = ("REVENUE", "SALES", "OTHERINCOME")
_PNL_TYPES = frozenset(t for _, _, types in _PNL_SECTIONS for t in types)
# inferred: which section of the Balance Sheet each account type falls in.
_ASSET_SECTIONS = (
    ("Bank", ("BANK",)),
    ("Current Assets", ("CURRENT", "INVENTORY", "PREPAYMENT")),
    ("Fixed Assets", ("FIXED",)),
    ("Non-current Assets", ("NONCURRENT",)),
)
_LIABILITY_SECTIONS = (
    ("Current Liabilities", ("CURRLIAB", "LIABILITY", "PAYG")),
    ("Non-current Liabilities", ("TERMLIAB",)),
)
_TB_SECTIONS = (
    ("Revenue", "REVENUE"),
    ("Expenses", "EXPENSE"),
    ("Assets", "ASSET"),
    ("Liabilities", "LIABILITY"),
    ("Equity", "EQUITY"),
)


# ----------------------------------------------------------------------------- rows


Attribute = tuple[str, str]  # (Value, Id)


@dataclass(slots=True)
class Cell:
    """A report cell: its value (empty: ``<Cell />``) and attributes."""

    value: str = ""
    attributes: list[Attribute] = field(default_factory=list)


@dataclass(slots=True)
class Row:
    """A report row (Header, Section, Row or SummaryRow)."""

    kind: str
    cells: list[Cell] = field(default_factory=list)
    title: str | None = None
    rows: list[Row] = field(default_factory=list)


def money(value: Decimal) -> str:
    """An amount as the reports write it: two places, no negative zero."""
    value = round2(value)
    return "0.00" if value == 0 else f"{value:.2f}"


def _cells(*values: str, attributes: Sequence[Attribute] = ()) -> list[Cell]:
    return [Cell(v, list(attributes)) for v in values]


def _account_row(label: str, account_id: str, values: Iterable[str]) -> Row:
    attrs = [(account_id, "account")]
    return Row("Row", [Cell(label, attrs), *(Cell(v, attrs) for v in values)])


def _summary(label: str, values: Iterable[str]) -> Row:
    return Row("SummaryRow", [Cell(label), *(Cell(v) for v in values)])


def _write_rows(parent: etree._Element, rows: list[Row]) -> None:
    holder = etree.SubElement(parent, "Rows")
    for row in rows:
        el = etree.SubElement(holder, "Row")
        etree.SubElement(el, "RowType").text = row.kind
        if row.title is not None:
            etree.SubElement(el, "Title").text = row.title
        if row.kind == "Section":
            _write_rows(el, row.rows)
        if row.cells:
            cells = etree.SubElement(el, "Cells")
            for cell in row.cells:
                c = etree.SubElement(cells, "Cell")
                if cell.value:
                    etree.SubElement(c, "Value").text = cell.value
                if cell.attributes:
                    attrs = etree.SubElement(c, "Attributes")
                    for value, name in cell.attributes:
                        a = etree.SubElement(attrs, "Attribute")
                        etree.SubElement(a, "Value").text = value
                        etree.SubElement(a, "Id").text = name


@dataclass(slots=True)
class Report:
    """A report before it is written."""

    report_id: str
    name: str
    report_type: str
    titles: list[str]
    rows: list[Row]

    def element(self) -> etree._Element:
        el = etree.Element("Report")
        etree.SubElement(el, "ReportID").text = self.report_id
        etree.SubElement(el, "ReportName").text = self.name
        etree.SubElement(el, "ReportType").text = self.report_type
        titles = etree.SubElement(el, "ReportTitles")
        for title in self.titles:
            etree.SubElement(titles, "ReportTitle").text = title
        # the day the report is run, as the captures show it beside UpdatedDateUTC
        etree.SubElement(el, "ReportDate").text = long_date(_today())
        etree.SubElement(el, "UpdatedDateUTC").text = codec.format_envelope_time(
            datetime.datetime.now(datetime.UTC)
        )
        _write_rows(el, self.rows)
        return el


def _answer(call: Call, reports: list[etree._Element]) -> Answer:
    return Answer(200, codec.envelope(call.provider, "Reports", reports))


# ----------------------------------------------------------------------------- dates


def long_date(d: datetime.date) -> str:
    """``23 March 2011`` (ReportDate, titles)."""
    return f"{d.day} {d:%B %Y}"


def _short_date(d: datetime.date) -> str:
    """``31 May 14`` (Profit and Loss columns)."""
    return f"{d.day} {d:%b %y}"


def _medium_date(d: datetime.date) -> str:
    """``31 May 2014`` (Balance Sheet columns)."""
    return f"{d.day} {d:%b %Y}"


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(d: datetime.date, months: int, *, keep_end: bool = False) -> datetime.date:
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    if keep_end and d.day == calendar.monthrange(d.year, d.month)[1]:
        return datetime.date(year, month, last)
    return datetime.date(year, month, min(d.day, last))


def year_start(d: datetime.date) -> datetime.date:
    """The first day of the financial year holding ``d``."""
    start = _add_months(datetime.date(d.year, YEAR_END_MONTH, 1), 1)
    return start if d >= start else datetime.date(start.year - 1, start.month, 1)


def _today() -> datetime.date:
    return datetime.datetime.now(datetime.UTC).date()


# ----------------------------------------------------------------------------- parameters


class Params:
    """A report's query parameters, names case-insensitive (# inferred: clients send
    PascalCase names, the spec camelCase)."""

    def __init__(self, call: Call) -> None:
        self.values = {k.lower(): v for k, v in call.query.items()}

    def text(self, name: str) -> str | None:
        value = self.values.get(name.lower(), "").strip()
        return value or None

    def date(self, name: str) -> datetime.date | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            # inferred wording: the facts give no message for a bad date
            raise ApiError(
                POST_DATA_INVALID, f"{name} must be a date (YYYY-MM-DD), not '{value[:40]}'."
            ) from None

    def whole(self, name: str, low: int, high: int) -> int | None:
        value = self.text(name)
        if value is None:
            return None
        if not value.isdigit() or not low <= int(value) <= high:
            raise ApiError(
                POST_DATA_INVALID,
                f"{name} must be a whole number from {low} to {high}, not '{value[:40]}'.",
            )
        return int(value)

    def flag(self, name: str) -> bool:
        value = self.text(name)
        if value is None:
            return False
        if value.lower() not in ("true", "false"):
            raise ApiError(POST_DATA_INVALID, f"{name} must be true or false, not '{value[:40]}'.")
        return value.lower() == "true"

    def choice(self, name: str, allowed: Iterable[str]) -> str | None:
        value = self.text(name)
        if value is None:
            return None
        options = list(allowed)
        if value.upper() not in options:
            raise ApiError(
                POST_DATA_INVALID,
                f"{name} must be one of {', '.join(options)}, not '{value[:40]}'.",
            )
        return value.upper()

    def guid(self, name: str) -> str | None:
        value = self.text(name)
        if value is None:
            return None
        if not _GUID.match(value):
            raise ApiError(POST_DATA_INVALID, f"{name} must be a GUID, not '{value[:60]}'.")
        return value.lower()


# ----------------------------------------------------------------------------- the books


@dataclass(slots=True)
class _Posted:
    date: datetime.date
    line: ledger.Line


class Books:
    """The ledger of one organisation on one basis (accruals or cash), read once."""

    def __init__(
        self, service: Service, call: Call, *, cash: bool, options: Sequence[str] = ()
    ) -> None:
        self.store = service.store
        self.org = call.org.org_id
        self.org_name = call.org.name
        self.accounts = {a.account_id: a for a in self.store.accounts(self.org)}
        wanted = set(options)
        self.posted = [
            _Posted(j.date, line)
            for j in ledger.journals(self.store, self.org)
            for line in ledger.lines_of(j, cash=cash)
            if not wanted or wanted <= {t.option_id for t in line.tracking}
        ]
        for p in self.posted:  # an account deleted since keeps the name it posted under
            if p.line.account_id not in self.accounts:
                self.accounts[p.line.account_id] = ledger._account_of(p.line)

    def sums(
        self,
        start: datetime.date | None,
        end: datetime.date,
        *,
        picks: Sequence[tuple[str, str | None]] = (),
    ) -> dict[str, Decimal]:
        """Net movement per account from ``start`` (None: the beginning) to ``end``, of the
        lines carrying every (category, option) of ``picks`` (option None: no option of that
        category)."""
        out: dict[str, Decimal] = {}
        for p in self.posted:
            if p.date > end or (start is not None and p.date < start):
                continue
            if not all(_carries(p.line, category, option) for category, option in picks):
                continue
            out[p.line.account_id] = out.get(p.line.account_id, Decimal(0)) + p.line.net_amount
        return out

    def kind(self, account_id: str) -> str:
        return self.accounts[account_id].type

    def ordered(self, ids: Iterable[str]) -> list[records.Account]:
        return sorted((self.accounts[i] for i in set(ids)), key=lambda a: (a.code, a.name))

    def profit(self, start: datetime.date | None, end: datetime.date) -> Decimal:
        """Income less expenses from ``start`` to ``end``."""
        sums = self.sums(start, end)
        return -total(v for k, v in sums.items() if self.kind(k) in _PNL_TYPES)


def _carries(line: ledger.Line, category: str, option: str | None) -> bool:
    if option is None:
        return not any(t.category_id == category for t in line.tracking)
    return any(t.option_id == option for t in line.tracking)


# ----------------------------------------------------------------------------- trial balance


def trial_balance(service: Service, call: Call, params: Params) -> Report:
    """TrialBalance: the month of ``date`` (Debit, Credit) and the year to date (YTD)."""
    date = params.date("date") or _today()
    books = Books(service, call, cash=params.flag("paymentsOnly"))
    # inferred (from captured numbers): Debit/Credit are the movement of the month of the
    # date; YTD the year to date for profit and loss accounts, the balance for the others.
    month = books.sums(date.replace(day=1), date)
    fy = year_start(date)
    year = books.sums(fy, date)
    closing = books.sums(None, date)
    ytd = {
        k: (year.get(k, Decimal(0)) if books.kind(k) in _PNL_TYPES else v)
        for k, v in closing.items()
    }
    retained = books.profit(None, fy - datetime.timedelta(days=1))
    sections = []
    totals = [Decimal(0)] * 4
    for title, cls in _TB_SECTIONS:
        rows = []
        for account in books.ordered(set(month) | set(ytd)):
            if _class(account) != cls:
                continue
            m, y = (
                month.get(account.account_id, Decimal(0)),
                ytd.get(account.account_id, Decimal(0)),
            )
            if m == 0 and y == 0:
                continue
            values = [*_dr_cr(m), *_dr_cr(y)]
            totals = [a + (Decimal(v) if v else 0) for a, v in zip(totals, values, strict=True)]
            rows.append(
                _account_row(f"{account.name} ({account.code})", account.account_id, values)
            )
        if cls == "EQUITY" and retained:
            values = ["", "", *_dr_cr(-retained)]
            totals = [a + (Decimal(v) if v else 0) for a, v in zip(totals, values, strict=True)]
            rows.append(_account_row("Retained Earnings", _retained_id(books), values))
        if rows:
            sections.append(Row("Section", title=title, rows=rows))
    sections.append(Row("Section", rows=[_summary("Total", [money(t) for t in totals])]))
    return Report(
        "TrialBalance",
        "Trial Balance",
        "TrialBalance",
        ["Trial Balance", books.org_name, f"As at {long_date(date)}"],
        [Row("Header", _cells("Account", "Debit", "Credit", "YTD Debit", "YTD Credit")), *sections],
    )


def _dr_cr(value: Decimal) -> list[str]:
    if value > 0:
        return [money(value), ""]
    if value < 0:
        return ["", money(-value)]
    return ["", ""]


def _class(account: records.Account) -> str:
    from ...seed import ACCOUNT_CLASS

    return account.account_class or ACCOUNT_CLASS.get(account.type, "")


def _retained_id(books: Books) -> str:
    found = next(
        (
            a
            for a in books.accounts.values()
            if a.type == "EQUITY" and a.name.casefold() == "retained earnings"
        ),
        None,
    )
    # inferred: without a Retained Earnings account the row carries a placeholder id
    return found.account_id if found else "acacacac-acac-acac-acac-acacacacacac"


# ----------------------------------------------------------------------------- profit and loss


def _columns(
    start: datetime.date, end: datetime.date, periods: int | None, months: int
) -> list[tuple[datetime.date, datetime.date]]:
    """The report range, then ``periods`` earlier ranges (# inferred: each ``timeframe``
    earlier, newest first)."""
    out = [(start, end)]
    for k in range(1, (periods or 0) + 1):
        out.append((_add_months(start, -k * months), _add_months(end, -k * months, keep_end=True)))
    return out


def profit_and_loss(service: Service, call: Call, params: Params) -> Report:
    """ProfitAndLoss over fromDate..toDate (default: this month), comparative periods,
    tracking and the cash basis."""
    today = _today()
    given_start, given_end = params.date("fromDate"), params.date("toDate")
    # inferred defaults: this month; the month of toDate, or to the end of fromDate's month
    start = given_start or (given_end or today).replace(day=1)
    end = given_end or _month_end(start.year, start.month)
    if end < start:
        raise ApiError(POST_DATA_INVALID, "fromDate must not be after toDate.")  # inferred
    periods = params.whole("periods", 1, 12)
    months = _TIMEFRAMES[params.choice("timeframe", _TIMEFRAMES) or "MONTH"]
    params.flag("standardLayout")  # the sandbox keeps no custom layouts: always standard
    categories = [
        c for c in (params.guid("trackingCategoryID"), params.guid("trackingCategoryID2")) if c
    ]
    options = [o for o in (params.guid("trackingOptionID"), params.guid("trackingOptionID2")) if o]
    books = Books(service, call, cash=params.flag("paymentsOnly"), options=options)
    if categories and not options:
        # one column per option of the category (crossed with the second one's), then the
        # lines with none, then the total
        axes: list[list[tuple[str, tuple[str, str | None]]]] = []
        for category in categories:
            found = next(
                (c for c in service.store.tracking(books.org) if c.category_id == category), None
            )
            if found is None:
                raise ApiError(VALIDATION, "The tracking category does not exist.")  # inferred
            axes.append(
                [(o.name, (category, o.option_id)) for o in found.options if o.status != "DELETED"]
                + [("Unassigned", (category, None))]
            )
        picks: list[tuple[str, list[tuple[str, str | None]]]] = [
            (name, [pick]) for name, pick in axes[0]
        ]
        if len(axes) == 2:
            picks = [
                (f"{name} - {other}", [*chosen, pick])
                for name, chosen in picks
                for other, pick in axes[1]
            ]
        picks.append(("Total", []))
        labels = [name for name, _ in picks]
        columns = [books.sums(start, end, picks=chosen) for _, chosen in picks]
    else:
        ranges = _columns(start, end, periods, months)
        labels = [_short_date(e) for _, e in ranges]
        columns = [books.sums(s, e) for s, e in ranges]
    rows = _pnl_rows(books, columns)
    titles = [
        "Profit and Loss",
        books.org_name,
        f"For the period {long_date(start)} to {long_date(end)}",
    ]
    return Report(
        "ProfitAndLoss",
        "Profit and Loss",
        "ProfitAndLoss",
        titles,
        [Row("Header", _cells("", *labels)), *rows],
    )


def _pnl_rows(books: Books, columns: list[dict[str, Decimal]]) -> list[Row]:
    width = len(columns)
    section_totals: dict[str, list[Decimal]] = {}
    rows: list[Row] = []
    ids = {k for c in columns for k in c}

    def section(title: str, summary: str, types: tuple[str, ...]) -> None:
        sign = Decimal(-1) if types[0] in _INCOME_TYPES else Decimal(1)
        sums = [Decimal(0)] * width
        inner = []
        for account in books.ordered(ids):
            if account.type not in types:
                continue
            values = [sign * c.get(account.account_id, Decimal(0)) for c in columns]
            if not any(values):
                continue
            sums = [a + v for a, v in zip(sums, values, strict=True)]
            inner.append(_account_row(account.name, account.account_id, map(money, values)))
        section_totals[title] = sums
        if inner:  # inferred: a section with no accounts is left out
            rows.append(
                Row("Section", title=title, rows=[*inner, _summary(summary, map(money, sums))])
            )

    income, cost, other, expenses = _PNL_SECTIONS
    section(*income)
    section(*cost)
    gross = [a - b for a, b in zip(section_totals[income[0]], section_totals[cost[0]], strict=True)]
    rows.append(
        Row("Section", rows=[Row("Row", [Cell("Gross Profit"), *map(Cell, map(money, gross))])])
    )
    section(*other)
    section(*expenses)
    net = [
        g + o - e
        for g, o, e in zip(
            gross, section_totals[other[0]], section_totals[expenses[0]], strict=True
        )
    ]
    rows.append(
        Row("Section", rows=[Row("Row", [Cell("Net Profit"), *map(Cell, map(money, net))])])
    )
    return rows


# ----------------------------------------------------------------------------- balance sheet


def balance_sheet(service: Service, call: Call, params: Params) -> Report:
    """BalanceSheet at ``date`` (default: today), with comparative dates."""
    date = params.date("date") or _today()
    periods = params.whole("periods", 1, 12)
    months = _TIMEFRAMES[params.choice("timeframe", _TIMEFRAMES) or "MONTH"]
    params.flag("standardLayout")
    options = [o for o in (params.guid("trackingOptionID1"), params.guid("trackingOptionID2")) if o]
    books = Books(service, call, cash=params.flag("paymentsOnly"), options=options)
    dates = [
        date,
        *(_add_months(date, -k * months, keep_end=True) for k in range(1, (periods or 0) + 1)),
    ]
    balances = [books.sums(None, d) for d in dates]
    earnings = [books.profit(year_start(d), d) for d in dates]
    retained = [books.profit(None, year_start(d) - datetime.timedelta(days=1)) for d in dates]
    ids = {k for b in balances for k in b}
    rows: list[Row] = [Row("Header", _cells("", *(_medium_date(d) for d in dates)))]

    def group(sections: tuple[tuple[str, tuple[str, ...]], ...], sign: Decimal) -> list[Decimal]:
        grand = [Decimal(0)] * len(dates)
        for title, types in sections:
            sums = [Decimal(0)] * len(dates)
            inner = []
            for account in books.ordered(ids):
                if account.type not in types:
                    continue
                values = [sign * b.get(account.account_id, Decimal(0)) for b in balances]
                if not any(values):
                    continue
                sums = [a + v for a, v in zip(sums, values, strict=True)]
                inner.append(_account_row(account.name, account.account_id, map(money, values)))
            if inner:
                rows.append(
                    Row(
                        "Section",
                        title=title,
                        rows=[*inner, _summary(f"Total {title}", map(money, sums))],
                    )
                )
            grand = [a + v for a, v in zip(grand, sums, strict=True)]
        return grand

    rows.append(Row("Section", title="Assets"))
    assets = group(_ASSET_SECTIONS, Decimal(1))
    rows.append(Row("Section", rows=[_summary("Total Assets", map(money, assets))]))
    rows.append(Row("Section", title="Liabilities"))
    liabilities = group(_LIABILITY_SECTIONS, Decimal(-1))
    rows.append(Row("Section", rows=[_summary("Total Liabilities", map(money, liabilities))]))
    net = [a - li for a, li in zip(assets, liabilities, strict=True)]
    rows.append(
        Row("Section", rows=[Row("Row", [Cell("Net Assets"), *map(Cell, map(money, net))])])
    )
    equity_rows = [
        _account_row("Current Year Earnings", CURRENT_YEAR_EARNINGS, map(money, earnings)),
        _account_row("Retained Earnings", _retained_id(books), map(money, retained)),
    ]
    equity = [e + r for e, r in zip(earnings, retained, strict=True)]
    for account in books.ordered(ids):
        if account.type != "EQUITY":
            continue
        values = [-b.get(account.account_id, Decimal(0)) for b in balances]
        if any(values):
            equity = [a + v for a, v in zip(equity, values, strict=True)]
            equity_rows.append(_account_row(account.name, account.account_id, map(money, values)))
    rows.append(
        Row(
            "Section",
            title="Equity",
            rows=[*equity_rows, _summary("Total Equity", map(money, equity))],
        )
    )
    return Report(
        "BalanceSheet",
        "Balance Sheet",
        "BalanceSheet",
        ["Balance Sheet", books.org_name, f"As at {long_date(date)}"],
        rows,
    )


# ----------------------------------------------------------------------------- aged


@dataclass(slots=True)
class Aged:
    """One document of an aged report, as at the report's date."""

    document_id: str
    contact_id: str
    date: datetime.date
    number: str
    due_date: datetime.date | None
    total: Decimal
    paid: Decimal
    credited: Decimal

    @property
    def due(self) -> Decimal:
        return self.total - self.paid - self.credited


def aged_documents(store: Any, org: int, sales: bool, end: datetime.date) -> list[Aged]:
    """Every posted document of receivables (``sales``) or payables dated on or before
    ``end``, with what was paid and credited by then: invoices, and credit notes,
    prepayments and overpayments as negative amounts."""
    from . import banking, credits

    kind = "ACCREC" if sales else "ACCPAY"
    invoices = {
        i.invoice_id: i
        for i in store.invoices(org)
        if i.type == kind and i.status in ("AUTHORISED", "PAID") and i.date <= end
    }
    notes = {
        n.credit_note_id: n
        for n in credits.credit_notes_of(store, org)
        if n.type == kind + "CREDIT" and n.status in ("AUTHORISED", "PAID") and n.date <= end
    }
    side = "RECEIVE" if sales else "SPEND"
    voided = {
        c.credit_id
        for k in (credits.PREPAYMENT, credits.OVERPAYMENT)
        for c in credits.credits_of(store, org, k)
        if c.status == "VOIDED"
    }
    money_in = {
        str(t.prepayment_id or t.overpayment_id): t
        for t in banking._rows(store, "bank_transactions", banking.BankTxn, org)
        if t.type in (f"{side}-PREPAYMENT", f"{side}-OVERPAYMENT")
        and t.status == "AUTHORISED"
        and t.date <= end
        and (t.prepayment_id or t.overpayment_id) not in voided
    }
    out: dict[str, Aged] = {}
    for i in invoices.values():
        out[i.invoice_id] = Aged(
            i.invoice_id,
            i.contact_id,
            i.date,
            i.number if sales else (i.reference or i.number),
            i.due_date,
            i.total,
            Decimal(0),
            Decimal(0),
        )
    for n in notes.values():
        out[n.credit_note_id] = Aged(
            n.credit_note_id,
            n.contact_id,
            n.date,
            n.number if sales else (n.reference or n.number),
            n.due_date,
            -n.total,
            Decimal(0),
            Decimal(0),
        )
    for credit_id, t in money_in.items():
        out[credit_id] = Aged(
            credit_id,
            t.contact_id or "",
            t.date,
            t.reference or "",
            None,
            -t.total,
            Decimal(0),
            Decimal(0),
        )
    for p in store.payments(org):
        if p.status != "DELETED" and p.invoice_id in out and p.date <= end:
            out[p.invoice_id].paid += p.amount
    for a in credits._allocations(store, org):
        source, target = out.get(a.source_id), out.get(a.invoice_id)
        # inferred: an allocation counts once both documents and its own date have come
        if a.is_deleted or source is None or target is None or a.date > end:
            continue
        target.credited += a.amount
        source.credited -= a.amount
    return list(out.values())


def _aged(service: Service, call: Call, params: Params, *, sales: bool) -> Report:
    name = "AgedReceivablesByContact" if sales else "AgedPayablesByContact"
    contact_id = params.guid("contactId")
    if contact_id is None:
        # inferred wording: contactId is required (facts) but Xero's message is not captured
        raise ApiError(POST_DATA_INVALID, "contactId is a required parameter.")
    contact = service.store.contact_by_id(call.org.org_id, contact_id)
    if contact is None:
        raise NotFound()
    start = params.date("fromDate")
    end = params.date("toDate") or params.date("date") or _today()
    docs = [
        d
        for d in aged_documents(service.store, call.org.org_id, sales, end)
        if d.contact_id == contact_id and d.due != 0
    ]
    opening = total(d.due for d in docs if start is not None and d.date < start)
    shown = sorted(
        (d for d in docs if start is None or d.date >= start), key=lambda d: (d.date, d.number)
    )
    rows: list[Row] = [
        Row(
            "Header",
            _cells(
                "Date",
                "Number" if sales else "Reference",
                "Due Date",
                "",
                "Total",
                "Paid",
                "Credited",
                "Due",
            ),
        ),
        Row(
            "Section",
            rows=[Row("Row", _cells("Opening Balance", "", "", "", "", "", "", money(opening)))],
        ),
    ]
    inner = []
    for d in shown:
        overdue = (end - d.due_date).days if d.due_date is not None else 0
        attrs = [(d.document_id, "invoiceID")]
        inner.append(
            Row(
                "Row",
                _cells(
                    f"{d.date.isoformat()}T00:00:00",
                    d.number,
                    f"{d.due_date.isoformat()}T00:00:00" if d.due_date else "",
                    f"{overdue} days overdue" if overdue > 0 else "",
                    money(d.total),
                    money(d.paid),
                    money(d.credited),
                    money(d.due),
                    attributes=attrs,
                ),
            )
        )
    sums = [total(getattr(d, f) for d in shown) for f in ("total", "paid", "credited")]
    due = total(d.due for d in shown)
    inner.append(_summary("Total", ["", "", "", *map(money, sums), money(due)]))
    rows.append(Row("Section", rows=inner))
    rows.append(
        Row(
            "Section",
            rows=[_summary("Closing Balance", ["", "", "", "", "", "", money(opening + due)])],
        )
    )
    period = (
        f"From {long_date(start)} to {long_date(end)}"
        if start is not None
        else f"To {long_date(end)}"
    )
    titles = ["Invoices", contact.name, period, f"Showing payments to {long_date(end)}"]
    return Report(
        name,
        "Aged Receivables By Contact" if sales else "Aged Payables By Contact",
        name,
        titles,
        rows,
    )


def aged_receivables(service: Service, call: Call, params: Params) -> Report:
    """AgedReceivablesByContact (contactId required)."""
    return _aged(service, call, params, sales=True)


def aged_payables(service: Service, call: Call, params: Params) -> Report:
    """AgedPayablesByContact (contactId required)."""
    return _aged(service, call, params, sales=False)


# ----------------------------------------------------------------------------- bank summary


def _bank_flows(
    books: Books, start: datetime.date, end: datetime.date
) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
    """Per bank account: (opening, received, spent) over start..end."""
    out: dict[str, tuple[Decimal, Decimal, Decimal]] = {}
    banks = [a for a in books.accounts.values() if a.type == "BANK" and a.status != "DELETED"]
    for account in banks:
        out[account.account_id] = (Decimal(0), Decimal(0), Decimal(0))
    for p in books.posted:
        if p.line.account_id not in out or p.date > end:
            continue
        opening, received, spent = out[p.line.account_id]
        if p.date < start:
            opening += p.line.net_amount
        elif p.line.net_amount > 0:
            received += p.line.net_amount
        else:
            spent -= p.line.net_amount
        out[p.line.account_id] = (opening, received, spent)
    return out


def bank_summary(service: Service, call: Call, params: Params) -> Report:
    """BankSummary over fromDate..toDate (default: this month): one row per bank account."""
    today = _today()
    start = params.date("fromDate") or today.replace(day=1)
    end = params.date("toDate") or _month_end(start.year, start.month)
    books = Books(service, call, cash=False)
    flows = _bank_flows(books, start, end)
    inner = []
    sums = [Decimal(0)] * 4
    for account in books.ordered(flows):
        opening, received, spent = flows[account.account_id]
        values = [opening, received, spent, opening + received - spent]
        sums = [a + v for a, v in zip(sums, values, strict=True)]
        attrs = [(account.account_id, "accountID")]
        inner.append(Row("Row", [Cell(account.name, attrs), *(Cell(money(v)) for v in values)]))
    inner.append(_summary("Total", map(money, sums)))
    return Report(
        "BankSummary",
        "Bank Summary",
        "BankSummary",
        ["Bank Summary", books.org_name, f"From {long_date(start)} to {long_date(end)}"],
        [
            Row(
                "Header",
                _cells(
                    "Bank Accounts",
                    "Opening Balance",
                    "Cash Received",
                    "Cash Spent",
                    "Closing Balance",
                ),
            ),
            Row("Section", rows=inner),
        ],
    )


# ----------------------------------------------------------------------------- budget summary


def budget_summary(service: Service, call: Call, params: Params) -> Report:
    """BudgetSummary: the overall budget by account from the month of ``date``, ``periods``
    columns (default 12) of ``timeframe`` months (1, 3 or 12; default 1)."""
    from . import settings

    date = params.date("date") or _today()
    periods = params.whole("periods", 1, 12) or 12  # inferred default: a year of months
    step = params.text("timeframe") or "1"
    if step not in ("1", "3", "12"):
        raise ApiError(POST_DATA_INVALID, f"timeframe must be 1, 3 or 12, not '{step[:40]}'.")
    months = int(step)
    budgets = settings.Settings(service, call).all(settings.BudgetRec, "budget")
    budget = next((b for b in budgets if b.type == "OVERALL"), None)
    first = date.replace(day=1)
    starts = [_add_months(first, k * months) for k in range(periods)]
    ends = [_add_months(s, months) - datetime.timedelta(days=1) for s in starts]
    accounts = {a.code: a for a in service.store.accounts(call.org.org_id)}
    amounts: dict[str, list[Decimal]] = {}
    for line in budget.lines if budget else []:
        account = accounts.get(line.account_code)
        if account is None:
            continue
        values = [Decimal(0)] * periods
        for balance in line.balances:
            year, month = (int(x) for x in balance.period[:7].split("-"))
            when = datetime.date(year, month, 1)
            for k, (s, e) in enumerate(zip(starts, ends, strict=True)):
                if s <= when <= e:
                    values[k] += balance.amount
        amounts[account.account_id] = values
    books_accounts = {a.account_id: a for a in accounts.values()}
    rows: list[Row] = [Row("Header", _cells("Account", *(f"{s:%b-%y}" for s in starts)))]
    section_sums: dict[str, list[Decimal]] = {}
    for title, summary, types in _PNL_SECTIONS:
        inner = []
        sums = [Decimal(0)] * periods
        for account_id, values in sorted(
            amounts.items(), key=lambda kv: books_accounts[kv[0]].code
        ):
            account = books_accounts[account_id]
            if account.type not in types:
                continue
            sums = [a + v for a, v in zip(sums, values, strict=True)]
            inner.append(_account_row(account.name, account_id, map(money, values)))
        section_sums[title] = sums
        if inner:
            rows.append(
                Row("Section", title=title, rows=[*inner, _summary(summary, map(money, sums))])
            )
        if title == "Less Cost of Sales":
            gross = [a - b for a, b in zip(section_sums["Income"], sums, strict=True)]
            rows.append(Row("Section", rows=[_summary("Gross Profit", map(money, gross))]))
    net = [
        i - c + o - e
        for i, c, o, e in zip(*(section_sums[t] for t, _, _ in _PNL_SECTIONS), strict=True)
    ]
    rows.append(Row("Section", rows=[_summary("Net Profit", map(money, net))]))
    return Report(
        "BudgetSummary",
        "Budget Summary",
        "BudgetSummary",
        [
            budget.description if budget else "Overall Budget",
            "Budget Summary",
            call.org.name,
            f"From {long_date(starts[0])} to {long_date(ends[-1])}",
        ],
        rows,
    )


# ----------------------------------------------------------------------------- executive summary


def _ratio(a: Decimal, b: Decimal) -> Decimal | None:
    return None if b == 0 else a / b


def _percent(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{(value * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def executive_summary(service: Service, call: Call, params: Params) -> Report:
    """ExecutiveSummary: the month of ``date`` against the month before, with the variance."""
    date = params.date("date") or _today()
    books = Books(service, call, cash=False)
    months = [date.replace(day=1), _add_months(date.replace(day=1), -1)]
    figures = [_month_figures(service, call, books, m) for m in months]
    rows: list[Row] = [
        Row("Header", _cells("", f"{months[0]:%b %Y}", f"{months[1]:%b %Y}", "Variance"))
    ]
    layout = (
        ("Cash", ("Cash received", "Cash spent", "Cash surplus (deficit)", "Closing bank balance")),
        (
            "Profitability",
            (
                "Income",
                "Direct costs",
                "Gross profit (loss)",
                "Other Income",
                "Expenses",
                "Profit (loss)",
            ),
        ),
        ("Balance Sheet", ("Debtors", "Creditors", "Net assets")),
        ("Income", ("Number of invoices issued", "Average value of invoices")),
        (
            "Performance",
            ("Gross profit margin", "Net profit margin", "Return on investment (p.a.)"),
        ),
        (
            "Position",
            (
                "Average debtors days",
                "Average creditors days",
                "Short term cash forecast",
                "Current assets to liabilities",
                "Term assets to liabilities",
            ),
        ),
    )
    for title, names in layout:
        inner = []
        for name in names:
            now, before = figures[0][name], figures[1][name]
            if name.endswith("margin") or name.startswith("Return"):
                cells = [_percent(now), _percent(before), ""]
            else:
                variance = (
                    None
                    if now is None or before is None or before == 0
                    else (now - before) / abs(before)
                )
                shown = [_figure(name, v) for v in (now, before)]
                cells = [*shown, _percent(variance)]
            inner.append(Row("Row", _cells(name, *cells)))
        rows.append(Row("Section", title=title, rows=inner))
    return Report(
        "ExecutiveSummary",
        "Executive Summary",
        "ExecutiveSummary",
        ["Executive Summary", books.org_name, f"For the month of {date:%B %Y}"],
        rows,
    )


def _figure(name: str, value: Decimal | None) -> str:
    if value is None:
        return ""
    if name == "Number of invoices issued":
        return str(int(value))
    if name.endswith("days"):
        return str(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if name.endswith("liabilities"):
        return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return money(value)


def _month_figures(
    service: Service, call: Call, books: Books, first: datetime.date
) -> dict[str, Decimal | None]:
    """The executive summary's figures for the month starting ``first``."""
    last = _month_end(first.year, first.month)
    days = Decimal(last.day)
    flows = _bank_flows(books, first, last)
    received = total(f[1] for f in flows.values())
    spent = total(f[2] for f in flows.values())
    closing = total(f[0] + f[1] - f[2] for f in flows.values())
    month = books.sums(first, last)
    balance = books.sums(None, last)

    def of(types: Iterable[str], sums: dict[str, Decimal]) -> Decimal:
        wanted = set(types)
        return total(v for k, v in sums.items() if books.kind(k) in wanted)

    income = -of(("REVENUE", "SALES"), month)
    direct = of(("DIRECTCOSTS",), month)
    other = -of(("OTHERINCOME",), month)
    expenses = of(("EXPENSE", "OVERHEADS", "DEPRECIATN"), month)
    gross = income - direct
    profit = gross + other - expenses
    debtors = of(
        ("CURRENT",),
        {k: v for k, v in balance.items() if books.accounts[k].code == ledger.SYSTEM["DEBTORS"][0]},
    )
    creditors = -of(
        ("CURRLIAB",),
        {
            k: v
            for k, v in balance.items()
            if books.accounts[k].code == ledger.SYSTEM["CREDITORS"][0]
        },
    )
    current_assets = of(("BANK", "CURRENT", "INVENTORY", "PREPAYMENT"), balance)
    term_assets = of(("FIXED", "NONCURRENT"), balance)
    current_liabilities = -of(("CURRLIAB", "LIABILITY", "PAYG"), balance)
    term_liabilities = -of(("TERMLIAB",), balance)
    net_assets = current_assets + term_assets - current_liabilities - term_liabilities
    issued = [
        i
        for i in service.store.invoices(call.org.org_id)
        if i.type == "ACCREC" and i.status in ("AUTHORISED", "PAID") and first <= i.date <= last
    ]
    sales_total = total(i.total for i in issued)
    purchases = direct + expenses
    # inferred: the ratios' formulas (the facts name the rows only)
    roi = _ratio(profit * 12, net_assets)
    return {
        "Cash received": received,
        "Cash spent": spent,
        "Cash surplus (deficit)": received - spent,
        "Closing bank balance": closing,
        "Income": income,
        "Direct costs": direct,
        "Gross profit (loss)": gross,
        "Other Income": other,
        "Expenses": expenses,
        "Profit (loss)": profit,
        "Debtors": debtors,
        "Creditors": creditors,
        "Net assets": net_assets,
        "Number of invoices issued": Decimal(len(issued)),
        "Average value of invoices": _ratio(sales_total, Decimal(len(issued))) or Decimal(0),
        "Gross profit margin": _ratio(gross, income),
        "Net profit margin": _ratio(profit, income),
        "Return on investment (p.a.)": roi,
        "Average debtors days": _days(debtors, income, days),
        "Average creditors days": _days(creditors, purchases, days),
        "Short term cash forecast": debtors - creditors,
        "Current assets to liabilities": _ratio(current_assets, current_liabilities),
        "Term assets to liabilities": _ratio(term_assets, term_liabilities),
    }


def _days(balance: Decimal, flow: Decimal, days: Decimal) -> Decimal | None:
    ratio = _ratio(balance, flow)
    return None if ratio is None else ratio * days


# ----------------------------------------------------------------------------- 1099


def ten_ninety_nine(service: Service, call: Call, params: Params) -> etree._Element:
    """TenNinetyNine for ``reportYear`` (default: this year): its own shape, a Report of
    Contacts with the 1099 boxes and no rows."""
    year = params.whole("reportYear", 1900, 9999) or _today().year  # inferred default
    store, org = service.store, call.org.org_id
    # inferred: the payments made to suppliers in the year are non-employee compensation
    # (Box 7); the sandbox keeps no 1099 settings on contacts, so the other boxes are 0.
    bills = {i.invoice_id: i for i in store.invoices(org) if i.type == "ACCPAY"}
    paid: dict[str, Decimal] = {}
    for p in store.payments(org):
        bill = bills.get(p.invoice_id)
        if bill is not None and p.status != "DELETED" and p.date.year == year:
            paid[bill.contact_id] = paid.get(bill.contact_id, Decimal(0)) + p.amount
    el = etree.Element("Report")
    etree.SubElement(el, "ReportName").text = "1099 report"
    etree.SubElement(
        el, "ReportDate"
    ).text = f"{long_date(datetime.date(year, 1, 1))} to {long_date(datetime.date(year, 12, 31))}"
    etree.SubElement(el, "UpdatedDateUTC").text = codec.format_envelope_time(
        datetime.datetime.now(datetime.UTC)
    )
    contacts = etree.SubElement(el, "Contacts")
    for contact_id, amount in sorted(paid.items()):
        contact = store.contact_by_id(org, contact_id)
        if contact is None:
            continue
        c = etree.SubElement(contacts, "Contact")
        for box in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14):
            etree.SubElement(c, f"Box{box}").text = money(amount if box == 7 else Decimal(0))
        etree.SubElement(c, "Name").text = contact.name
        if contact.tax_number:
            etree.SubElement(c, "TaxID").text = contact.tax_number
        if contact.email_address:
            etree.SubElement(c, "Email").text = contact.email_address
        etree.SubElement(c, "ContactId").text = contact.contact_id
    return el


# ----------------------------------------------------------------------------- published


_PUBLISHED = uuid.UUID("0f6c2a51-8d4e-4c3b-9a7f-2e5d1b6c8a90")


def _gst_periods(books: Books) -> list[tuple[datetime.date, datetime.date]]:
    """The two-month GST periods (the organisation's SalesTaxPeriod) that have ended and
    hold GST posted to the GST account."""
    gst = next((a for a in books.accounts.values() if a.code == ledger.SYSTEM["GST"][0]), None)
    if gst is None:
        return []
    today = _today()
    found = set()
    for p in books.posted:
        if p.line.account_id != gst.account_id:
            continue
        # inferred: two-month periods ending with the even months
        start = datetime.date(p.date.year, p.date.month - (p.date.month + 1) % 2, 1)
        end = _add_months(start, 2) - datetime.timedelta(days=1)
        if end < today:
            found.add((start, end))
    return sorted(found)


def _published_id(org: Call, start: datetime.date) -> str:
    return str(uuid.uuid5(_PUBLISHED, f"{org.org.tenant_id}:gst:{start.isoformat()}"))


def _gst_return(
    service: Service, call: Call, start: datetime.date, end: datetime.date, *, rows: bool
) -> Report:
    # inferred: GST on a payments basis (the organisation's SalesTaxBasis), so the return
    # reads the cash-basis lines: tax on sales (credits) and on purchases (debits).
    books = Books(service, call, cash=True)
    sales = purchases = tax_out = tax_in = Decimal(0)
    for p in books.posted:
        if not start <= p.date <= end or not p.line.tax_amount:
            continue
        gross = p.line.net_amount + p.line.tax_amount
        if p.line.tax_amount < 0:
            sales -= gross
            tax_out -= p.line.tax_amount
        else:
            purchases += gross
            tax_in += p.line.tax_amount
    body: list[Row] = []
    if rows:
        body = [
            Row("Header", _cells("", "Amount")),
            Row(
                "Section",
                title="GST Collected on Sales",
                rows=[
                    Row("Row", _cells("Total sales and income including GST", money(sales))),
                    Row("Row", _cells("GST collected on sales and income", money(tax_out))),
                ],
            ),
            Row(
                "Section",
                title="GST Paid on Purchases",
                rows=[
                    Row(
                        "Row",
                        _cells("Total purchases and expenses including GST", money(purchases)),
                    ),
                    Row("Row", _cells("GST paid on purchases and expenses", money(tax_in))),
                ],
            ),
            Row(
                "Section",
                rows=[
                    _summary(
                        "GST to pay" if tax_out >= tax_in else "GST refund",
                        [money(abs(tax_out - tax_in))],
                    )
                ],
            ),
        ]
    return Report(
        _published_id(call, start),
        "GST Return",
        "GSTReport",
        ["GST Return", books.org_name, f"For the period {long_date(start)} to {long_date(end)}"],
        body,
    )


def list_reports(service: Service, call: Call) -> Answer:
    """GET Reports: the organisation's published reports (its GST returns), without rows."""
    books = Books(service, call, cash=True)
    found = [_gst_return(service, call, s, e, rows=False).element() for s, e in _gst_periods(books)]
    return _answer(call, found)


# ----------------------------------------------------------------------------- routing


_BY_NAME: dict[str, Callable[[Service, Call, Params], Report]] = {
    "trialbalance": trial_balance,
    "profitandloss": profit_and_loss,
    "balancesheet": balance_sheet,
    "agedreceivablesbycontact": aged_receivables,
    "agedpayablesbycontact": aged_payables,
    "banksummary": bank_summary,
    "budgetsummary": budget_summary,
    "executivesummary": executive_summary,
}


def get_report(service: Service, call: Call) -> Answer:
    """GET Reports/{name or ReportID}."""
    key = call.segments[1]
    params = Params(call)
    build = _BY_NAME.get(key.lower())
    if build is not None:
        return _answer(call, [build(service, call, params).element()])
    if key.lower() == "tenninetynine":
        return _answer(call, [ten_ninety_nine(service, call, params)])
    if _GUID.match(key):
        books = Books(service, call, cash=True)
        for start, end in _gst_periods(books):
            if _published_id(call, start) == key.lower():
                return _answer(call, [_gst_return(service, call, start, end, rows=True).element()])
    raise NotFound()


ROUTES = {
    ("GET", "reports", 1): (list_reports, "accounting.reports"),
    ("GET", "reports", 2): (get_report, "accounting.reports"),
}
