"""The endpoints of the Accounting API 2.0, as the sandbox implements them.

Reads: lists take ``where``/``order`` (:mod:`.where`), ``If-Modified-Since`` as a filter
(records changed at or after that second), the list filters (``IDs``, ``InvoiceNumbers``,
``ContactIDs``, ``Statuses``), ``searchTerm``, ``includeArchived``, ``summaryOnly`` and
``unitdp``. ``page`` (from 1) returns ``pageSize`` records (default 100, at most 1000);
invoices come with their lines only when paged (an unpaged list leaves the lines out and
shows only the contact's id and name). A GET of one record is always complete.

Writes: PUT creates, POST creates or updates (matched on the id, then ContactNumber /
InvoiceNumber / Name); both take one element or a batch. Each element is checked on its
own: with ``summarizeErrors`` (the default) any refused element makes the answer a 400
``ApiException`` echoing each refused element (with an all-zero id) while the valid ones
are still saved, as Xero does; with ``summarizeErrors=false`` the answer is 200 with every
element, each with its ``status`` attribute (OK or ERROR) and inline ValidationErrors.

Rules: contact names and ContactNumbers are unique; invoices need a Type, a Contact (by
ContactID, or by Name: matched or created), lines with existing active account codes and at
most two tracking options (by name or id); line amounts are Quantity x UnitAmount less any
DiscountRate, tax comes from the line's TaxType (or its account's) per LineAmountTypes
(Exclusive: on top; Inclusive: inside the line amount; NoTax: none), and SubTotal,
TotalTax and Total, when sent, must equal what they add up to. ACCREC numbers are unique
and made (INV-0001, ...) when left out. Status moves DRAFT -> SUBMITTED -> AUTHORISED,
DRAFT/SUBMITTED -> DELETED, AUTHORISED -> VOIDED (without payments); PAID comes from
payments. Payments need an AUTHORISED invoice and a bank account (or one with
EnablePaymentsToAccount), at most the amount due; POST Status=DELETED removes one.
Accounts and tracking categories/options are created, renamed, archived (Status ARCHIVED)
and deleted (only while no invoice line uses them); at most two active tracking categories.
"""

from __future__ import annotations

import datetime
import email.utils
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from lxml import etree
from xero_customer_api.v2_0 import models

from .. import ledger, records, webhooks
from ..amounts import fits_decimal, multiply, round2, total
from ..http import Upload
from ..records import EXCLUSIVE, INCLUSIVE, NO_TAX
from ..store import App, Org, Store, new_guid
from . import codec, schema, view
from .errors import POST_DATA_INVALID, QUERY_PARSE, VALIDATION, ApiError, Problems
from .resources import attachments
from .where import QueryError, compile_order, compile_where

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
#: Tax rates by tax type (NZ-style: GST 15%, the older 12.5% codes of the seeded chart).
TAX_RATES = {
    "OUTPUT": Decimal("0.125"),
    "INPUT": Decimal("0.125"),
    "OUTPUT2": Decimal("0.15"),
    "INPUT2": Decimal("0.15"),
    "NONE": Decimal(0),
    "EXEMPTOUTPUT": Decimal(0),
    "EXEMPTINPUT": Decimal(0),
    "ZERORATED": Decimal(0),
    "ZERORATEDINPUT": Decimal(0),
    "ZERORATEDOUTPUT": Decimal(0),
}
_TRANSITIONS = {
    "DRAFT": {"DRAFT", "SUBMITTED", "AUTHORISED", "DELETED"},
    "SUBMITTED": {"SUBMITTED", "DRAFT", "AUTHORISED", "DELETED"},
    "AUTHORISED": {"AUTHORISED", "VOIDED"},
    "PAID": {"PAID"},
    "VOIDED": {"VOIDED"},
    "DELETED": {"DELETED"},
}
DEFAULT_PAGE_SIZE = 100
#: The base currency of every seeded organisation (its chart and tax rates are NZ's).
BASE_CURRENCY = "NZD"
#: Further currencies of an organisation: each source gives the codes it has added (the
#: Currencies resource registers one). # inferred: an organisation has its base currency and
#: those it added; Xero refuses any other (reference 1.0 notes, ValidationException example).
CURRENCY_SOURCES: list[Callable[[Store, int], Iterable[str]]] = []
#: An email address as Xero takes it: something@domain.tld, no blanks.
# inferred: Xero's exact rule is not in the facts; this refuses what is plainly not an address.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class Call:
    """An authenticated, authorised 2.0 request (``segments``: the path after ``2.0/``)."""

    method: str
    segments: list[str]
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    org: Org
    app: App
    provider: str
    #: The body when the app streamed it to a file (an attachment), else None.
    upload: Upload | None = None
    #: ``scheme://host[:port]`` as the client reached the sandbox (for URLs in answers).
    root_url: str = ""


@dataclass(frozen=True)
class Answer:
    """A handler's answer: an HTTP status and the XML document, or (``content``) bytes served
    as they are with their ``content_type`` (a PDF, an attachment)."""

    status: int
    root: etree._Element
    content: bytes | None = None
    content_type: str | None = None

    @classmethod
    def binary(cls, content: bytes, content_type: str) -> Answer:
        """A 200 of raw bytes (``root`` is then an empty placeholder, never served)."""
        return cls(200, etree.Element("Binary"), content, content_type)


# ----------------------------------------------------------------------------- parameters


def _bool(query: dict[str, str], name: str, default: bool) -> bool:
    value = query.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ApiError(POST_DATA_INVALID, f"{name} must be true or false, not '{value}'.")


def _int(query: dict[str, str], name: str, low: int, high: int) -> int | None:
    value = query.get(name)
    if value is None or value == "":
        return None
    # ASCII digits only ("²" is a digit to str.isdigit, not to int()), and short enough for
    # int() (which refuses 4,300 digits and more)
    if (
        not (value.isascii() and value.isdigit())
        or len(value) > 12
        or not low <= int(value) <= high
    ):
        raise ApiError(
            POST_DATA_INVALID, f"{name} must be a whole number from {low} to {high}, not '{value}'."
        )
    return int(value)


def _list(query: dict[str, str], name: str, *, guids: bool = False) -> set[str] | None:
    value = query.get(name)
    if value is None or value == "":
        return None
    items = [v.strip() for v in value.split(",") if v.strip()]
    if guids:
        bad = [v for v in items if not _GUID.match(v)]
        if bad:
            raise ApiError(POST_DATA_INVALID, f"{name} holds '{bad[0][:60]}', which is not a GUID.")
        return {v.lower() for v in items}
    return set(items)


def modified_since(headers: dict[str, str]) -> datetime.datetime | None:
    """The If-Modified-Since header as an aware UTC datetime (whole seconds), if sent."""
    raw = headers.get("if-modified-since", "").strip()
    if not raw:
        return None
    parsed: datetime.datetime | None = None
    try:
        parsed = datetime.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            parsed = None
    if parsed is None:
        raise ApiError(POST_DATA_INVALID, "If-Modified-Since is not a timestamp.")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    try:
        return parsed.astimezone(datetime.UTC).replace(microsecond=0)
    except (OverflowError, ValueError):
        # the ends of time (0001-01-01 east of UTC, 9999-12-31 west of it) have no UTC
        # form: a 400 as the issue reports Xero answers (the reference notes an older 500
        # for dates before 1753, which the sandbox does not reproduce)
        raise ApiError(POST_DATA_INVALID, "If-Modified-Since is not a timestamp.") from None


def _since(updated: datetime.datetime, since: datetime.datetime | None) -> bool:
    return since is None or updated.replace(microsecond=0) >= since


def _guid(value: str, what: str) -> str:
    if not _GUID.match(value):
        raise ApiError(POST_DATA_INVALID, f"'{value[:60]}' is not a valid {what} (a GUID).")
    return value.lower()


def _entity_of(resource: str) -> str | None:
    """The read type of a path's resource (``Contacts`` -> ``Contact``, ``Currencies`` ->
    ``Currency``), if types.xsd has it."""
    known = {name.casefold(): name for name in schema.read_types().complex}
    word = resource.casefold()
    for singular in (word[:-3] + "y" if word.endswith("ies") else None, word[:-1], word):
        if singular and singular in known:
            return known[singular]
    return None


# ----------------------------------------------------------------------------- service


Handler = Callable[["Service", Call], Answer]


class Service:
    """Endpoint logic over a :class:`Store` (the API layer holds the transaction)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.view = view.View(store)
        self.reader = codec.request_reader()
        self._calls = threading.local()  # what one call read: calls run on several threads

    @property
    def _settings_cache(
        self,
    ) -> (
        tuple[tuple[int, int], tuple[dict[str, records.Account], list[records.TrackingCategory]]]
        | None
    ):
        found: Any = getattr(self._calls, "settings", None)
        return found  # type: ignore[no-any-return]

    @_settings_cache.setter
    def _settings_cache(self, value: Any) -> None:
        self._calls.settings = value

    @property
    def _numbers(self) -> dict[int, set[str]]:
        found: dict[int, set[str]] | None = getattr(self._calls, "numbers", None)
        if found is None:
            found = self._calls.numbers = {}
        return found

    def begin(self) -> None:
        """Forget what this thread read for its previous call."""
        self._calls.settings = None
        self._calls.numbers = {}
        from .resources import history

        history.begin()

    def tax_rate(self, org: int, tax_type: str) -> Decimal | None:
        """The rate (a fraction) of a tax type lines and accounts may use: a seeded one, or an
        ACTIVE rate the organisation made through TaxRates (resources.settings)."""
        if tax_type in TAX_RATES:
            return TAX_RATES[tax_type]
        from .resources import settings

        return settings.usable_rate(self, org, tax_type)

    def _accrec_numbers(self, org: int) -> set[str]:
        """The ACCREC invoice numbers in use (read once per call, kept up to date by it)."""
        if org not in self._numbers:
            self._numbers[org] = self.store.invoice_numbers(org, "ACCREC")
        return self._numbers[org]

    # ------------------------------------------------------------------ what Xero refuses

    def currencies(self, org: int) -> set[str]:
        """The currencies an organisation has: its base currency and those added."""
        found = {BASE_CURRENCY}
        for source in CURRENCY_SOURCES:
            found.update(source(self.store, org))
        return found

    def _unfaithful(self, org: int, element: etree._Element, item: Any) -> list[str]:
        """What Xero refuses in any write of *item* (read from *element*): values longer
        than the documented lengths, a currency the organisation does not have, an email
        address that is not one."""
        problems = codec.length_problems(element)
        codes = [
            getattr(item, name)
            for name in ("currency_code", "default_currency")
            if getattr(item, name, None)
        ]
        have = self.currencies(org) if codes else set()
        for code in codes:
            if code not in have:
                # Xero's words (reference 1.0 notes: a 2.0 ValidationException example)
                problems.append(f"Users Organisation is not subscribed to currency {code}")
        people = [item, getattr(item, "contact", None)]  # an invoice's contact, too
        emails = [getattr(p, "email_address", None) for p in people] + [
            p.email_address for p in getattr(item, "contact_persons", None) or []
        ]
        for address in emails:
            if address and not _EMAIL.match(address.strip()):
                problems.append("Email address must be valid.")  # inferred: Xero's wording
        return problems

    def _refuse_unfaithful(self, org: int, element: etree._Element, item: Any) -> None:
        problems = self._unfaithful(org, element, item)
        if problems:
            raise Problems(problems)

    # ------------------------------------------------------------------ reading helpers

    @staticmethod
    def _shape(call: Call, wrapper: str, elements: list[etree._Element]) -> Answer:
        return Answer(200, codec.envelope(call.provider, wrapper, elements))

    def _query_list(
        self,
        call: Call,
        records_: list[Any],
        build: Callable[[Any], Any],
        *,
        pageable: bool,
        entity: str | None = None,
    ) -> list[etree._Element]:
        """where/order over the answer's elements, then the page (records are built lazily
        when neither is given). *entity* is the read type the filter names fields of (by
        default the singular of the path's resource, when types.xsd has it)."""
        where = call.query.get("where", "").strip()
        order = call.query.get("order", "").strip()
        page = _int(call.query, "page", 1, 10**9) if pageable else None
        size = _int(call.query, "pageSize", 1, MAX_PAGE_SIZE) if pageable else None
        entity = entity or _entity_of(call.segments[0])
        try:
            predicate = compile_where(where, entity) if where else None
            sorter = compile_order(order, entity) if order else None
        except QueryError as exc:
            raise ApiError(QUERY_PARSE, str(exc)) from exc
        if predicate is None and sorter is None:
            if page is not None:
                per = size or DEFAULT_PAGE_SIZE
                records_ = records_[(page - 1) * per : page * per]
            return [codec.entity(build(r)) for r in records_]
        elements = [codec.entity(build(r)) for r in records_]
        if predicate is not None:
            elements = [e for e in elements if predicate(e)]
        if sorter is not None:
            elements = sorter(elements)
        if page is not None:
            per = size or DEFAULT_PAGE_SIZE
            elements = elements[(page - 1) * per : page * per]
        return elements

    # ------------------------------------------------------------------ contacts

    def list_contacts(self, call: Call) -> Answer:
        """GET Contacts."""
        org = call.org.org_id
        since = modified_since(call.headers)
        ids = _list(call.query, "IDs", guids=True)
        archived = _bool(call.query, "includeArchived", False)
        summary = _bool(call.query, "summaryOnly", False)
        term = call.query.get("searchTerm", "").strip().casefold()
        contacts = [
            c
            for c in self.store.contacts(org)
            if _since(c.updated, since)
            and (ids is None or c.contact_id in ids)
            and (archived or c.status == "ACTIVE" or (ids is not None))
            and (
                not term
                or any(
                    term in (v or "").casefold()
                    for v in (c.name, c.first_name, c.last_name, c.contact_number, c.email_address)
                )
            )
        ]

        def build(c: records.Contact) -> models.Contact:
            model = view.contact_model(
                c, attached=attachments.has_attachments(self.store, org, c.contact_id)
            )
            if summary:
                model.addresses, model.phones = [], []
            return model

        return self._shape(call, "Contacts", self._query_list(call, contacts, build, pageable=True))

    def get_contact(self, call: Call) -> Answer:
        """GET Contacts/{ContactID or ContactNumber}."""
        key = call.segments[1]
        org = call.org.org_id
        found = (
            self.store.contact_by_id(org, key.lower())
            if _GUID.match(key)
            else self.store.contact_by_number(org, key)
        )
        if found is None:
            raise NotFound()
        model = view.contact_model(
            found, attached=attachments.has_attachments(self.store, org, found.contact_id)
        )
        return self._shape(call, "Contacts", [codec.entity(model)])

    def put_contacts(self, call: Call) -> Answer:
        """PUT Contacts: create one or a batch."""
        return self._write_contacts(call, create_only=True)

    def post_contacts(self, call: Call) -> Answer:
        """POST Contacts: create or update one or a batch."""
        return self._write_contacts(call, create_only=False)

    def post_contact(self, call: Call) -> Answer:
        """POST Contacts/{ContactID}: update the contact of the path (404 for an unknown id)."""
        target = call.segments[1].lower()
        if self.store.contact_by_id(call.org.org_id, target) is None:
            raise NotFound()
        return self._write_contacts(call, create_only=False, target=target)

    def _write_contacts(
        self, call: Call, *, create_only: bool, target: str | None = None
    ) -> Answer:
        org = call.org.org_id
        elements = self.reader.parse(call.body, "Contact", batch=None if target else "Contacts")
        items = [codec.decode(models.Contact, el) for el in elements]
        if target is not None:
            # inferred: the path names the contact; a ContactID in the body is overruled
            items = [replace(item, contact_id=target) for item in items]
        results: list[models.Contact | Problems] = []
        for element, item in zip(elements, items, strict=True):
            try:
                self._refuse_unfaithful(org, element, item)
                saved = self._save_contact(org, item, create_only=create_only)
                attached = attachments.has_attachments(self.store, org, saved.contact_id)
                results.append(view.contact_model(saved, attached=attached))
            except Problems as problems:
                results.append(problems)
        return self._batch(call, "Contacts", items, results, "contact_id")

    def _save_contact(
        self, org: int, item: models.Contact, *, create_only: bool
    ) -> records.Contact:
        existing: records.Contact | None = None
        if item.contact_id is not None:
            if create_only:
                raise Problems(["A ContactID cannot be given when creating a contact (use POST)."])
            existing = self.store.contact_by_id(org, item.contact_id.lower())
            if existing is None:
                raise Problems([f"The contact {item.contact_id} does not exist."])
        elif not create_only:
            if item.contact_number:
                existing = self.store.contact_by_number(org, item.contact_number)
            if existing is None and item.name:
                existing = self.store.contact_by_name(org, item.name)
        name = item.name if item.name is not None else (existing.name if existing else "")
        if not name.strip():
            raise Problems(["The contact name must be given."])
        rec = existing or records.Contact(
            contact_id=new_guid(), name=name, updated=self.store.stamp()
        )
        by_name = self.store.contact_by_name(org, name)
        if by_name is not None and by_name.contact_id != rec.contact_id:
            raise Problems([f"The contact name {name} is already assigned to another contact."])
        number = item.contact_number if item.contact_number is not None else rec.contact_number
        if number:
            by_number = self.store.contact_by_number(org, number)
            if by_number is not None and by_number.contact_id != rec.contact_id:
                raise Problems([f"The ContactNumber {number} is already used by another contact."])
        rec.name = name
        rec.contact_number = number
        if item.contact_status is not None:
            rec.status = item.contact_status.value
        for attr in (
            "account_number",
            "first_name",
            "last_name",
            "email_address",
            "skype_user_name",
            "tax_number",
            "default_currency",
        ):
            value = getattr(item, attr)
            if value is not None:
                setattr(rec, attr, value)
        if item.addresses:
            rec.addresses = [
                records.Address(
                    address_type=a.address_type.value if a.address_type else "POBOX",
                    lines=[
                        x or ""
                        for x in (
                            a.address_line1,
                            a.address_line2,
                            a.address_line3,
                            a.address_line4,
                        )
                        if x is not None
                    ],
                    city=a.city,
                    region=a.region,
                    postal_code=a.postal_code,
                    country=a.country,
                    attention_to=a.attention_to,
                )
                for a in item.addresses
            ]
        if item.phones:
            rec.phones = [
                records.Phone(
                    phone_type=p.phone_type.value if p.phone_type else "DEFAULT",
                    number=p.phone_number,
                    area_code=p.phone_area_code,
                    country_code=p.phone_country_code,
                )
                for p in item.phones
            ]
        if item.contact_persons:
            rec.persons = [
                records.ContactPerson(
                    first_name=p.first_name,
                    last_name=p.last_name,
                    email_address=p.email_address,
                    include_in_emails=bool(p.include_in_emails),
                )
                for p in item.contact_persons
            ]
        rec.updated = self.store.stamp()
        self.store.save_contact(org, rec)
        _history().saved(self.store, org, "contacts", rec.contact_id, rec, created=not existing)
        self.emit(org, "CONTACT", "UPDATE" if existing else "CREATE", rec.contact_id)
        return rec

    # ------------------------------------------------------------------ webhooks

    def emit(
        self,
        org: int,
        category: str,
        event_type: str,
        resource_id: str,
        *,
        data: Mapping[str, str] | None = None,
    ) -> None:
        """Announce a saved change to the webhooks (call it after the record was saved,
        inside the write's transaction: a rolled-back write announces nothing).

        Args:
            org: The organisation's ``org_id``.
            category: ``CONTACT``, ``INVOICE``, ``CREDITNOTE`` (Xero's ``eventCategory``).
            event_type: ``CREATE``, or ``UPDATE`` for any change to an existing record
                (archiving, voiding, a payment applied).
            resource_id: The record's id.
            data: The event's extra block; credit notes carry
                ``{"Type": "ACCRECCREDIT", "Status": "AUTHORISED"}``.
        """
        webhooks.record_event(self.store, org, category, event_type, resource_id, data=data)

    # ------------------------------------------------------------------ batches

    def _batch(
        self,
        call: Call,
        wrapper: str,
        items: list[Any],
        results: list[Any],
        id_field: str,
    ) -> Answer:
        """The answer of a write: summarised (400 on any refusal) or per element."""
        summarize = _bool(call.query, "summarizeErrors", True)
        refused = [
            self._echo(item, outcome, id_field, summarize)
            for item, outcome in zip(items, results, strict=True)
            if isinstance(outcome, Problems)
        ]
        if summarize:
            if refused:
                error = ApiError(VALIDATION, "A validation exception occurred", elements=refused)
                return Answer(400, codec.api_exception(error))
            return self._shape(call, wrapper, [codec.entity(r) for r in results])
        echoes = iter(refused)
        out = []
        for outcome in results:
            if isinstance(outcome, Problems):
                out.append(codec.entity(next(echoes)))
            else:
                outcome.validation_status = models.EntityValidationStatus.OK
                out.append(codec.entity(outcome))
        return self._shape(call, wrapper, out)

    @staticmethod
    def _echo(item: Any, problems: Problems, id_field: str, summarize: bool) -> Any:
        echo = replace(item)
        setattr(echo, id_field, codec.ZERO_ID)
        echo.validation_errors = [
            models.EntityValidationError(message=m) for m in problems.messages
        ]
        if not summarize:
            echo.validation_status = models.EntityValidationStatus.ERROR
        return echo

    # ------------------------------------------------------------------ invoices

    def list_invoices(self, call: Call) -> Answer:
        """GET Invoices (lines only when paged)."""
        org = call.org.org_id
        since = modified_since(call.headers)
        ids = _list(call.query, "IDs", guids=True)
        numbers = _list(call.query, "InvoiceNumbers")
        contact_ids = _list(call.query, "ContactIDs", guids=True)
        statuses = _list(call.query, "Statuses")
        mine = _bool(call.query, "createdByMyApp", False)
        summary = _bool(call.query, "summaryOnly", False)
        unit_dp = _int(call.query, "unitdp", 2, 4) or 2
        paged = call.query.get("page") not in (None, "")
        term = call.query.get("searchTerm", "").strip().casefold()
        source: list[records.Invoice] | None = None
        filtered = any(
            call.query.get(name) for name in ("where", "order", "IDs", "InvoiceNumbers",
                                              "ContactIDs", "Statuses", "searchTerm")
        ) or since is not None or mine  # fmt: skip
        if paged and not filtered:  # only the page is read from the store
            page = _int(call.query, "page", 1, 10**9) or 1
            per = _int(call.query, "pageSize", 1, MAX_PAGE_SIZE) or DEFAULT_PAGE_SIZE
            source = self.store.invoices(org, (page - 1) * per, per)
            call = replace(call, query={**call.query, "page": "1", "pageSize": str(per)})
        if source is None:
            source = self.store.invoices(org)
        invoices = [
            i
            for i in source
            if _since(i.updated, since)
            and (ids is None or i.invoice_id in ids)
            and (numbers is None or i.number in numbers)
            and (contact_ids is None or i.contact_id in contact_ids)
            and (statuses is None or i.status in statuses)
            and (not mine or i.app_id == call.app.client_id)
            and (not term or any(term in (v or "").casefold() for v in (i.number, i.reference)))
        ]
        contacts = {c.contact_id: c for c in self.store.contacts(org)}
        payments: dict[str, list[records.Payment]] = {}
        allocated: dict[str, view.InvoiceCredits] = {}
        if paged and not summary:
            for p in self.store.payments(org):
                payments.setdefault(p.invoice_id, []).append(p)
            from .resources import credits as family_b

            allocated = family_b.invoice_credits(self.store, org, (i.invoice_id for i in invoices))

        def build(i: records.Invoice) -> models.Invoice:
            return view.invoice_model(
                i,
                contacts[i.contact_id],
                payments.get(i.invoice_id, []),
                lines=paged and not summary,
                unit_dp=unit_dp,
                summary=summary,
                credits=allocated.get(i.invoice_id),
                attached=attachments.has_attachments(self.store, org, i.invoice_id),
            )

        return self._shape(call, "Invoices", self._query_list(call, invoices, build, pageable=True))

    def _find_invoice(self, org: int, key: str) -> records.Invoice | None:
        return (
            self.store.invoice_by_id(org, key.lower())
            if _GUID.match(key)
            else self.store.invoice_by_number(org, key)
        )

    def get_invoice(self, call: Call) -> Answer:
        """GET Invoices/{InvoiceID or InvoiceNumber} (its PDF with Accept: application/pdf)."""
        from .resources import documents  # imports this module

        if documents.wants_pdf(call):
            return documents.pdf_answer(self, call)
        found = self._find_invoice(call.org.org_id, call.segments[1])
        if found is None:
            raise NotFound()
        unit_dp = _int(call.query, "unitdp", 2, 4) or 2
        model = self.view.invoice(call.org.org_id, found, unit_dp=unit_dp)
        return self._shape(call, "Invoices", [codec.entity(model)])

    def put_invoices(self, call: Call) -> Answer:
        """PUT Invoices: create one or a batch."""
        return self._write_invoices(call, create_only=True)

    def post_invoices(self, call: Call) -> Answer:
        """POST Invoices (or Invoices/{id}): create or update."""
        return self._write_invoices(call, create_only=False)

    def _write_invoices(self, call: Call, *, create_only: bool) -> Answer:
        org = call.org.org_id
        target = call.segments[1] if len(call.segments) > 1 else None
        elements = self.reader.parse(call.body, "Invoice", batch=None if target else "Invoices")
        items = [codec.decode(models.Invoice, el) for el in elements]
        unit_dp = _int(call.query, "unitdp", 2, 4) or 2
        results: list[models.Invoice | Problems] = []
        for element, item in zip(elements, items, strict=True):
            try:
                self._refuse_unfaithful(org, element, item)
                existing = None
                if target is not None:
                    existing = self._find_invoice(org, target)
                    if existing is None:
                        raise NotFound()
                saved = self._save_invoice(call, item, existing, create_only=create_only)
                results.append(self.view.invoice(org, saved, unit_dp=unit_dp))
            except Problems as problems:
                results.append(problems)
        return self._batch(call, "Invoices", items, results, "invoice_id")

    def _contact_for(self, org: int, given: models.Contact | None) -> records.Contact:
        if given is None:
            raise Problems(["An invoice needs a Contact (its ContactID or Name)."])
        if given.contact_id:
            found = self.store.contact_by_id(org, given.contact_id.lower())
            if found is None:
                raise Problems([f"The contact {given.contact_id} does not exist."])
            return found
        if given.contact_number:
            found = self.store.contact_by_number(org, given.contact_number)
            if found is not None:
                return found
        if not given.name or not given.name.strip():
            raise Problems(["An invoice needs a Contact (its ContactID or Name)."])
        found = self.store.contact_by_name(org, given.name)
        if found is not None:
            return found
        rec = records.Contact(
            contact_id=new_guid(),
            name=given.name.strip(),
            contact_number=given.contact_number,
            email_address=given.email_address,
            updated=self.store.stamp(),
        )
        self.store.save_contact(org, rec)
        _history().saved(self.store, org, "contacts", rec.contact_id, rec, created=True)
        self.emit(org, "CONTACT", "CREATE", rec.contact_id)  # inferred: Xero announces it too
        return rec

    def _settings(
        self, org: int
    ) -> tuple[dict[str, records.Account], list[records.TrackingCategory]]:
        """The active accounts by code and tracking categories (read once per call)."""
        key = (org, id(self.store))
        if self._settings_cache is None or self._settings_cache[0] != key:
            accounts = {a.code: a for a in self.store.accounts(org) if a.status == "ACTIVE"}
            categories = [c for c in self.store.tracking(org) if c.status == "ACTIVE"]
            self._settings_cache = (key, (accounts, categories))
        return self._settings_cache[1]

    def _lines(
        self, org: int, given: list[models.LineItem], amounts: str, problems: list[str]
    ) -> list[records.Line]:
        accounts, categories = self._settings(org)
        out = []
        for n, line in enumerate(given, start=1):
            quantity = line.quantity if line.quantity is not None else Decimal(1)
            unit = line.unit_amount
            if unit is None and line.line_amount is not None and quantity:
                unit = line.line_amount / quantity
            if unit is None:
                unit = Decimal(0)
            if not line.description and not line.item_code:
                problems.append(f"Line {n}: a Description must be given.")
            gross = multiply(quantity, unit)
            if line.discount_rate is not None:
                gross = multiply(gross, (Decimal(100) - line.discount_rate) / Decimal(100))
            line_amount = round2(gross)
            if (
                line.line_amount is not None
                and round2(line.line_amount) != line_amount
                and (line.unit_amount is not None)
            ):
                problems.append(
                    f"Line {n}: LineAmount {line.line_amount} does not equal Quantity x UnitAmount"
                    f" ({line_amount})."
                )
            account = accounts.get(line.account_code) if line.account_code else None
            if line.account_code and account is None:
                problems.append(
                    f"Account code '{line.account_code}' is not a valid code for this document."
                )
            tax_type = line.tax_type or (account.tax_type if account else None) or "NONE"
            if amounts == NO_TAX:
                tax_type = "NONE"
            rate = self.tax_rate(org, tax_type)
            if rate is None:
                problems.append(f"Line {n}: the TaxType '{tax_type}' is not valid.")
                rate = Decimal(0)
            if amounts == INCLUSIVE:
                computed_tax = round2(line_amount * rate / (1 + rate))
            else:
                computed_tax = round2(line_amount * rate)
            tax = (
                line.tax_amount
                if line.tax_amount is not None and amounts != NO_TAX
                else computed_tax
            )
            if len(line.tracking) > 2:
                problems.append(f"Line {n}: at most two tracking categories can be chosen.")
            tracking = []
            for chosen in line.tracking:
                category = next(
                    (
                        c
                        for c in categories
                        if (
                            chosen.tracking_category_id
                            and c.category_id == chosen.tracking_category_id.lower()
                        )
                        or (chosen.name and c.name.casefold() == chosen.name.casefold())
                    ),
                    None,
                )
                if category is None:
                    problems.append(
                        f"Line {n}: the tracking category '{chosen.name}' does not exist."
                    )
                    continue
                option = next(
                    (
                        o
                        for o in category.options
                        if o.status == "ACTIVE"
                        and (
                            (
                                chosen.tracking_option_id
                                and o.option_id == chosen.tracking_option_id.lower()
                            )
                            or (chosen.option and o.name.casefold() == chosen.option.casefold())
                        )
                    ),
                    None,
                )
                if option is None:
                    problems.append(
                        f"Line {n}: '{chosen.option}' is not an option of the tracking category"
                        f" '{category.name}'."
                    )
                    continue
                tracking.append(
                    records.LineTracking(
                        category_id=category.category_id,
                        category=category.name,
                        option_id=option.option_id,
                        option=option.name,
                    )
                )
            for value, name in (
                (quantity, "Quantity"),
                (unit, "UnitAmount"),
                (line_amount, "LineAmount"),
            ):
                if not fits_decimal(value):
                    problems.append(f"Line {n}: {name} is out of range.")
            out.append(
                records.Line(
                    line_item_id=(line.line_item_id or new_guid()).lower(),
                    description=line.description or "",
                    quantity=quantity,
                    unit_amount=unit,
                    line_amount=line_amount,
                    tax_amount=tax,
                    tax_type=tax_type,
                    account_code=line.account_code,
                    item_code=line.item_code,
                    discount_rate=line.discount_rate,
                    tracking=tracking,
                )
            )
        return out

    def _next_number(self, org: int) -> str:
        taken = self._accrec_numbers(org)
        n = len(taken) + 1
        while f"INV-{n:04d}" in taken:
            n += 1
        return f"INV-{n:04d}"

    def _save_invoice(
        self,
        call: Call,
        item: models.Invoice,
        existing: records.Invoice | None,
        *,
        create_only: bool,
    ) -> records.Invoice:
        org = call.org.org_id
        if existing is None and item.invoice_id is not None:
            if create_only:
                raise Problems(
                    ["An InvoiceID cannot be given when creating an invoice (use POST)."]
                )
            existing = self.store.invoice_by_id(org, item.invoice_id.lower())
            if existing is None:
                raise Problems([f"The invoice {item.invoice_id} does not exist."])
        if existing is None and not create_only and item.invoice_number:
            found = self.store.invoice_by_number(org, item.invoice_number)
            if found is not None and found.type == "ACCREC":
                existing = found
        problems: list[str] = []
        if existing is not None:
            return self._update_invoice(call, item, existing, problems)
        if item.type is None:
            raise Problems(["The invoice Type (ACCREC or ACCPAY) must be given."])
        kind = item.type.value
        status = item.status.value if item.status else "DRAFT"
        if status not in ("DRAFT", "SUBMITTED", "AUTHORISED"):
            problems.append(f"An invoice cannot be created with the status {status}.")
        amounts = item.line_amount_types.value if item.line_amount_types else EXCLUSIVE
        if not item.line_items:
            problems.append("An invoice must have at least one line item.")
        lines = self._lines(org, item.line_items, amounts, problems)
        number = item.invoice_number
        if kind == "ACCREC":
            if number is None or not number.strip():
                number = self._next_number(org)
            elif number in self._accrec_numbers(org):
                problems.append(
                    f"The InvoiceNumber {number} is already assigned to another invoice."
                )
        totals = self._totals(item, lines, amounts, problems)
        if problems:
            raise Problems(problems)
        contact = self._contact_for(org, item.contact)
        sub_total, total_tax, grand_total = totals
        rec = records.Invoice(
            invoice_id=new_guid(),
            type=kind,
            contact_id=contact.contact_id,
            date=item.date or datetime.datetime.now(datetime.UTC).date(),
            due_date=item.due_date,
            number=number or "",
            reference=item.reference,
            status=status,
            line_amount_types=amounts,
            lines=lines,
            sub_total=sub_total,
            total_tax=total_tax,
            total=grand_total,
            amount_due=grand_total,
            amount_paid=Decimal(0),
            amount_credited=Decimal(0),
            currency_code=item.currency_code or "NZD",
            currency_rate=item.currency_rate,
            sent_to_contact=item.sent_to_contact,
            updated=self.store.stamp(),
            app_id=call.app.client_id,
        )
        self.store.save_invoice(org, rec)
        ledger.saved(self.store, org, rec)
        _history().saved(self.store, org, "invoices", rec.invoice_id, rec, created=True)
        self.emit(org, "INVOICE", "CREATE", rec.invoice_id)
        if kind == "ACCREC":
            self._accrec_numbers(org).add(rec.number)
        return rec

    @staticmethod
    def _totals(
        item: models.Invoice, lines: list[records.Line], amounts: str, problems: list[str]
    ) -> tuple[Decimal, Decimal, Decimal]:
        tax = total(line.tax_amount for line in lines)
        gross = total(line.line_amount for line in lines)
        if amounts == INCLUSIVE:
            sub_total, grand_total = gross - tax, gross
        else:
            sub_total, grand_total = gross, gross + tax
        for given, computed, name in (
            (item.sub_total, sub_total, "SubTotal"),
            (item.total_tax, tax, "TotalTax"),
            (item.total, grand_total, "Total"),
        ):
            if given is not None and round2(given) != round2(computed):
                problems.append(
                    f"{name} {given} does not equal what the lines add up to ({round2(computed)})."
                )
            if not fits_decimal(computed):
                problems.append(f"{name} is out of range.")
        return round2(sub_total), round2(tax), round2(grand_total)

    def _update_invoice(
        self, call: Call, item: models.Invoice, rec: records.Invoice, problems: list[str]
    ) -> records.Invoice:
        org = call.org.org_id
        status = item.status.value if item.status else rec.status
        if status not in _TRANSITIONS[rec.status]:
            raise Problems([f"An invoice in status {rec.status} cannot become {status}."])
        if status == "VOIDED" and any(
            p.status != "DELETED" for p in self.store.payments_of(org, rec.invoice_id)
        ):
            raise Problems(
                ["An invoice with payments cannot be voided: delete the payments first."]
            )
        if status != rec.status:
            from .resources import credits as family_b

            if family_b.has_allocations(self.store, org, rec.invoice_id):
                raise Problems([family_b.LOCKED])
        editable = rec.status in ("DRAFT", "SUBMITTED")
        if item.line_items and not editable:
            raise Problems([f"The lines of an invoice in status {rec.status} cannot be changed."])
        amounts = item.line_amount_types.value if item.line_amount_types else rec.line_amount_types
        if item.line_items or amounts != rec.line_amount_types:
            if not editable:
                raise Problems([f"An invoice in status {rec.status} cannot be changed."])
            given = item.line_items or [
                models.LineItem(
                    line_item_id=line.line_item_id,
                    description=line.description,
                    quantity=line.quantity,
                    unit_amount=line.unit_amount,
                    account_code=line.account_code,
                    tax_type=line.tax_type,
                    tracking=[
                        models.LineItemTracking(
                            tracking_category_id=t.category_id, tracking_option_id=t.option_id
                        )
                        for t in line.tracking
                    ],
                )
                for line in rec.lines
            ]
            rec.lines = self._lines(org, given, amounts, problems)
            rec.line_amount_types = amounts
            rec.sub_total, rec.total_tax, rec.total = self._totals(
                item, rec.lines, amounts, problems
            )
            rec.amount_due = rec.total - rec.amount_paid
        if item.contact is not None and editable:
            rec.contact_id = self._contact_for(org, item.contact).contact_id
        if item.invoice_number and item.invoice_number != rec.number:
            if rec.type == "ACCREC" and item.invoice_number in self._accrec_numbers(org):
                problems.append(f"The InvoiceNumber {item.invoice_number} is already assigned.")
            rec.number = item.invoice_number
            if rec.type == "ACCREC":
                self._accrec_numbers(org).add(rec.number)
        if problems:
            raise Problems(problems)
        for attr, value in (
            ("date", item.date),
            ("due_date", item.due_date),
            ("reference", item.reference),
            ("sent_to_contact", item.sent_to_contact),
        ):
            if value is not None:
                setattr(rec, attr, value)
        rec.status = status
        if status in ("VOIDED", "DELETED"):
            rec.amount_due = Decimal(0)
        rec.updated = self.store.stamp()
        self.store.save_invoice(org, rec)
        ledger.saved(self.store, org, rec)
        _history().saved(self.store, org, "invoices", rec.invoice_id, rec, created=False)
        self.emit(org, "INVOICE", "UPDATE", rec.invoice_id)
        return rec

    # ------------------------------------------------------------------ accounts

    def list_accounts(self, call: Call) -> Answer:
        """GET Accounts (the whole chart, never paged)."""
        since = modified_since(call.headers)
        accounts = [
            a
            for a in self.store.accounts(call.org.org_id)
            if a.status != "DELETED" and _since(a.updated, since)
        ]
        org = call.org.org_id

        def build(a: records.Account) -> models.Account:
            return view.account_model(
                a, attached=attachments.has_attachments(self.store, org, a.account_id)
            )

        elements = self._query_list(call, accounts, build, pageable=False)
        return self._shape(call, "Accounts", elements)

    def _account(self, call: Call) -> records.Account:
        key = _guid(call.segments[1], "AccountID")
        found = next((a for a in self.store.accounts(call.org.org_id) if a.account_id == key), None)
        if found is None or found.status == "DELETED":
            raise NotFound()
        return found

    def _account_model(self, org: int, rec: records.Account) -> models.Account:
        return view.account_model(
            rec, attached=attachments.has_attachments(self.store, org, rec.account_id)
        )

    def get_account(self, call: Call) -> Answer:
        """GET Accounts/{AccountID}."""
        return self._shape(
            call,
            "Accounts",
            [codec.entity(self._account_model(call.org.org_id, self._account(call)))],
        )

    def put_account(self, call: Call) -> Answer:
        """PUT Accounts: create one account."""
        (element,) = self.reader.parse(call.body, "Account", batch=None)
        item = codec.decode(models.Account, element)
        return self._save_account(
            call, item, None, self._unfaithful(call.org.org_id, element, item)
        )

    def post_account(self, call: Call) -> Answer:
        """POST Accounts/{AccountID}: update (rename, archive ...)."""
        existing = self._account(call)
        (element,) = self.reader.parse(call.body, "Account", batch=None)
        item = codec.decode(models.Account, element)
        return self._save_account(
            call, item, existing, self._unfaithful(call.org.org_id, element, item)
        )

    def _save_account(
        self,
        call: Call,
        item: models.Account,
        existing: records.Account | None,
        refused: list[str],
    ) -> Answer:
        org = call.org.org_id
        others = [
            a
            for a in self.store.accounts(org)
            if a.status != "DELETED" and (existing is None or a.account_id != existing.account_id)
        ]
        problems = list(refused)
        code = item.code if item.code is not None else (existing.code if existing else None)
        name = item.name if item.name is not None else (existing.name if existing else None)
        kind = item.type.value if item.type else (existing.type if existing else None)
        if not code:
            problems.append("An account needs a Code.")
        elif any(a.code == code for a in others):
            problems.append(f"Please enter a unique Code: {code} is already used.")
        if not name:
            problems.append("An account needs a Name.")
        elif any(a.name.casefold() == name.casefold() for a in others):
            problems.append(f"Please enter a unique Name: {name} is already used.")
        if kind is None:
            problems.append("An account needs a Type.")
        from ..seed import ACCOUNT_CLASS

        if kind is not None and kind not in ACCOUNT_CLASS:
            problems.append(f"The account Type {kind} cannot be used here.")
        if item.tax_type is not None and self.tax_rate(org, item.tax_type) is None:
            problems.append(f"The TaxType {item.tax_type} is not valid.")
        if problems:
            echo = replace(item, account_id=codec.ZERO_ID)
            echo.validation_errors = [models.EntityValidationError(message=m) for m in problems]
            raise ApiError(VALIDATION, "A validation exception occurred", elements=[echo])
        assert code and name and kind
        rec = existing or records.Account(
            account_id=new_guid(),
            code=code,
            name=name,
            type=kind,
            status="ACTIVE",
            account_class=ACCOUNT_CLASS[kind],
            updated=self.store.stamp(),
        )
        rec.code, rec.name, rec.type, rec.account_class = code, name, kind, ACCOUNT_CLASS[kind]
        if item.status is not None:
            rec.status = item.status.value
        if item.tax_type is not None:
            rec.tax_type = item.tax_type
        if item.description is not None:
            rec.description = item.description
        if item.enable_payments_to_account is not None:
            rec.enable_payments = item.enable_payments_to_account
        if item.bank_account_number is not None:
            rec.bank_account_number = item.bank_account_number
        if item.currency_code is not None:
            rec.currency_code = item.currency_code
        rec.updated = self.store.stamp()
        self.store.save_account(org, rec)
        return self._shape(call, "Accounts", [codec.entity(self._account_model(org, rec))])

    def _used_codes(self, org: int) -> set[str]:
        return {
            line.account_code
            for invoice in self.store.invoices(org)
            for line in invoice.lines
            if line.account_code
        }

    def delete_account(self, call: Call) -> Answer:
        """DELETE Accounts/{AccountID}: only an account no invoice line uses."""
        rec = self._account(call)
        if rec.code in self._used_codes(call.org.org_id) or (
            rec.type == "BANK"
            and any(p.account_id == rec.account_id for p in self.store.payments(call.org.org_id))
        ):
            echo = view.account_model(rec)
            echo.validation_errors = [
                models.EntityValidationError(
                    message="This account has transactions: archive it instead (Status ARCHIVED)."
                )
            ]
            raise ApiError(VALIDATION, "A validation exception occurred", elements=[echo])
        rec.status = "DELETED"
        rec.updated = self.store.stamp()
        self.store.delete_account(call.org.org_id, rec.account_id)
        return self._shape(call, "Accounts", [codec.entity(view.account_model(rec))])

    # ------------------------------------------------------------------ tracking categories

    def list_tracking(self, call: Call) -> Answer:
        """GET TrackingCategories (no paging, no If-Modified-Since)."""
        archived = _bool(call.query, "includeArchived", False)
        categories = [
            c
            for c in self.store.tracking(call.org.org_id)
            if c.status == "ACTIVE" or (archived and c.status == "ARCHIVED")
        ]

        def build(c: records.TrackingCategory) -> models.TrackingCategory:
            return view.tracking_model(c, include_archived=archived)

        elements = self._query_list(call, categories, build, pageable=False)
        return self._shape(call, "TrackingCategories", elements)

    def _category(self, call: Call) -> records.TrackingCategory:
        key = _guid(call.segments[1], "TrackingCategoryID")
        found = next(
            (c for c in self.store.tracking(call.org.org_id) if c.category_id == key), None
        )
        if found is None or found.status == "DELETED":
            raise NotFound()
        return found

    def get_tracking(self, call: Call) -> Answer:
        """GET TrackingCategories/{TrackingCategoryID}."""
        model = view.tracking_model(self._category(call))
        return self._shape(call, "TrackingCategories", [codec.entity(model)])

    def _refuse(self, item: Any, id_field: str, messages: list[str]) -> ApiError:
        echo = replace(item)
        setattr(echo, id_field, codec.ZERO_ID)
        echo.validation_errors = [models.EntityValidationError(message=m) for m in messages]
        return ApiError(VALIDATION, "A validation exception occurred", elements=[echo])

    def put_tracking(self, call: Call) -> Answer:
        """PUT TrackingCategories: create one category (at most two active)."""
        (element,) = self.reader.parse(call.body, "TrackingCategory", batch=None)
        item = codec.decode(models.TrackingCategory, element)
        return self._save_category(call, item, None, codec.length_problems(element))

    def post_tracking(self, call: Call) -> Answer:
        """POST TrackingCategories/{id}: rename or archive."""
        existing = self._category(call)
        (element,) = self.reader.parse(call.body, "TrackingCategory", batch=None)
        item = codec.decode(models.TrackingCategory, element)
        return self._save_category(call, item, existing, codec.length_problems(element))

    def _save_category(
        self,
        call: Call,
        item: models.TrackingCategory,
        existing: records.TrackingCategory | None,
        refused: list[str],
    ) -> Answer:
        org = call.org.org_id
        others = [
            c
            for c in self.store.tracking(org)
            if c.status != "DELETED" and (existing is None or c.category_id != existing.category_id)
        ]
        name = item.name if item.name is not None else (existing.name if existing else "")
        status = item.status.value if item.status else (existing.status if existing else "ACTIVE")
        problems = list(refused)
        if not name.strip():
            problems.append("A tracking category needs a Name.")
        elif any(c.name.casefold() == name.casefold() for c in others):
            problems.append(f"The tracking category name {name} is already used.")
        if status == "ACTIVE" and sum(c.status == "ACTIVE" for c in others) >= 2:
            problems.append("An organisation has at most two active tracking categories.")
        if problems:
            raise self._refuse(item, "tracking_category_id", problems)
        rec = existing or records.TrackingCategory(category_id=new_guid(), name=name)
        rec.name, rec.status = name, status
        self.store.save_tracking(org, rec)
        return self._shape(call, "TrackingCategories", [codec.entity(view.tracking_model(rec))])

    def _used_options(self, org: int) -> set[str]:
        return {
            t.option_id for i in self.store.invoices(org) for line in i.lines for t in line.tracking
        }

    def delete_tracking(self, call: Call) -> Answer:
        """DELETE TrackingCategories/{id}: only while no line uses its options."""
        rec = self._category(call)
        used = self._used_options(call.org.org_id)
        if any(o.option_id in used for o in rec.options):
            raise self._refuse(
                view.tracking_model(rec),
                "tracking_category_id",
                ["This tracking category is in use: archive it instead."],
            )
        rec.status = "DELETED"
        self.store.delete_tracking(call.org.org_id, rec.category_id)
        return self._shape(call, "TrackingCategories", [codec.entity(view.tracking_model(rec))])

    def put_options(self, call: Call) -> Answer:
        """PUT TrackingCategories/{id}/Options: add one option or several."""
        rec = self._category(call)
        elements = self.reader.parse(call.body, "Option", batch="Options")
        added = []
        for element in elements:
            item = codec.decode(models.TrackingOption, element)
            too_long = codec.length_problems(element, "TrackingOption")
            if too_long:
                raise self._refuse(item, "tracking_option_id", too_long)
            name = (item.name or "").strip()
            if not name or any(
                o.name.casefold() == name.casefold() for o in rec.options if o.status != "DELETED"
            ):
                message = (
                    "An option needs a Name." if not name else f"The option {name} already exists."
                )
                raise self._refuse(item, "tracking_option_id", [message])
            option = records.TrackingOption(option_id=new_guid(), name=name)
            rec.options.append(option)
            added.append(option)
        self.store.save_tracking(call.org.org_id, rec)
        return self._shape(
            call,
            "Options",
            [codec.entity(view.option_model(o, rec.category_id), "Option") for o in added],
        )

    def _option(self, call: Call, rec: records.TrackingCategory) -> records.TrackingOption:
        key = _guid(call.segments[3], "TrackingOptionID")
        found = next((o for o in rec.options if o.option_id == key and o.status != "DELETED"), None)
        if found is None:
            raise NotFound()
        return found

    def post_option(self, call: Call) -> Answer:
        """POST TrackingCategories/{id}/Options/{optionId}: rename or archive."""
        rec = self._category(call)
        option = self._option(call, rec)
        (element,) = self.reader.parse(call.body, "Option", batch=None)
        item = codec.decode(models.TrackingOption, element)
        too_long = codec.length_problems(element, "TrackingOption")
        if too_long:
            raise self._refuse(item, "tracking_option_id", too_long)
        if item.name is not None:
            if any(
                o.name.casefold() == item.name.casefold() and o.option_id != option.option_id
                for o in rec.options
                if o.status != "DELETED"
            ):
                raise self._refuse(
                    item, "tracking_option_id", [f"The option {item.name} already exists."]
                )
            option.name = item.name
        if item.status is not None:
            option.status = item.status.value
        self.store.save_tracking(call.org.org_id, rec)
        return self._shape(
            call, "Options", [codec.entity(view.option_model(option, rec.category_id), "Option")]
        )

    def delete_option(self, call: Call) -> Answer:
        """DELETE TrackingCategories/{id}/Options/{optionId}: only while no line uses it."""
        rec = self._category(call)
        option = self._option(call, rec)
        if option.option_id in self._used_options(call.org.org_id):
            raise self._refuse(
                view.option_model(option, rec.category_id),
                "tracking_option_id",
                ["This option is in use: archive it instead."],
            )
        option.status = "DELETED"
        self.store.save_tracking(call.org.org_id, rec)
        return self._shape(
            call, "Options", [codec.entity(view.option_model(option, rec.category_id), "Option")]
        )

    # ------------------------------------------------------------------ payments

    def list_payments(self, call: Call) -> Answer:
        """GET Payments."""
        org = call.org.org_id
        since = modified_since(call.headers)
        payments = [p for p in self.store.payments(org) if _since(p.updated, since)]
        elements = self._query_list(
            call, payments, lambda p: self.view.payment(org, p), pageable=True
        )
        return self._shape(call, "Payments", elements)

    def _payment(self, call: Call) -> records.Payment:
        found = self.store.payment_by_id(call.org.org_id, _guid(call.segments[1], "PaymentID"))
        if found is None:
            raise NotFound()
        return found

    def get_payment(self, call: Call) -> Answer:
        """GET Payments/{PaymentID}."""
        model = self.view.payment(call.org.org_id, self._payment(call))
        return self._shape(call, "Payments", [codec.entity(model)])

    def put_payments(self, call: Call) -> Answer:
        """PUT Payments: create one or a batch."""
        org = call.org.org_id
        elements = self.reader.parse(call.body, "Payment", batch="Payments")
        items = [codec.decode(models.Payment, el) for el in elements]
        results: list[models.Payment | Problems] = []
        for element, item in zip(elements, items, strict=True):
            try:
                self._refuse_unfaithful(org, element, item)
                results.append(self.view.payment(org, self._create_payment(org, item)))
            except Problems as problems:
                results.append(problems)
        return self._batch(call, "Payments", items, results, "payment_id")

    def _create_payment(self, org: int, item: models.Payment) -> records.Payment:
        problems = []
        invoice = None
        if item.invoice is not None and item.invoice.invoice_id:
            invoice = self.store.invoice_by_id(org, item.invoice.invoice_id.lower())
        elif item.invoice is not None and item.invoice.invoice_number:
            invoice = self.store.invoice_by_number(org, item.invoice.invoice_number)
        if invoice is None:
            raise Problems(
                ["A payment needs an existing Invoice (its InvoiceID or InvoiceNumber)."]
            )
        account = None
        if item.account is not None:
            for a in self.store.accounts(org):
                if (
                    item.account.account_id and a.account_id == item.account.account_id.lower()
                ) or (item.account.code and a.code == item.account.code):
                    account = a
        if account is None:
            problems.append("A payment needs an existing Account (its AccountID or Code).")
        elif not (account.type == "BANK" or account.enable_payments):
            problems.append(f"Payments cannot be made to the account {account.code}.")
        if invoice.status != "AUTHORISED":
            problems.append(
                f"Payments can only be made to AUTHORISED invoices, not {invoice.status}."
            )
        if item.amount is None or item.amount <= 0:
            problems.append("A payment needs a positive Amount.")
        elif round2(item.amount) > invoice.amount_due:
            problems.append(
                f"The payment amount {item.amount} exceeds the amount due ({invoice.amount_due})."
            )
        if item.date is None:
            problems.append("A payment needs a Date.")
        if problems:
            raise Problems(problems)
        assert account is not None and item.amount is not None and item.date is not None
        rec = records.Payment(
            payment_id=new_guid(),
            invoice_id=invoice.invoice_id,
            account_id=account.account_id,
            date=item.date,
            amount=round2(item.amount),
            status="AUTHORISED",
            payment_type="ACCRECPAYMENT" if invoice.type == "ACCREC" else "ACCPAYPAYMENT",
            reference=item.reference,
            currency_rate=item.currency_rate,
            updated=self.store.stamp(),
        )
        self.store.save_payment(org, rec)
        ledger.saved(self.store, org, rec)
        invoice.amount_paid += rec.amount
        invoice.amount_due -= rec.amount
        if invoice.amount_due == 0:
            invoice.status = "PAID"
            invoice.fully_paid_on = rec.date
        invoice.updated = self.store.stamp()
        self.store.save_invoice(org, invoice)
        _history().payment_saved(self.store, org, rec, invoice, created=True)
        # inferred: a payment changes the invoice (amounts, status), announced as an UPDATE
        self.emit(org, "INVOICE", "UPDATE", invoice.invoice_id)
        return rec

    def post_payment(self, call: Call) -> Answer:
        """POST Payments/{PaymentID} with Status DELETED: delete the payment."""
        org = call.org.org_id
        rec = self._payment(call)
        (element,) = self.reader.parse(call.body, "Payment", batch=None)
        item = codec.decode(models.Payment, element)
        if item.status is not models.PaymentStatus.DELETED:
            raise self._refuse(
                item, "payment_id", ["A payment can only be deleted (Status DELETED)."]
            )
        if rec.status != "DELETED":
            rec.status = "DELETED"
            rec.updated = self.store.stamp()
            self.store.save_payment(org, rec)
            ledger.saved(self.store, org, rec)
            invoice = self.store.invoice_by_id(org, rec.invoice_id)
            if invoice is not None:
                invoice.amount_paid -= rec.amount
                invoice.amount_due += rec.amount
                if invoice.status == "PAID":
                    invoice.status, invoice.fully_paid_on = "AUTHORISED", None
                invoice.updated = self.store.stamp()
                self.store.save_invoice(org, invoice)
                _history().payment_saved(self.store, org, rec, invoice, created=False)
                self.emit(org, "INVOICE", "UPDATE", invoice.invoice_id)  # inferred, as above
        return self._shape(call, "Payments", [codec.entity(self.view.payment(org, rec))])


class NotFound(Exception):
    """The record of the path does not exist (404 text/html)."""


def _history() -> Any:
    """The history module (:mod:`.resources.history`: it imports this one)."""
    from .resources import history

    return history


#: A route: (method, resource, number of path segments), or for a sub-resource of a record
#: (method, resource, number of path segments, lower-cased third segment), e.g.
#: ("GET", "invoices", 3, "history") for GET Invoices/{InvoiceID}/History.
RouteKey = tuple[str, str, int] | tuple[str, str, int, str]

#: route -> handler, scope family; a sub-resource's key is tried before the plain one.
ROUTES: dict[RouteKey, tuple[Handler, str]] = {
    ("GET", "contacts", 1): (Service.list_contacts, "accounting.contacts"),
    ("GET", "contacts", 2): (Service.get_contact, "accounting.contacts"),
    ("PUT", "contacts", 1): (Service.put_contacts, "accounting.contacts"),
    ("POST", "contacts", 1): (Service.post_contacts, "accounting.contacts"),
    ("POST", "contacts", 2): (Service.post_contact, "accounting.contacts"),
    ("GET", "invoices", 1): (Service.list_invoices, "accounting.transactions"),
    ("GET", "invoices", 2): (Service.get_invoice, "accounting.transactions"),
    ("PUT", "invoices", 1): (Service.put_invoices, "accounting.transactions"),
    ("POST", "invoices", 1): (Service.post_invoices, "accounting.transactions"),
    ("POST", "invoices", 2): (Service.post_invoices, "accounting.transactions"),
    ("GET", "accounts", 1): (Service.list_accounts, "accounting.settings"),
    ("GET", "accounts", 2): (Service.get_account, "accounting.settings"),
    ("PUT", "accounts", 1): (Service.put_account, "accounting.settings"),
    ("POST", "accounts", 2): (Service.post_account, "accounting.settings"),
    ("DELETE", "accounts", 2): (Service.delete_account, "accounting.settings"),
    ("GET", "trackingcategories", 1): (Service.list_tracking, "accounting.settings"),
    ("GET", "trackingcategories", 2): (Service.get_tracking, "accounting.settings"),
    ("PUT", "trackingcategories", 1): (Service.put_tracking, "accounting.settings"),
    ("POST", "trackingcategories", 2): (Service.post_tracking, "accounting.settings"),
    ("DELETE", "trackingcategories", 2): (Service.delete_tracking, "accounting.settings"),
    ("PUT", "trackingcategories", 3): (Service.put_options, "accounting.settings"),
    ("POST", "trackingcategories", 4): (Service.post_option, "accounting.settings"),
    ("DELETE", "trackingcategories", 4): (Service.delete_option, "accounting.settings"),
    ("GET", "payments", 1): (Service.list_payments, "accounting.transactions"),
    ("GET", "payments", 2): (Service.get_payment, "accounting.transactions"),
    ("PUT", "payments", 1): (Service.put_payments, "accounting.transactions"),
    # POST Payments creates, as PUT does (Xero's createPayment; one payment or a batch)
    ("POST", "payments", 1): (Service.put_payments, "accounting.transactions"),
    ("POST", "payments", 2): (Service.post_payment, "accounting.transactions"),
}


def _more_routes() -> None:
    # The resources beyond the first five live in .resources, one module each; they import
    # this module's Call, Answer, Service and NotFound, all defined above.
    from . import resources

    for key, value in resources.routes().items():
        if key in ROUTES:
            raise RuntimeError(f"route {key} is defined twice (service.py and .resources)")
        ROUTES[key] = value


_more_routes()
#: The resources (lower-case first path segment) under /api.xro/2.0/.
RESOURCES = frozenset(key[1] for key in ROUTES)


def route(method: str, segments: list[str]) -> tuple[Handler, str] | None:
    """The handler and scope of a request, or None (404); Options paths need their word."""
    if not segments:
        return None
    resource = segments[0].lower()
    if resource == "trackingcategories" and len(segments) >= 3 and segments[2] != "Options":
        return None
    if len(segments) >= 3:  # Xero's paths are case-insensitive (…/{id}/history)
        found = ROUTES.get((method, resource, len(segments), segments[2].lower()))
        if found is not None:
            return found
    return ROUTES.get((method, resource, len(segments)))
