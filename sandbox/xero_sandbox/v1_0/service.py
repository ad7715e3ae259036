"""The eleven endpoints of the Customer API 1.0, as the sandbox implements them.

Each handler takes a :class:`Call` (an authenticated request) and returns the ``<Response>``
document, or raises :class:`~xero_sandbox.errors.ApiError`. Rules, as Xero 1.0 applied them:

* POST contact / contacts upsert: an existing contact is matched on ContactID, then
  ContactNumber, then Name (case-insensitive); elements present in the request replace the
  stored ones, absent ones are kept. A batch is all-or-nothing.
* PUT contact inserts; a Name or ContactNumber already in use is a ValidationException.
* PUT invoice / invoices insert only: InvoiceNumber must be new, AccountCodes must exist,
  tracking categories and options must exist, and the totals must add up (LineAmount =
  Quantity x UnitAmount with Quantity 1 when omitted, SubTotal = sum of LineAmount, TotalTax
  = sum of TaxAmount, Total = SubTotal + TotalTax; only totals present are checked, at 2 dp).
  The invoice's Contact is matched as by POST contact (but not changed) or created.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal

from lxml import etree
from xero_customer_api.v1_0.models import (
    Contact,
    ContactStatus,
    Invoice,
    InvoiceStatus,
    InvoiceType,
    LineItem,
)

from ..store import Org, Store
from . import codec as xmlcodec
from . import wire
from .errors import NOT_FOUND, VALIDATION, ApiError, ErrorItem
from .view import View


@dataclass(frozen=True)
class Call:
    """An authenticated API request."""

    method: str
    endpoint: str
    query: dict[str, str]
    body: bytes
    org: Org
    provider: str


Handler = Callable[["Service", Call], etree._Element]

_CONTACT_TYPES = ("all", "customers", "suppliers")
_SORT_BY = ("name", "emailaddress")
_DIRECTIONS = ("asc", "desc")


def _enum(query: dict[str, str], name: str, allowed: tuple[str, ...]) -> str:
    value = query.get(name, "") or allowed[0]
    if value.lower() not in allowed:
        raise ApiError(
            VALIDATION,
            f"'{value}' is not a valid value for {name}; use one of {', '.join(allowed)}.",
        )
    return value.lower()


class Service:
    """Endpoint logic over a :class:`Store`."""

    def __init__(self, store: Store, validator: xmlcodec.RequestValidator) -> None:
        self.store = store
        self.view = View(store)
        self.validator = validator

    def handle(self, call: Call) -> etree._Element:
        """Dispatch to the endpoint's handler (the caller checked the route exists)."""
        return ROUTES[(call.method, call.endpoint)](self, call)

    def _response(self, call: Call) -> etree._Element:
        return xmlcodec.envelope(call.provider, datetime.now(UTC))

    # ------------------------------------------------------------------ settings

    def get_accounts(self, call: Call) -> etree._Element:
        """GET accounts."""
        root = self._response(call)
        with self.store.read():
            xmlcodec.append_all(root, "Accounts", self.view.accounts(call.org.org_id))
        return root

    def get_tracking(self, call: Call) -> etree._Element:
        """GET tracking."""
        root = self._response(call)
        with self.store.read():
            xmlcodec.append_all(root, "Tracking", self.view.tracking(call.org.org_id))
        return root

    # ------------------------------------------------------------------ contacts

    def get_contact(self, call: Call) -> etree._Element:
        """GET contact?contactID=|contactNumber= (contactID wins)."""
        org = call.org.org_id
        with self.store.read():
            if call.query.get("contactID"):
                contact_id = wire.parse_guid(call.query["contactID"])
                contact = self.view.contact_by_id(org, contact_id)
                what = f"contact id {contact_id}"
            elif call.query.get("contactNumber"):
                contact = self.view.contact_by_number(org, call.query["contactNumber"])
                what = f"contact number {call.query['contactNumber']}"
            else:
                raise ApiError(VALIDATION, "Either contactID or contactNumber must be specified.")
        if contact is None:
            raise ApiError(NOT_FOUND, f"Contact with {what} does not exist for this organisation")
        root = self._response(call)
        xmlcodec.append(root, contact)
        return root

    def list_contacts(self, call: Call) -> etree._Element:
        """GET contacts?type=&sortBy=&direction=&updatedAfter=."""
        kind = _enum(call.query, "type", _CONTACT_TYPES)
        sort_by = _enum(call.query, "sortBy", _SORT_BY)
        direction = _enum(call.query, "direction", _DIRECTIONS)
        after = (
            wire.parse_utc(call.query["updatedAfter"]) if call.query.get("updatedAfter") else None
        )
        with self.store.read():
            contacts = self.view.contacts(call.org.org_id)
            types = self.store.invoice_types_by_contact(call.org.org_id)
        if kind != "all":
            wanted = (InvoiceType.ACCREC if kind == "customers" else InvoiceType.ACCPAY).value
            contacts = [c for c in contacts if wanted in types.get(c.contact_id or "", set())]
        if after is not None:
            contacts = [
                c for c in contacts if c.updated_date_utc is not None and c.updated_date_utc > after
            ]
        if sort_by == "name":
            contacts.sort(key=lambda c: (c.name.casefold(), c.name))
        else:
            contacts.sort(key=lambda c: ((c.email_address or "").casefold(), c.name.casefold()))
        if direction == "desc":
            contacts.reverse()
        root = self._response(call)
        xmlcodec.append_all(root, "Contacts", contacts)
        return root

    def put_contact(self, call: Call) -> etree._Element:
        """PUT contact: insert only."""
        (incoming,) = xmlcodec.read_contacts(self.validator.parse(call.body, "Contact"))
        with self.store.write():
            saved = self._insert_contact(call.org.org_id, incoming)
        root = self._response(call)
        xmlcodec.append(root, saved)
        return root

    def post_contact(self, call: Call) -> etree._Element:
        """POST contact: upsert."""
        (incoming,) = xmlcodec.read_contacts(self.validator.parse(call.body, "Contact"))
        with self.store.write():
            saved = self._upsert_contact(call.org.org_id, incoming)
        root = self._response(call)
        xmlcodec.append(root, saved)
        return root

    def post_contacts(self, call: Call) -> etree._Element:
        """POST contacts: upsert a batch, all or nothing."""
        incoming = xmlcodec.read_contacts(self.validator.parse(call.body, "Contacts"))
        saved: list[Contact] = []
        errors: list[ErrorItem] = []
        with self.store.write():
            for position, contact in enumerate(incoming, start=1):
                try:
                    saved.append(self._upsert_contact(call.org.org_id, contact))
                except ApiError as exc:
                    errors.extend(
                        ErrorItem(
                            i.exception_type, f"Contact {position} ({contact.name}): {i.message}"
                        )
                        for i in exc.items
                    )
            if errors:
                raise ApiError.many(errors)
        root = self._response(call)
        xmlcodec.append_all(root, "Contacts", saved)
        return root

    def _check_unique(self, org: int, contact: Contact) -> None:
        by_name = self.view.contact_by_name(org, contact.name)
        if by_name is not None and by_name.contact_id != contact.contact_id:
            raise ApiError(VALIDATION, f"A contact with the name '{contact.name}' already exists.")
        if contact.contact_number:
            by_number = self.view.contact_by_number(org, contact.contact_number)
            if by_number is not None and by_number.contact_id != contact.contact_id:
                raise ApiError(
                    VALIDATION,
                    f"A contact with the number '{contact.contact_number}' already exists.",
                )

    def _insert_contact(self, org: int, incoming: Contact) -> Contact:
        if not incoming.name.strip():
            raise ApiError(VALIDATION, "A contact must have a name.")
        if incoming.contact_id is not None:
            raise ApiError(
                VALIDATION,
                "A new contact cannot have a ContactID; use POST contact to update a contact.",
            )
        contact = replace(
            incoming,
            contact_id=wire.new_guid(),
            contact_status=incoming.contact_status or ContactStatus.ACTIVE,
            updated_date_utc=self.store.stamp(),
        )
        self._check_unique(org, contact)
        self.view.save_contact(org, contact)
        return contact

    def _match_contact(self, org: int, incoming: Contact) -> Contact | None:
        if incoming.contact_id is not None:
            found = self.view.contact_by_id(org, incoming.contact_id)
            if found is None:
                raise ApiError(
                    NOT_FOUND,
                    f"Contact with contact id {incoming.contact_id} does not exist for this organisation",
                )
            return found
        if incoming.contact_number:
            found = self.view.contact_by_number(org, incoming.contact_number)
            if found is not None:
                return found
        if incoming.name.strip():
            return self.view.contact_by_name(org, incoming.name)
        return None

    def _upsert_contact(self, org: int, incoming: Contact) -> Contact:
        existing = self._match_contact(org, incoming)
        if existing is None:
            return self._insert_contact(org, incoming)
        if not incoming.name.strip():
            raise ApiError(VALIDATION, "A contact must have a name.")
        merged = Contact(
            name=incoming.name,
            contact_id=existing.contact_id,
            contact_number=incoming.contact_number
            if incoming.contact_number is not None
            else existing.contact_number,
            contact_status=incoming.contact_status
            or existing.contact_status
            or ContactStatus.ACTIVE,
            email_address=incoming.email_address
            if incoming.email_address is not None
            else existing.email_address,
            # the SDK always writes the wrappers: an empty list means "not given"
            addresses=incoming.addresses or existing.addresses,
            phones=incoming.phones or existing.phones,
            skype_user_name=incoming.skype_user_name
            if incoming.skype_user_name is not None
            else existing.skype_user_name,
            updated_date_utc=self.store.stamp(),
        )
        self._check_unique(org, merged)
        self.view.save_contact(org, merged)
        return merged

    # ------------------------------------------------------------------ invoices

    def get_invoice(self, call: Call) -> etree._Element:
        """GET invoice?invoiceID=|invoiceNumber= (invoiceID wins), with its lines."""
        org = call.org.org_id
        with self.store.read():
            if call.query.get("invoiceID"):
                invoice_id = wire.parse_guid(call.query["invoiceID"])
                invoice = self.view.invoice_by_id(org, invoice_id)
                what = f"invoice id {invoice_id}"
            elif call.query.get("invoiceNumber"):
                invoice = self.view.invoice_by_number(org, call.query["invoiceNumber"])
                what = f"invoice number {call.query['invoiceNumber']}"
            else:
                raise ApiError(VALIDATION, "Either invoiceID or invoiceNumber must be specified.")
        if invoice is None:
            raise ApiError(NOT_FOUND, f"Invoice with {what} does not exist for this organisation")
        root = self._response(call)
        xmlcodec.append(root, invoice)
        return root

    def list_invoices(self, call: Call) -> etree._Element:
        """GET invoices?modifiedSince= (UpdatedDateUTC strictly after); lines are left out."""
        since = (
            wire.parse_utc(call.query["modifiedSince"]) if call.query.get("modifiedSince") else None
        )
        with self.store.read():
            invoices = self.view.invoices(call.org.org_id)
        if since is not None:
            invoices = [
                i for i in invoices if i.updated_date_utc is not None and i.updated_date_utc > since
            ]
        root = self._response(call)
        xmlcodec.append_all(root, "Invoices", [replace(i, line_items=[]) for i in invoices])
        return root

    def put_invoice(self, call: Call) -> etree._Element:
        """PUT invoice: insert one invoice."""
        (incoming,) = xmlcodec.read_invoices(self.validator.parse(call.body, "Invoice"))
        with self.store.write():
            saved = self._insert_invoice(call.org.org_id, incoming)
        root = self._response(call)
        xmlcodec.append(root, saved)
        return root

    def put_invoices(self, call: Call) -> etree._Element:
        """PUT invoices: insert a batch, all or nothing."""
        incoming = xmlcodec.read_invoices(self.validator.parse(call.body, "Invoices"))
        saved: list[Invoice] = []
        errors: list[ErrorItem] = []
        with self.store.write():
            for invoice in incoming:
                try:
                    saved.append(self._insert_invoice(call.org.org_id, invoice))
                except ApiError as exc:
                    errors.extend(
                        ErrorItem(
                            i.exception_type, f"Invoice {invoice.invoice_number}: {i.message}"
                        )
                        for i in exc.items
                    )
            if errors:
                raise ApiError.many(errors)
        root = self._response(call)
        xmlcodec.append_all(root, "Invoices", saved)
        return root

    def _check_lines(self, org: int, invoice: Invoice) -> tuple[list[LineItem], list[str]]:
        accounts = {a.code: a for a in self.view.accounts(org)}
        tracking = {c.name: {o.name for o in c.options} for c in self.view.tracking(org)}
        problems: list[str] = []
        lines: list[LineItem] = []
        for number, line in enumerate(invoice.line_items, start=1):
            quantity = line.quantity if line.quantity is not None else Decimal(1)
            expected = wire.round2(wire.multiply(quantity, line.unit_amount))
            if wire.round2(line.line_amount) != expected:
                problems.append(
                    f"Line {number}: LineAmount {line.line_amount} does not equal Quantity x UnitAmount ({expected})."
                )
            account = accounts.get(line.account_code) if line.account_code is not None else None
            if line.account_code is not None and account is None:
                problems.append(
                    f"Line {number}: account code '{line.account_code}' is not a valid account code."
                )
            seen: set[str] = set()
            for chosen in line.tracking:
                category, option = chosen.name, chosen.option
                if category not in tracking:
                    problems.append(
                        f"Line {number}: tracking category '{category}' does not exist."
                    )
                elif option not in tracking[category]:
                    problems.append(
                        f"Line {number}: '{option}' is not an option of tracking category '{category}'."
                    )
                if category in seen:
                    problems.append(
                        f"Line {number}: tracking category '{category}' is given twice."
                    )
                seen.add(category)
            lines.append(
                replace(
                    line,
                    line_item_id=wire.new_guid(),
                    quantity=quantity,
                    tax_amount=line.tax_amount if line.tax_amount is not None else Decimal(0),
                    tax_type=line.tax_type or (account.tax_type if account else None),
                )
            )
        return lines, problems

    @staticmethod
    def _check_totals(
        invoice: Invoice, lines: list[LineItem]
    ) -> tuple[Decimal, Decimal, list[str]]:
        sub_total = wire.total(line.line_amount for line in lines)
        total_tax = wire.total(line.tax_amount or Decimal(0) for line in lines)
        problems = [
            f"{name} {wire.round2(value)} is out of range for a decimal (at most {wire.DECIMAL_MAX})."
            for name, value in (
                ("SubTotal", sub_total),
                ("TotalTax", total_tax),
                ("Total", wire.total((sub_total, total_tax))),
            )
            if not wire.fits_decimal(value)
        ]
        if invoice.sub_total is not None and wire.round2(invoice.sub_total) != wire.round2(
            sub_total
        ):
            problems.append(
                f"SubTotal {invoice.sub_total} does not equal the sum of the line amounts ({wire.round2(sub_total)})."
            )
        if invoice.total_tax is not None and wire.round2(invoice.total_tax) != wire.round2(
            total_tax
        ):
            problems.append(
                f"TotalTax {invoice.total_tax} does not equal the sum of the tax amounts ({wire.round2(total_tax)})."
            )
        grand_total = wire.total((sub_total, total_tax))
        if invoice.total is not None and wire.round2(invoice.total) != wire.round2(grand_total):
            problems.append(
                f"Total {invoice.total} does not equal SubTotal + TotalTax ({wire.round2(grand_total)})."
            )
        return sub_total, total_tax, problems

    def _insert_invoice(self, org: int, incoming: Invoice) -> Invoice:
        problems: list[str] = []
        if incoming.invoice_id is not None:
            problems.append("An InvoiceID cannot be given: the 1.0 API only inserts new invoices.")
        if not incoming.invoice_number.strip():
            problems.append("An invoice must have an InvoiceNumber.")
        elif self.view.invoice_by_number(org, incoming.invoice_number) is not None:
            problems.append(
                f"An invoice with the number '{incoming.invoice_number}' already exists."
            )
        if not incoming.line_items:
            problems.append("An invoice must have at least one line item.")
        lines, line_problems = self._check_lines(org, incoming)
        sub_total, total_tax, total_problems = self._check_totals(incoming, lines)
        problems += line_problems + total_problems
        if problems:
            raise ApiError.many([ErrorItem(VALIDATION, p) for p in problems])
        contact = self._match_contact(org, incoming.contact)
        if contact is None:
            contact = self._insert_contact(org, replace(incoming.contact, contact_id=None))
        total = wire.total((sub_total, total_tax))
        invoice = replace(
            incoming,
            invoice_id=wire.new_guid(),
            contact=contact,
            sub_total=sub_total,
            total_tax=total_tax,
            total=total,
            invoice_status=InvoiceStatus.DRAFT,
            line_items=lines,
            payments=[],
            fully_paid_on=None,
            amount_due=total,
            amount_paid=Decimal(0),
            amount_credited=Decimal(0),
            updated_date_utc=self.store.stamp(),
        )
        self.view.insert_invoice(org, invoice)
        stored = self.view.invoice_by_id(org, invoice.invoice_id or "")
        assert stored is not None
        return stored  # the answer says what a later GET says


ROUTES: dict[tuple[str, str], Handler] = {
    ("GET", "contact"): Service.get_contact,
    ("GET", "contacts"): Service.list_contacts,
    ("PUT", "contact"): Service.put_contact,
    ("POST", "contact"): Service.post_contact,
    ("POST", "contacts"): Service.post_contacts,
    ("GET", "invoice"): Service.get_invoice,
    ("GET", "invoices"): Service.list_invoices,
    ("PUT", "invoice"): Service.put_invoice,
    ("PUT", "invoices"): Service.put_invoices,
    ("GET", "accounts"): Service.get_accounts,
    ("GET", "tracking"): Service.get_tracking,
}
#: Lower-case endpoint names under /api.xro/1.0/.
ENDPOINTS = frozenset(endpoint for _, endpoint in ROUTES)
