"""Family A of the 2.0 resources: Quotes, PurchaseOrders, RepeatingInvoices, Items, and a
contact's CISSettings.

Rules from the project's facts (``xero-api-2.0-full.md``): quotes move DRAFT -> SENT ->
ACCEPTED or DECLINED, ACCEPTED -> INVOICED, and are removed by saving Status DELETED; purchase
orders move DRAFT -> SUBMITTED -> AUTHORISED -> BILLED, are removed by Status DELETED, and only
AUTHORISED and BILLED orders may have SentToContact set; PurchaseOrderNumber is made from the
organisation's sequence when left out and must be unique ("Order number must be unique");
repeating invoices are DRAFT or AUTHORISED templates removed by Status DELETED; items have a
unique Code ("Price List Item with Code ''abc'' already exists"), IsSold/IsPurchased default
to true and false clears the matching description and details, an item is tracked as
inventory when it has an InventoryAssetAccountCode (an INVENTORY account) and a
PurchaseDetails COGSAccountCode, and DELETE Items/{ItemID} answers 204. Quotes and purchase
orders are filtered by their own parameters (no ``where``); quotes page by 100 with ``page``
only, purchase orders with ``page`` and ``pageSize``; If-Modified-Since filters quotes,
purchase orders and items (not repeating invoices); ``unitdp`` applies to items. Updates
replace the lines (send LineItemID to keep a line).

Every rule marked ``# inferred:`` below is the sandbox's choice where the facts are silent:

* quotes: created DRAFT or SENT; DECLINED may be SENT again; INVOICED and DELETED are final;
  content changes only while DRAFT, SENT or DECLINED; QuoteNumber made as QU-0001, ... and
  unique; POST matches a quote by QuoteNumber; deleted quotes are listed only with
  Status=DELETED; ``where`` is ignored and pages hold 100 (no pageSize);
* purchase orders: created DRAFT, SUBMITTED or AUTHORISED; DRAFT <-> SUBMITTED -> AUTHORISED
  -> BILLED, deletable until BILLED; content changes until BILLED; numbers PO-0001, ...;
  deleted orders listed only with Status=DELETED; ``where`` is ignored; text limits other
  than Reference and DeliveryInstructions;
* repeating invoices: DRAFT by default, DRAFT <-> AUTHORISED; NextScheduledDate is the first
  date of the schedule from today (none after EndDate); an edited schedule without StartDate
  starts from the next date; a bill template's Reference is dropped; deleted templates are
  not listed; no invoices are made (the sandbox keeps no books yet);
* items: codes match without regard to case; lines with an ItemCode take the item's
  description, price, account and tax type, and an unknown ItemCode is refused; a tracked
  item's purchase AccountCode is dropped; any item can be deleted;
* CISSettings: no contact is a CIS subcontractor (the organisations are not UK CIS ones);
* all: at least one line on a new document; a contact by Name is found or created as for
  invoices; dates in filters are read as YYYY-MM-DD or YYYY-MM-DDT00:00:00.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, TypeVar

from lxml import etree
from xero_customer_api.v2_0 import models

from ... import records
from ...amounts import fits_decimal, multiply, quantize, round2, total
from ...records import EXCLUSIVE, INCLUSIVE, NO_TAX
from ...store import new_guid
from .. import codec, view
from ..errors import POST_DATA_INVALID, ApiError, Problems
from ..service import (
    _GUID,
    Answer,
    Call,
    NotFound,
    Service,
    _int,
    _since,
    modified_since,
)
from . import attachments, documents, history

T = TypeVar("T")
R = TypeVar("R")

SCHEMA = """
CREATE TABLE IF NOT EXISTS sales_records (
    record_id TEXT PRIMARY KEY,
    org_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    key TEXT,
    seq INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sales_records_by_key ON sales_records (org_id, kind, key);
"""

QUOTE, ORDER, REPEATING, ITEM = "quote", "purchase_order", "repeating_invoice", "item"
#: Quotes write LineAmountTypes in upper case; the lines are worked out as invoices' are.
_QUOTE_AMOUNTS = {"EXCLUSIVE": EXCLUSIVE, "INCLUSIVE": INCLUSIVE, "NOTAX": NO_TAX}
_QUOTE_AMOUNTS_BACK = {v: k for k, v in _QUOTE_AMOUNTS.items()}
QUOTE_PAGE_SIZE = 100  # Xero: "up to 100 quotes per page"; quotes have no pageSize
MAX_PAGE_SIZE = 1000

# inferred: the orderings of quote statuses beyond the facts' DRAFT -> SENT -> ACCEPTED |
# DECLINED, ACCEPTED -> INVOICED (a declined quote may be sent again; an invoiced quote is done).
QUOTE_TRANSITIONS = {
    "DRAFT": {"DRAFT", "SENT", "DELETED"},
    "SENT": {"SENT", "ACCEPTED", "DECLINED", "DELETED"},
    "DECLINED": {"DECLINED", "SENT", "DELETED"},
    "ACCEPTED": {"ACCEPTED", "INVOICED", "DELETED"},
    "INVOICED": {"INVOICED"},
    "DELETED": {"DELETED"},
}
# inferred: as invoices (DRAFT <-> SUBMITTED -> AUTHORISED), AUTHORISED -> BILLED; any order
# not yet BILLED may be deleted; a BILLED order is done.
ORDER_TRANSITIONS = {
    "DRAFT": {"DRAFT", "SUBMITTED", "AUTHORISED", "DELETED"},
    "SUBMITTED": {"SUBMITTED", "DRAFT", "AUTHORISED", "DELETED"},
    "AUTHORISED": {"AUTHORISED", "BILLED", "DELETED"},
    "BILLED": {"BILLED"},
    "DELETED": {"DELETED"},
}
REPEATING_TRANSITIONS = {
    "DRAFT": {"DRAFT", "AUTHORISED", "DELETED"},
    "AUTHORISED": {"AUTHORISED", "DRAFT", "DELETED"},
    "DELETED": {"DELETED"},
}


# ----------------------------------------------------------------------------- records


@dataclass
class QuoteRecord:
    """A stored quote."""

    quote_id: str
    number: str
    contact_id: str
    date: datetime.date
    status: str
    line_amount_types: str  # Exclusive, Inclusive or NoTax (records' spelling)
    lines: list[records.Line]
    sub_total: Decimal
    total_tax: Decimal
    total: Decimal
    total_discount: Decimal
    updated: datetime.datetime
    expiry_date: datetime.date | None = None
    currency_code: str | None = None
    currency_rate: Decimal | None = None
    reference: str | None = None
    terms: str | None = None
    title: str | None = None
    summary: str | None = None
    branding_theme_id: str | None = None


@dataclass
class OrderRecord:
    """A stored purchase order."""

    purchase_order_id: str
    number: str
    contact_id: str
    date: datetime.date
    status: str
    line_amount_types: str
    lines: list[records.Line]
    sub_total: Decimal
    total_tax: Decimal
    total: Decimal
    total_discount: Decimal
    updated: datetime.datetime
    delivery_date: datetime.date | None = None
    expected_arrival_date: datetime.date | None = None
    currency_code: str | None = None
    currency_rate: Decimal | None = None
    reference: str | None = None
    branding_theme_id: str | None = None
    sent_to_contact: bool | None = None
    delivery_address: str | None = None
    attention_to: str | None = None
    telephone: str | None = None
    delivery_instructions: str | None = None


@dataclass
class ScheduleRecord:
    """The schedule of a repeating invoice."""

    period: int
    unit: str
    due_date: int
    due_date_type: str
    start_date: datetime.date
    end_date: datetime.date | None = None


@dataclass
class RepeatingRecord:
    """A stored repeating invoice template."""

    repeating_invoice_id: str
    type: str
    contact_id: str
    schedule: ScheduleRecord
    status: str
    line_amount_types: str
    lines: list[records.Line]
    sub_total: Decimal
    total_tax: Decimal
    total: Decimal
    updated: datetime.datetime
    reference: str | None = None
    branding_theme_id: str | None = None
    currency_code: str | None = None
    approved_for_sending: bool = False
    send_copy: bool = False
    mark_as_sent: bool = False
    include_pdf: bool = False


@dataclass
class PriceRecord:
    """PurchaseDetails or SalesDetails of an item."""

    unit_price: Decimal | None = None
    account_code: str | None = None
    cogs_account_code: str | None = None
    tax_type: str | None = None


@dataclass
class ItemRecord:
    """A stored item."""

    item_id: str
    code: str
    updated: datetime.datetime
    name: str | None = None
    description: str | None = None
    purchase_description: str | None = None
    is_sold: bool = True
    is_purchased: bool = True
    purchase: PriceRecord | None = None
    sales: PriceRecord | None = None
    inventory_asset_account_code: str | None = None
    quantity_on_hand: Decimal | None = None
    total_cost_pool: Decimal | None = None


_ID_FIELD = {
    QUOTE: "quote_id",
    ORDER: "purchase_order_id",
    REPEATING: "repeating_invoice_id",
    ITEM: "item_id",
}
_KEY = {QUOTE: "number", ORDER: "number", REPEATING: None, ITEM: "code"}


def _key(kind: str, rec: Any) -> str | None:
    attr = _KEY[kind]
    if attr is None:
        return None
    value = str(getattr(rec, attr))
    return value.casefold() if kind == ITEM else value


def _all(service: Service, org: int, kind: str, cls: type[T]) -> list[T]:
    rows = service.store._all(
        "SELECT body FROM sales_records WHERE org_id = ? AND kind = ? ORDER BY seq", org, kind
    )
    return [records.loads(cls, r[0]) for r in rows]


def _keys(service: Service, org: int, kind: str) -> set[str]:
    """The numbers (or item codes) in use, without reading the records."""
    rows = service.store._all(
        "SELECT key FROM sales_records WHERE org_id = ? AND kind = ?", org, kind
    )
    return {str(r[0]) for r in rows}


def _by_id(service: Service, org: int, kind: str, cls: type[T], record_id: str) -> T | None:
    row = service.store._one(
        "SELECT body FROM sales_records WHERE org_id = ? AND kind = ? AND record_id = ?",
        org,
        kind,
        record_id.lower(),
    )
    return None if row is None else records.loads(cls, row[0])


def _by_key(service: Service, org: int, kind: str, cls: type[T], key: str) -> T | None:
    row = service.store._one(
        "SELECT body FROM sales_records WHERE org_id = ? AND kind = ? AND key = ?"
        " ORDER BY seq LIMIT 1",
        org,
        kind,
        key.casefold() if kind == ITEM else key,
    )
    return None if row is None else records.loads(cls, row[0])


def _save(service: Service, org: int, kind: str, rec: Any) -> None:
    conn = service.store._conn
    record_id = getattr(rec, _ID_FIELD[kind])
    row = conn.execute("SELECT seq FROM sales_records WHERE record_id = ?", (record_id,)).fetchone()
    seq = (
        row[0]
        if row is not None
        else conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM sales_records").fetchone()[0]
    )
    conn.execute(
        "INSERT OR REPLACE INTO sales_records (record_id, org_id, kind, key, seq, body)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (record_id, org, kind, _key(kind, rec), seq, records.dumps(rec)),
    )
    history.saved_row(service.store, org, "sales_records", record_id, rec, created=row is None,
                      kind=kind)  # fmt: skip


def _delete(service: Service, org: int, kind: str, record_id: str) -> None:
    service.store._conn.execute(
        "DELETE FROM sales_records WHERE org_id = ? AND kind = ? AND record_id = ?",
        (org, kind, record_id),
    )


# ----------------------------------------------------------------------------- requests


def _items(call: Call, cls: type[T], item: str, batch: str) -> list[T]:
    """The elements of a body: one element or a batch (the spec's body of POST .../{id} is
    the plural form too; there it must hold exactly one element)."""
    found = [
        codec.decode(cls, el) for el in codec.request_reader().parse(call.body, item, batch=batch)
    ]
    if len(call.segments) > 1 and len(found) != 1:
        raise ApiError(
            POST_DATA_INVALID, f"POST {call.segments[0]}/{{id}} takes exactly one <{item}>."
        )
    return found


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T00:00:00(\.0+)?Z?)?$")


def _date_param(call: Call, name: str) -> datetime.date | None:
    """A date filter: YYYY-MM-DD (Xero's form) or the SDK's YYYY-MM-DDT00:00:00."""
    raw = call.query.get(name, "").strip()
    if not raw:
        return None
    if _DATE.match(raw):
        try:
            return datetime.date.fromisoformat(raw[:10])
        except ValueError:
            pass
    raise ApiError(POST_DATA_INVALID, f"{name} must be a date (YYYY-MM-DD), not '{raw[:40]}'.")


def _query_without(call: Call, *names: str) -> Call:
    """The call without some query parameters (those the resource does not read)."""
    return replace(call, query={k: v for k, v in call.query.items() if k not in names})


def _today() -> datetime.date:
    return datetime.datetime.now(datetime.UTC).date()


# ----------------------------------------------------------------------------- shared rules


def _contact(service: Service, org: int, given: models.Contact | None, what: str) -> str:
    if given is None:
        raise Problems([f"A {what} needs a Contact (its ContactID or Name)."])
    return service._contact_for(org, given).contact_id


def _item_defaults(
    service: Service, org: int, lines: list[models.LineItem], sales: bool, problems: list[str]
) -> list[models.LineItem]:
    """Lines with an ItemCode take the item's description, price, account and tax type where
    they leave them out.  # inferred: Xero fills lines from the item (sales details on sales
    documents, purchase details on purchases); an unknown ItemCode is refused."""
    out = []
    for n, line in enumerate(lines, start=1):
        if not line.item_code:
            out.append(line)
            continue
        item = _by_key(service, org, ITEM, ItemRecord, line.item_code)
        if item is None:
            problems.append(f"Line {n}: Item code '{line.item_code}' is not valid.")
            out.append(line)
            continue
        details = item.sales if sales else item.purchase
        description = item.description if sales else item.purchase_description
        filled = models.LineItem(**{f: getattr(line, f) for f in line.__dataclass_fields__})
        if filled.description is None:
            filled.description = description or item.name or item.code
        if details is not None:
            if filled.unit_amount is None and filled.line_amount is None:
                filled.unit_amount = details.unit_price
            if filled.account_code is None and filled.account_id is None:
                filled.account_code = details.account_code
            if filled.tax_type is None:
                filled.tax_type = details.tax_type
        out.append(filled)
    return out


def _lines_and_totals(
    service: Service,
    org: int,
    item: Any,
    given: list[models.LineItem],
    amounts: str,
    problems: list[str],
    *,
    sales: bool,
) -> tuple[list[records.Line], tuple[Decimal, Decimal, Decimal], Decimal]:
    given = _item_defaults(service, org, given, sales, problems)
    lines = service._lines(org, given, amounts, problems)
    totals = service._totals(item, lines, amounts, problems)
    discount = total(
        round2(multiply(line.quantity, line.unit_amount)) - line.line_amount
        for line in lines
        if line.discount_rate is not None
    )
    return lines, totals, round2(discount)


def _line_models(lines: list[records.Line]) -> list[models.LineItem]:
    """The stored lines again as request lines (to work totals out again)."""
    return [
        models.LineItem(
            line_item_id=line.line_item_id,
            item_code=line.item_code,
            description=line.description,
            quantity=line.quantity,
            unit_amount=line.unit_amount,
            account_code=line.account_code,
            tax_type=line.tax_type,
            discount_rate=line.discount_rate,
            tracking=[
                models.LineItemTracking(
                    tracking_category_id=t.category_id, tracking_option_id=t.option_id
                )
                for t in line.tracking
            ],
        )
        for line in lines
    ]


def _money(value: Decimal | None) -> Decimal | None:
    return None if value is None else quantize(value, 2)


def _next_number(taken: set[str], prefix: str) -> str:
    n = len(taken) + 1
    while f"{prefix}{n:04d}" in taken:
        n += 1
    return f"{prefix}{n:04d}"


def _transition(table: dict[str, set[str]], what: str, old: str, new: str) -> None:
    if new not in table[old]:
        raise Problems([f"A {what} in status {old} cannot become {new}."])


def _write(
    service: Service,
    call: Call,
    *,
    cls: type[Any],
    item: str,
    batch: str,
    save: Callable[[Any, Any | None], Any],
    find: Callable[[str], Any | None],
    build: Callable[[Any], Any],
) -> Answer:
    """PUT/POST of a collection (one element or a batch) or POST of one record by id."""
    target = call.segments[1] if len(call.segments) > 1 else None
    existing = None
    if target is not None:
        existing = find(target) if _GUID.match(target) else None
        if existing is None:
            raise NotFound()
    given = _items(call, cls, item, batch)
    results: list[Any] = []
    for one in given:
        try:
            results.append(build(save(one, existing)))
        except Problems as problems:
            results.append(problems)
    return service._batch(call, batch, given, results, _ID_FIELD_OF[cls])


_ID_FIELD_OF: dict[type[Any], str] = {
    models.Quote: "quote_id",
    models.PurchaseOrder: "purchase_order_id",
    models.RepeatingInvoice: "repeating_invoice_id",
    models.Item: "item_id",
}


# ----------------------------------------------------------------------------- quotes


def _quote_model(service: Service, org: int, rec: QuoteRecord, *, full: bool) -> models.Quote:
    contact = service.store.contact_by_id(org, rec.contact_id)
    return models.Quote(
        quote_id=rec.quote_id,
        quote_number=rec.number,
        reference=rec.reference,
        terms=rec.terms,
        contact=None if contact is None else view.contact_model(contact, summary=not full),
        line_items=[view.line_model(line, 2) for line in rec.lines],
        date=rec.date,
        expiry_date=rec.expiry_date,
        status=view.enum(models.QuoteStatus, rec.status),
        currency_code=rec.currency_code or "NZD",
        currency_rate=rec.currency_rate,
        sub_total=_money(rec.sub_total),
        total_tax=_money(rec.total_tax),
        total=_money(rec.total),
        total_discount=_money(rec.total_discount),
        title=rec.title,
        summary=rec.summary,
        branding_theme_id=rec.branding_theme_id,
        updated_date_utc=rec.updated,
        line_amount_types=view.enum(
            models.QuoteLineAmountTypes, _QUOTE_AMOUNTS_BACK[rec.line_amount_types]
        ),
    )


def list_quotes(service: Service, call: Call) -> Answer:
    """GET Quotes: filtered by DateFrom, DateTo, ExpiryDateFrom, ExpiryDateTo, ContactID,
    Status and QuoteNumber, sorted by ``order``, paged by 100 with ``page``."""
    org = call.org.org_id
    since = modified_since(call.headers)
    date_from, date_to = _date_param(call, "DateFrom"), _date_param(call, "DateTo")
    expiry_from = _date_param(call, "ExpiryDateFrom")
    expiry_to = _date_param(call, "ExpiryDateTo")
    contact = call.query.get("ContactID", "").strip()
    if contact and not _GUID.match(contact):
        raise ApiError(POST_DATA_INVALID, f"ContactID '{contact[:60]}' is not a GUID.")
    status = call.query.get("Status", "").strip().upper()
    number = call.query.get("QuoteNumber", "").strip()
    quotes = [
        q
        for q in _all(service, org, QUOTE, QuoteRecord)
        if _since(q.updated, since)
        and (date_from is None or q.date >= date_from)
        and (date_to is None or q.date <= date_to)
        and (expiry_from is None or (q.expiry_date is not None and q.expiry_date >= expiry_from))
        and (expiry_to is None or (q.expiry_date is not None and q.expiry_date <= expiry_to))
        and (not contact or q.contact_id == contact.lower())
        # inferred: deleted quotes are listed only when asked for with Status=DELETED
        and (q.status == status if status else q.status != "DELETED")
        and (not number or q.number == number)
    ]
    # inferred: quotes take no where (Xero does not read it) and have a fixed page size.
    paged = _query_without(call, "where", "pageSize")
    if paged.query.get("page"):
        paged = replace(paged, query={**paged.query, "pageSize": str(QUOTE_PAGE_SIZE)})
    elements = service._query_list(
        paged, quotes, lambda q: _quote_model(service, org, q, full=False), pageable=True
    )
    return Service._shape(call, "Quotes", elements)


def get_quote(service: Service, call: Call) -> Answer:
    """GET Quotes/{QuoteID} (its PDF with Accept: application/pdf)."""
    if documents.wants_pdf(call):
        return documents.pdf_answer(service, call)
    key = call.segments[1]
    found = _by_id(service, call.org.org_id, QUOTE, QuoteRecord, key) if _GUID.match(key) else None
    if found is None:
        raise NotFound()
    model = _quote_model(service, call.org.org_id, found, full=True)
    return Service._shape(call, "Quotes", [codec.entity(model)])


def _named(
    given_id: str | None,
    given_key: str | None,
    create_only: bool,
    find: Callable[[str], R | None],
    find_key: Callable[[str], R | None] | None,
    id_phrase: str,
    noun: str,
) -> R | None:
    """The stored record a body names: by its id (refused when creating: ``A QuoteID cannot
    be given when creating a quote (use POST).``; unknown: ``The quote X does not exist.``),
    else, on POST, by its number or code (``find_key``); None for a new record."""
    if given_id is not None:
        if create_only:
            raise Problems(
                [f"{id_phrase} cannot be given when creating {_article(noun)} {noun} (use POST)."]
            )
        existing = find(given_id)
        if existing is None:
            raise Problems([f"The {noun} {given_id} does not exist."])
        return existing
    if not create_only and given_key and find_key is not None:
        return find_key(given_key)
    return None


def _article(noun: str) -> str:
    return "an" if noun[0] in "aeiou" else "a"


def write_quotes(service: Service, call: Call) -> Answer:
    """PUT Quotes (create), POST Quotes (create or update), POST Quotes/{QuoteID} (update)."""
    org = call.org.org_id
    create_only = call.method == "PUT"

    def find(key: str) -> QuoteRecord | None:
        return _by_id(service, org, QUOTE, QuoteRecord, key)

    def find_key(number: str) -> QuoteRecord | None:
        return _by_key(service, org, QUOTE, QuoteRecord, number)

    def save(item: models.Quote, existing: QuoteRecord | None) -> QuoteRecord:
        if existing is None:
            # inferred: as invoices, POST matches a quote by its number
            existing = _named(item.quote_id, item.quote_number, create_only, find, find_key,
                              "A QuoteID", "quote")  # fmt: skip
        numbers = _keys(service, org, QUOTE)
        problems: list[str] = []
        if existing is not None:
            rec = _update_quote(service, org, item, existing, numbers, problems)
        else:
            rec = _new_quote(service, org, item, numbers, problems)
        if problems:
            raise Problems(problems)
        rec.updated = service.store.stamp()
        _save(service, org, QUOTE, rec)
        return rec

    return _write(
        service,
        call,
        cls=models.Quote,
        item="Quote",
        batch="Quotes",
        save=save,
        find=find,
        build=lambda rec: _quote_model(service, org, rec, full=True),
    )


def _new_quote(
    service: Service, org: int, item: models.Quote, numbers: set[str], problems: list[str]
) -> QuoteRecord:
    status = item.status.value if item.status else "DRAFT"
    # inferred: a quote is created as a draft or already sent (Xero's CreateSentQuote action)
    if status not in ("DRAFT", "SENT"):
        problems.append(f"A quote cannot be created with the status {status}.")
    amounts = _QUOTE_AMOUNTS[item.line_amount_types.value] if item.line_amount_types else EXCLUSIVE
    if not item.line_items:  # inferred: Xero's examples always carry lines
        problems.append("A quote must have at least one line item.")
    lines, (sub_total, tax, grand), discount = _lines_and_totals(
        service, org, item, item.line_items, amounts, problems, sales=True
    )
    number = item.quote_number
    if number is None or not number.strip():
        # inferred: QuoteNumber is made from the organisation's sequence, as invoices' are
        number = _next_number(numbers, "QU-")
    elif number in numbers:
        problems.append(f"The QuoteNumber {number} is already assigned to another quote.")
    _check_length(item.reference, "Reference", 4000, problems)
    _check_length(item.terms, "Terms", 4000, problems)
    _check_length(item.title, "Title", 100, problems)
    _check_length(item.summary, "Summary", 3000, problems)
    _check_length(number, "QuoteNumber", 255, problems)
    if problems:
        raise Problems(problems)
    contact_id = _contact(service, org, item.contact, "quote")
    return QuoteRecord(
        quote_id=new_guid(),
        number=number,
        contact_id=contact_id,
        date=item.date or _today(),
        status=status,
        line_amount_types=amounts,
        lines=lines,
        sub_total=sub_total,
        total_tax=tax,
        total=grand,
        total_discount=discount,
        updated=service.store.stamp(),
        expiry_date=item.expiry_date,
        currency_code=item.currency_code,
        currency_rate=item.currency_rate,
        reference=item.reference,
        terms=item.terms,
        title=item.title,
        summary=item.summary,
        branding_theme_id=item.branding_theme_id,
    )


def _check_length(value: str | None, name: str, most: int, problems: list[str]) -> None:
    if value is not None and len(value) > most:
        problems.append(f"{name} must be at most {most} characters long.")


def _update_quote(
    service: Service,
    org: int,
    item: models.Quote,
    rec: QuoteRecord,
    numbers: set[str],
    problems: list[str],
) -> QuoteRecord:
    status = item.status.value if item.status else rec.status
    _transition(QUOTE_TRANSITIONS, "quote", rec.status, status)
    # inferred: a quote's content can change while it is a draft, sent or declined
    editable = rec.status in ("DRAFT", "SENT", "DECLINED")
    amounts = (
        _QUOTE_AMOUNTS[item.line_amount_types.value]
        if item.line_amount_types
        else rec.line_amount_types
    )
    changes_content = bool(item.line_items) or amounts != rec.line_amount_types
    if (changes_content or item.contact is not None) and not editable:
        raise Problems([f"A quote in status {rec.status} cannot be changed."])
    if changes_content:
        given = item.line_items or _line_models(rec.lines)
        rec.lines, totals, rec.total_discount = _lines_and_totals(
            service, org, item, given, amounts, problems, sales=True
        )
        rec.sub_total, rec.total_tax, rec.total = totals
        rec.line_amount_types = amounts
    if item.quote_number and item.quote_number != rec.number:
        if item.quote_number in numbers:
            problems.append(
                f"The QuoteNumber {item.quote_number} is already assigned to another quote."
            )
        rec.number = item.quote_number
    for name, most in (("reference", 4000), ("terms", 4000), ("title", 100), ("summary", 3000)):
        _check_length(getattr(item, name), name.capitalize(), most, problems)
    if problems:
        raise Problems(problems)
    if item.contact is not None:
        rec.contact_id = _contact(service, org, item.contact, "quote")
    for attr in (
        "date",
        "expiry_date",
        "currency_code",
        "currency_rate",
        "reference",
        "terms",
        "title",
        "summary",
        "branding_theme_id",
    ):
        value = getattr(item, attr)
        if value is not None:
            setattr(rec, attr, value)
    rec.status = status
    return rec


# ----------------------------------------------------------------------------- purchase orders


def _order_model(
    service: Service, org: int, rec: OrderRecord, *, full: bool
) -> models.PurchaseOrder:
    contact = service.store.contact_by_id(org, rec.contact_id)
    return models.PurchaseOrder(
        contact=None if contact is None else view.contact_model(contact, summary=not full),
        line_items=[view.line_model(line, 2) for line in rec.lines],
        date=rec.date,
        delivery_date=rec.delivery_date,
        line_amount_types=view.enum(models.LineAmountTypes, rec.line_amount_types),
        purchase_order_number=rec.number,
        reference=rec.reference,
        branding_theme_id=rec.branding_theme_id,
        currency_code=rec.currency_code or "NZD",
        status=view.enum(models.PurchaseOrderStatus, rec.status),
        sent_to_contact=rec.sent_to_contact,
        delivery_address=rec.delivery_address,
        attention_to=rec.attention_to,
        telephone=rec.telephone,
        delivery_instructions=rec.delivery_instructions,
        expected_arrival_date=rec.expected_arrival_date,
        purchase_order_id=rec.purchase_order_id,
        currency_rate=rec.currency_rate,
        sub_total=_money(rec.sub_total),
        total_tax=_money(rec.total_tax),
        total=_money(rec.total),
        total_discount=_money(rec.total_discount),
        has_attachments=attachments.has_attachments(service.store, org, rec.purchase_order_id),
        updated_date_utc=rec.updated,
    )


def list_orders(service: Service, call: Call) -> Answer:
    """GET PurchaseOrders: filtered by Status, DateFrom and DateTo, sorted by ``order``,
    paged by ``page`` and ``pageSize``."""
    org = call.org.org_id
    since = modified_since(call.headers)
    date_from, date_to = _date_param(call, "DateFrom"), _date_param(call, "DateTo")
    status = call.query.get("Status", "").strip().upper()
    if status and status not in ORDER_TRANSITIONS:
        raise ApiError(POST_DATA_INVALID, f"Status '{status[:40]}' is not a purchase order status.")
    orders = [
        o
        for o in _all(service, org, ORDER, OrderRecord)
        if _since(o.updated, since)
        and (date_from is None or o.date >= date_from)
        and (date_to is None or o.date <= date_to)
        # inferred: deleted orders are listed only when asked for with Status=DELETED
        and (o.status == status if status else o.status != "DELETED")
    ]
    elements = service._query_list(
        _query_without(call, "where"),  # inferred: purchase orders take no where
        orders,
        lambda o: _order_model(service, org, o, full=False),
        pageable=True,
    )
    return Service._shape(call, "PurchaseOrders", elements)


def get_order(service: Service, call: Call) -> Answer:
    """GET PurchaseOrders/{PurchaseOrderID or PurchaseOrderNumber}."""
    org = call.org.org_id
    key = call.segments[1]
    found = (
        _by_id(service, org, ORDER, OrderRecord, key)
        if _GUID.match(key)
        else _by_key(service, org, ORDER, OrderRecord, key)
    )
    if found is None:
        raise NotFound()
    return Service._shape(
        call, "PurchaseOrders", [codec.entity(_order_model(service, org, found, full=True))]
    )


# Reference (at most 4000, Xero's XSD) and DeliveryInstructions (at most 500, the spec);
# inferred: the other limits, from the contact fields of the same kind.
_ORDER_TEXT = {
    "reference": 4000,
    "delivery_address": 4000,
    "attention_to": 255,
    "telephone": 50,
    "delivery_instructions": 500,
}


def write_orders(service: Service, call: Call) -> Answer:
    """PUT PurchaseOrders (create), POST PurchaseOrders (create or update), POST
    PurchaseOrders/{PurchaseOrderID} (update)."""
    org = call.org.org_id
    create_only = call.method == "PUT"

    def find(key: str) -> OrderRecord | None:
        return _by_id(service, org, ORDER, OrderRecord, key)

    def find_key(number: str) -> OrderRecord | None:
        return _by_key(service, org, ORDER, OrderRecord, number)

    def save(item: models.PurchaseOrder, existing: OrderRecord | None) -> OrderRecord:
        if existing is None:
            existing = _named(item.purchase_order_id, item.purchase_order_number, create_only,
                              find, find_key, "A PurchaseOrderID", "purchase order")  # fmt: skip
        numbers = _keys(service, org, ORDER)
        problems: list[str] = []
        if existing is not None:
            rec = _update_order(service, org, item, existing, numbers, problems)
        else:
            rec = _new_order(service, org, item, numbers, problems)
        if problems:
            raise Problems(problems)
        rec.updated = service.store.stamp()
        _save(service, org, ORDER, rec)
        return rec

    return _write(
        service,
        call,
        cls=models.PurchaseOrder,
        item="PurchaseOrder",
        batch="PurchaseOrders",
        save=save,
        find=find,
        build=lambda rec: _order_model(service, org, rec, full=True),
    )


def _sent_to_contact(status: str, item: models.PurchaseOrder, problems: list[str]) -> None:
    if item.sent_to_contact is not None and status not in ("AUTHORISED", "BILLED"):
        problems.append(
            "Only AUTHORISED and BILLED purchase orders may have SentToContact updated."
        )


def _new_order(
    service: Service,
    org: int,
    item: models.PurchaseOrder,
    numbers: set[str],
    problems: list[str],
) -> OrderRecord:
    status = item.status.value if item.status else "DRAFT"
    # inferred: as invoices, an order is created as DRAFT, SUBMITTED or AUTHORISED
    if status not in ("DRAFT", "SUBMITTED", "AUTHORISED"):
        problems.append(f"A purchase order cannot be created with the status {status}.")
    _sent_to_contact(status, item, problems)
    amounts = item.line_amount_types.value if item.line_amount_types else EXCLUSIVE
    if not item.line_items:  # inferred: Xero's examples always carry lines
        problems.append("A purchase order must have at least one line item.")
    lines, (sub_total, tax, grand), discount = _lines_and_totals(
        service, org, item, item.line_items, amounts, problems, sales=False
    )
    number = item.purchase_order_number
    if number is None or not number.strip():
        number = _next_number(numbers, "PO-")
    elif number in numbers:
        problems.append("Order number must be unique")
    for attr, most in _ORDER_TEXT.items():
        _check_length(getattr(item, attr), _pascal(attr), most, problems)
    if problems:
        raise Problems(problems)
    contact_id = _contact(service, org, item.contact, "purchase order")
    return OrderRecord(
        purchase_order_id=new_guid(),
        number=number,
        contact_id=contact_id,
        date=item.date or _today(),
        status=status,
        line_amount_types=amounts,
        lines=lines,
        sub_total=sub_total,
        total_tax=tax,
        total=grand,
        total_discount=discount,
        updated=service.store.stamp(),
        delivery_date=item.delivery_date,
        expected_arrival_date=item.expected_arrival_date,
        currency_code=item.currency_code,
        currency_rate=item.currency_rate,
        reference=item.reference,
        branding_theme_id=item.branding_theme_id,
        sent_to_contact=item.sent_to_contact,
        delivery_address=item.delivery_address,
        attention_to=item.attention_to,
        telephone=item.telephone,
        delivery_instructions=item.delivery_instructions,
    )


def _pascal(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


def _update_order(
    service: Service,
    org: int,
    item: models.PurchaseOrder,
    rec: OrderRecord,
    numbers: set[str],
    problems: list[str],
) -> OrderRecord:
    status = item.status.value if item.status else rec.status
    _transition(ORDER_TRANSITIONS, "purchase order", rec.status, status)
    _sent_to_contact(status, item, problems)
    # inferred: an order's content can change until it is billed (or deleted)
    editable = rec.status in ("DRAFT", "SUBMITTED", "AUTHORISED")
    amounts = item.line_amount_types.value if item.line_amount_types else rec.line_amount_types
    changes_content = bool(item.line_items) or amounts != rec.line_amount_types
    if (changes_content or item.contact is not None) and not editable:
        raise Problems([f"A purchase order in status {rec.status} cannot be changed."])
    if changes_content:
        given = item.line_items or _line_models(rec.lines)
        rec.lines, totals, rec.total_discount = _lines_and_totals(
            service, org, item, given, amounts, problems, sales=False
        )
        rec.sub_total, rec.total_tax, rec.total = totals
        rec.line_amount_types = amounts
    number = item.purchase_order_number
    if number and number != rec.number:
        if number in numbers:
            problems.append("Order number must be unique")
        rec.number = number
    for attr, most in _ORDER_TEXT.items():
        _check_length(getattr(item, attr), _pascal(attr), most, problems)
    if problems:
        raise Problems(problems)
    if item.contact is not None:
        rec.contact_id = _contact(service, org, item.contact, "purchase order")
    for attr in (
        "date",
        "delivery_date",
        "expected_arrival_date",
        "currency_code",
        "currency_rate",
        "branding_theme_id",
        "sent_to_contact",
        *_ORDER_TEXT,
    ):
        value = getattr(item, attr)
        if value is not None:
            setattr(rec, attr, value)
    rec.status = status
    return rec


# ----------------------------------------------------------------------------- repeating invoices


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))


def next_scheduled(schedule: ScheduleRecord, today: datetime.date) -> datetime.date | None:
    """The first date of the schedule on or after *today* (None once past its EndDate).
    # inferred: the schedule runs from StartDate every Period weeks or months; Xero's own
    clock makes the invoices, which the sandbox does not (it keeps no books yet)."""
    day, n = schedule.start_date, 0
    while day < today:
        n += 1
        if schedule.unit == "WEEKLY":
            day = schedule.start_date + datetime.timedelta(weeks=schedule.period * n)
        else:
            day = _add_months(schedule.start_date, schedule.period * n)
    if schedule.end_date is not None and day > schedule.end_date:
        return None
    return day


def _repeating_model(
    service: Service, org: int, rec: RepeatingRecord, *, full: bool
) -> models.RepeatingInvoice:
    contact = service.store.contact_by_id(org, rec.contact_id)
    schedule = rec.schedule
    return models.RepeatingInvoice(
        type=view.enum(models.InvoiceType, rec.type),
        contact=None if contact is None else view.contact_model(contact, summary=not full),
        schedule=models.Schedule(
            period=schedule.period,
            unit=view.enum(models.ScheduleUnit, schedule.unit),
            due_date=schedule.due_date,
            due_date_type=view.enum(models.ScheduleDueDateType, schedule.due_date_type),
            start_date=schedule.start_date,
            next_scheduled_date=next_scheduled(schedule, _today())
            if rec.status != "DELETED"
            else None,
            end_date=schedule.end_date,
        ),
        line_items=[view.line_model(line, 2) for line in rec.lines],
        line_amount_types=view.enum(models.LineAmountTypes, rec.line_amount_types),
        reference=rec.reference,
        branding_theme_id=rec.branding_theme_id,
        currency_code=rec.currency_code or "NZD",
        status=view.enum(models.RepeatingInvoiceStatus, rec.status),
        sub_total=_money(rec.sub_total),
        total_tax=_money(rec.total_tax),
        total=_money(rec.total),
        repeating_invoice_id=rec.repeating_invoice_id,
        id=rec.repeating_invoice_id,
        has_attachments=attachments.has_attachments(service.store, org, rec.repeating_invoice_id),
        approved_for_sending=rec.approved_for_sending,
        send_copy=rec.send_copy,
        mark_as_sent=rec.mark_as_sent,
        include_pdf=rec.include_pdf,
    )


def list_repeating(service: Service, call: Call) -> Answer:
    """GET RepeatingInvoices (where/order, never paged, no If-Modified-Since)."""
    org = call.org.org_id
    templates = [
        r
        for r in _all(service, org, REPEATING, RepeatingRecord)
        if r.status != "DELETED"  # inferred: deleted templates are not listed
    ]
    elements = service._query_list(
        call, templates, lambda r: _repeating_model(service, org, r, full=False), pageable=False
    )
    return Service._shape(call, "RepeatingInvoices", elements)


def get_repeating(service: Service, call: Call) -> Answer:
    """GET RepeatingInvoices/{RepeatingInvoiceID}."""
    org = call.org.org_id
    key = call.segments[1]
    found = _by_id(service, org, REPEATING, RepeatingRecord, key) if _GUID.match(key) else None
    if found is None:
        raise NotFound()
    model = _repeating_model(service, org, found, full=True)
    return Service._shape(call, "RepeatingInvoices", [codec.entity(model)])


def _schedule(
    given: models.Schedule | None, old: ScheduleRecord | None, problems: list[str]
) -> ScheduleRecord | None:
    if given is None:
        if old is None:
            problems.append("A repeating invoice needs a Schedule.")
        return old
    period = given.period if given.period is not None else (old.period if old else None)
    unit = given.unit.value if given.unit else (old.unit if old else None)
    due = given.due_date if given.due_date is not None else (old.due_date if old else None)
    due_type = (
        given.due_date_type.value if given.due_date_type else (old.due_date_type if old else None)
    )
    # inferred: an edited schedule starts again from the next date of the old one
    start = given.start_date or (
        (next_scheduled(old, _today()) or old.start_date) if old is not None else None
    )
    if period is None or period < 1:
        problems.append("The Schedule needs a Period of at least 1.")
    if unit is None:
        problems.append("The Schedule needs a Unit (WEEKLY or MONTHLY).")
    if due is None or due < 0:
        problems.append("The Schedule needs a DueDate (a day number).")
    if due_type is None:
        problems.append("The Schedule needs a DueDateType.")
    if start is None:
        problems.append("The Schedule needs a StartDate.")
    end = given.end_date or (old.end_date if old else None)
    if start is not None and end is not None and end < start:
        problems.append("The Schedule's EndDate must not be before its StartDate.")
    if (  # inferred: "of the month" due dates name a day of a month
        due is not None
        and due_type in ("OFCURRENTMONTH", "OFFOLLOWINGMONTH")
        and not 1 <= due <= 31
    ):
        problems.append(f"The Schedule's DueDate {due} is not a day of a month.")
    if period is None or unit is None or due is None or due_type is None or start is None:
        return None
    return ScheduleRecord(period, unit, due, due_type, start, end)


def write_repeating(service: Service, call: Call) -> Answer:
    """PUT RepeatingInvoices (create), POST RepeatingInvoices (create or update), POST
    RepeatingInvoices/{RepeatingInvoiceID} (update, or delete with Status DELETED)."""
    org = call.org.org_id
    create_only = call.method == "PUT"

    def find(key: str) -> RepeatingRecord | None:
        return _by_id(service, org, REPEATING, RepeatingRecord, key)

    def save(item: models.RepeatingInvoice, existing: RepeatingRecord | None) -> RepeatingRecord:
        if existing is None:
            existing = _named(item.repeating_invoice_id, None, create_only, find, None,
                              "A RepeatingInvoiceID", "repeating invoice")  # fmt: skip
        problems: list[str] = []
        if existing is not None:
            rec = _update_repeating(service, org, item, existing, problems)
        else:
            rec = _new_repeating(service, org, item, problems)
        if problems:
            raise Problems(problems)
        rec.updated = service.store.stamp()
        _save(service, org, REPEATING, rec)
        return rec

    return _write(
        service,
        call,
        cls=models.RepeatingInvoice,
        item="RepeatingInvoice",
        batch="RepeatingInvoices",
        save=save,
        find=find,
        build=lambda rec: _repeating_model(service, org, rec, full=True),
    )


def _new_repeating(
    service: Service, org: int, item: models.RepeatingInvoice, problems: list[str]
) -> RepeatingRecord:
    if item.type is None:
        raise Problems(["The repeating invoice Type (ACCREC or ACCPAY) must be given."])
    status = item.status.value if item.status else "DRAFT"  # inferred: DRAFT by default
    if status == "DELETED":
        problems.append("A repeating invoice cannot be created with the status DELETED.")
    schedule = _schedule(item.schedule, None, problems)
    amounts = item.line_amount_types.value if item.line_amount_types else EXCLUSIVE
    if not item.line_items:
        problems.append("A repeating invoice must have at least one line item.")
    sales = item.type is models.InvoiceType.ACCREC
    lines, (sub_total, tax, grand), _ = _lines_and_totals(
        service, org, item, item.line_items, amounts, problems, sales=sales
    )
    if problems:
        raise Problems(problems)
    assert schedule is not None
    contact_id = _contact(service, org, item.contact, "repeating invoice")
    return RepeatingRecord(
        repeating_invoice_id=new_guid(),
        type=item.type.value,
        contact_id=contact_id,
        schedule=schedule,
        status=status,
        line_amount_types=amounts,
        lines=lines,
        sub_total=sub_total,
        total_tax=tax,
        total=grand,
        updated=service.store.stamp(),
        # inferred: Reference is "ACCREC only"; a bill template's is dropped
        reference=item.reference if sales else None,
        branding_theme_id=item.branding_theme_id,
        currency_code=item.currency_code,
        approved_for_sending=bool(item.approved_for_sending),
        send_copy=bool(item.send_copy),
        mark_as_sent=bool(item.mark_as_sent),
        include_pdf=bool(item.include_pdf),
    )


def _update_repeating(
    service: Service,
    org: int,
    item: models.RepeatingInvoice,
    rec: RepeatingRecord,
    problems: list[str],
) -> RepeatingRecord:
    status = item.status.value if item.status else rec.status
    _transition(REPEATING_TRANSITIONS, "repeating invoice", rec.status, status)
    if item.type is not None and item.type.value != rec.type:
        problems.append("The Type of a repeating invoice cannot be changed.")
    amounts = item.line_amount_types.value if item.line_amount_types else rec.line_amount_types
    edits = (
        bool(item.line_items)
        or amounts != rec.line_amount_types
        or item.schedule is not None
        or item.contact is not None
    )
    if edits and rec.status == "DELETED":
        raise Problems(["A deleted repeating invoice cannot be changed."])
    if item.line_items or amounts != rec.line_amount_types:
        given = item.line_items or _line_models(rec.lines)
        rec.lines, totals, _ = _lines_and_totals(
            service, org, item, given, amounts, problems, sales=rec.type == "ACCREC"
        )
        rec.sub_total, rec.total_tax, rec.total = totals
        rec.line_amount_types = amounts
    if item.schedule is not None:
        schedule = _schedule(item.schedule, rec.schedule, problems)
        if schedule is not None:
            rec.schedule = schedule
    if problems:
        raise Problems(problems)
    if item.contact is not None:
        rec.contact_id = _contact(service, org, item.contact, "repeating invoice")
    if item.reference is not None and rec.type == "ACCREC":
        rec.reference = item.reference
    for attr in ("branding_theme_id", "currency_code"):
        value = getattr(item, attr)
        if value is not None:
            setattr(rec, attr, value)
    for attr in ("approved_for_sending", "send_copy", "mark_as_sent", "include_pdf"):
        value = getattr(item, attr)
        if value is not None:
            setattr(rec, attr, value)
    rec.status = status
    return rec


# ----------------------------------------------------------------------------- items


def _price_model(rec: PriceRecord | None, unit_dp: int) -> models.ItemPriceDetails | None:
    if rec is None:
        return None
    return models.ItemPriceDetails(
        unit_price=None if rec.unit_price is None else quantize(rec.unit_price, unit_dp),
        account_code=rec.account_code,
        cogs_account_code=rec.cogs_account_code,
        tax_type=rec.tax_type,
    )


def _item_model(rec: ItemRecord, unit_dp: int = 2) -> models.Item:
    tracked = _tracked(rec)
    return models.Item(
        item_id=rec.item_id,
        code=rec.code,
        name=rec.name,
        description=rec.description,
        purchase_description=rec.purchase_description,
        is_sold=rec.is_sold,
        is_purchased=rec.is_purchased,
        purchase_details=_price_model(rec.purchase, unit_dp),
        sales_details=_price_model(rec.sales, unit_dp),
        inventory_asset_account_code=rec.inventory_asset_account_code,
        is_tracked_as_inventory=tracked,
        total_cost_pool=_money(rec.total_cost_pool) if tracked else None,
        quantity_on_hand=quantize(rec.quantity_on_hand, 4)
        if tracked and rec.quantity_on_hand is not None
        else None,
        updated_date_utc=rec.updated,
    )


def _tracked(rec: ItemRecord) -> bool:
    return bool(
        rec.inventory_asset_account_code and rec.purchase and rec.purchase.cogs_account_code
    )


def _unit_dp(call: Call) -> int:
    return _int(call.query, "unitdp", 2, 4) or 2


def list_items(service: Service, call: Call) -> Answer:
    """GET Items (where/order, If-Modified-Since, unitdp; never paged)."""
    org = call.org.org_id
    since = modified_since(call.headers)
    unit_dp = _unit_dp(call)
    items = [i for i in _all(service, org, ITEM, ItemRecord) if _since(i.updated, since)]
    elements = service._query_list(call, items, lambda i: _item_model(i, unit_dp), pageable=False)
    return Service._shape(call, "Items", elements)


def _find_item(service: Service, org: int, key: str) -> ItemRecord | None:
    return (
        _by_id(service, org, ITEM, ItemRecord, key)
        if _GUID.match(key)
        else _by_key(service, org, ITEM, ItemRecord, key)
    )


def get_item(service: Service, call: Call) -> Answer:
    """GET Items/{ItemID or Code}."""
    found = _find_item(service, call.org.org_id, call.segments[1])
    if found is None:
        raise NotFound()
    return Service._shape(call, "Items", [codec.entity(_item_model(found, _unit_dp(call)))])


def write_items(service: Service, call: Call) -> Answer:
    """PUT Items (create), POST Items (create or update by ItemID or Code), POST
    Items/{ItemID} (update)."""
    org = call.org.org_id
    create_only = call.method == "PUT"
    unit_dp = _unit_dp(call)

    def find(key: str) -> ItemRecord | None:
        return _by_id(service, org, ITEM, ItemRecord, key)

    def find_key(code: str) -> ItemRecord | None:
        return _by_key(service, org, ITEM, ItemRecord, code)

    def save(item: models.Item, existing: ItemRecord | None) -> ItemRecord:
        if existing is None:
            existing = _named(item.item_id, item.code, create_only, find, find_key,
                              "An ItemID", "item")  # fmt: skip
        rec = _save_item(service, org, item, existing)
        _save(service, org, ITEM, rec)
        return rec

    return _write(
        service,
        call,
        cls=models.Item,
        item="Item",
        batch="Items",
        save=save,
        find=find,
        build=lambda rec: _item_model(rec, unit_dp),
    )


def _price(given: models.ItemPriceDetails | None, old: PriceRecord | None) -> PriceRecord | None:
    if given is None:
        return old
    base = old or PriceRecord()
    return PriceRecord(
        unit_price=given.unit_price if given.unit_price is not None else base.unit_price,
        account_code=given.account_code if given.account_code is not None else base.account_code,
        cogs_account_code=given.cogs_account_code
        if given.cogs_account_code is not None
        else base.cogs_account_code,
        tax_type=given.tax_type if given.tax_type is not None else base.tax_type,
    )


def _save_item(
    service: Service, org: int, item: models.Item, existing: ItemRecord | None
) -> ItemRecord:
    problems: list[str] = []
    code = item.code if item.code is not None else (existing.code if existing else None)
    if not code or not code.strip():
        raise Problems(["An item needs a Code."])
    if len(code) > 30:
        problems.append("The Code of an item must be at most 30 characters long.")
    # inferred: codes are matched without regard to case (as contact names are)
    same = _by_key(service, org, ITEM, ItemRecord, code)
    if same is not None and (existing is None or same.item_id != existing.item_id):
        problems.append(f"Price List Item with Code ''{code}'' already exists")
    rec = existing or ItemRecord(item_id=new_guid(), code=code, updated=service.store.stamp())
    rec.code = code
    for attr, most in (("name", 50), ("description", 4000), ("purchase_description", 4000)):
        value = getattr(item, attr)
        _check_length(value, _pascal(attr), most, problems)
        if value is not None:
            setattr(rec, attr, value)
    if item.is_sold is not None:
        rec.is_sold = item.is_sold
    if item.is_purchased is not None:
        rec.is_purchased = item.is_purchased
    rec.sales = _price(item.sales_details, rec.sales)
    rec.purchase = _price(item.purchase_details, rec.purchase)
    if item.inventory_asset_account_code is not None:
        rec.inventory_asset_account_code = item.inventory_asset_account_code or None
    accounts = {a.code: a for a in service.store.accounts(org) if a.status == "ACTIVE"}
    for details, side in ((rec.sales, "SalesDetails"), (rec.purchase, "PurchaseDetails")):
        if details is None:
            continue
        for code_, name in (
            (details.account_code, "AccountCode"),
            (details.cogs_account_code, "COGSAccountCode"),
        ):
            if code_ and code_ not in accounts:
                problems.append(f"{side}.{name} '{code_}' is not a valid account code.")
        if details.tax_type is not None and details.tax_type not in _tax_types():
            problems.append(f"{side}.TaxType '{details.tax_type}' is not a valid tax type.")
        if details.unit_price is not None and not fits_decimal(details.unit_price):
            problems.append(f"{side}.UnitPrice is out of range.")
    if rec.sales is not None and rec.sales.cogs_account_code:
        problems.append("A COGSAccountCode applies only to the PurchaseDetails of an item.")
    asset = rec.inventory_asset_account_code
    cogs = rec.purchase.cogs_account_code if rec.purchase else None
    if asset:
        found = accounts.get(asset)
        if found is None or found.type != "INVENTORY":
            problems.append(
                f"The InventoryAssetAccountCode '{asset}' must be an account of type INVENTORY."
            )
        if not cogs:
            problems.append("An item tracked as inventory needs a PurchaseDetails.COGSAccountCode.")
    elif cogs:
        problems.append("A COGSAccountCode needs an InventoryAssetAccountCode.")
    if problems:
        raise Problems(problems)
    # IsSold / IsPurchased false: the matching description and details are cleared.
    if not rec.is_sold:
        rec.description, rec.sales = None, None
    if not rec.is_purchased:
        rec.purchase_description, rec.purchase = None, None
    if _tracked(rec):
        if rec.quantity_on_hand is None:
            rec.quantity_on_hand, rec.total_cost_pool = Decimal(0), Decimal(0)
        # inferred: a tracked item's purchase AccountCode does not apply (COGS does)
        if rec.purchase is not None:
            rec.purchase.account_code = None
    rec.updated = service.store.stamp()
    return rec


def _tax_types() -> frozenset[str]:
    from ..service import TAX_RATES

    return frozenset(TAX_RATES)


def delete_item(service: Service, call: Call) -> Answer:
    """DELETE Items/{ItemID}: 204 No Content."""
    org = call.org.org_id
    key = call.segments[1]
    found = _by_id(service, org, ITEM, ItemRecord, key) if _GUID.match(key) else None
    if found is None:
        raise NotFound()
    _delete(service, org, ITEM, found.item_id)
    return Answer(204, etree.Element("Empty"))


# ----------------------------------------------------------------------------- contacts


def contact_cis_settings(service: Service, call: Call) -> Answer:
    """GET Contacts/{ContactID}/CISSettings.  # inferred: the sandbox's organisations do not
    run the UK Construction Industry Scheme, so no contact is a CIS subcontractor (CISEnabled
    false, no Rate); Xero sets it in its app, never through the API."""
    key = call.segments[1]
    if call.segments[2].lower() != "cissettings" or not _GUID.match(key):
        raise NotFound()
    contact = service.store.contact_by_id(call.org.org_id, key.lower())
    if contact is None:
        raise NotFound()
    setting = models.CisSetting(cis_enabled=False)
    return Service._shape(call, "CISSettings", [codec.entity(setting, "CISSetting")])


#: (method, resource, number of path segments) -> handler, scope family
ROUTES: dict[tuple[str, str, int], tuple[Callable[[Service, Call], Answer], str]] = {
    ("GET", "quotes", 1): (list_quotes, "accounting.transactions"),
    ("GET", "quotes", 2): (get_quote, "accounting.transactions"),
    ("PUT", "quotes", 1): (write_quotes, "accounting.transactions"),
    ("POST", "quotes", 1): (write_quotes, "accounting.transactions"),
    ("POST", "quotes", 2): (write_quotes, "accounting.transactions"),
    ("GET", "purchaseorders", 1): (list_orders, "accounting.transactions"),
    ("GET", "purchaseorders", 2): (get_order, "accounting.transactions"),
    ("PUT", "purchaseorders", 1): (write_orders, "accounting.transactions"),
    ("POST", "purchaseorders", 1): (write_orders, "accounting.transactions"),
    ("POST", "purchaseorders", 2): (write_orders, "accounting.transactions"),
    ("GET", "repeatinginvoices", 1): (list_repeating, "accounting.transactions"),
    ("GET", "repeatinginvoices", 2): (get_repeating, "accounting.transactions"),
    ("PUT", "repeatinginvoices", 1): (write_repeating, "accounting.transactions"),
    ("POST", "repeatinginvoices", 1): (write_repeating, "accounting.transactions"),
    ("POST", "repeatinginvoices", 2): (write_repeating, "accounting.transactions"),
    ("GET", "items", 1): (list_items, "accounting.settings"),
    ("GET", "items", 2): (get_item, "accounting.settings"),
    ("PUT", "items", 1): (write_items, "accounting.settings"),
    ("POST", "items", 1): (write_items, "accounting.settings"),
    ("POST", "items", 2): (write_items, "accounting.settings"),
    ("DELETE", "items", 2): (delete_item, "accounting.settings"),
    ("GET", "contacts", 3): (contact_cis_settings, "accounting.settings"),
}
