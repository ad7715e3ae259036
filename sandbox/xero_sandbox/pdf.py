"""The PDFs of invoices, bills, credit notes, quotes and purchase orders, rendered with fpdf2.

:func:`render` draws one :class:`Document` (what a printed Xero document shows: the
organisation, the kind and number of the document, its dates, the contact, the lines, the
totals and what is still due or left to allocate) on A4 pages and returns the bytes of a
real PDF. The same document gives the same bytes: the PDF's creation date (and so its file
identifier, which fpdf2 derives from the content and that date) is the document's own
``UpdatedDateUTC``, never the time of the request.

Amounts are ``Decimal`` and printed with two decimals (``1,234.50``), quantities as they
are (``2``, ``0.5``); nothing goes through a float. The text uses the PDF core font
Helvetica (no font file to ship, the same bytes on every machine): characters it cannot
show are printed without their accents (``Tūī`` as ``Tui``) or as ``?``.
# inferred: Xero's own layout (branding themes) is not in the facts; this one shows the
# fields its printed invoices show.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

#: Statuses printed across the page as a large grey mark (the document is not final, or no
#: longer stands). # inferred: Xero marks drafts and voided documents on their PDFs.
MARKED = frozenset({"DRAFT", "SUBMITTED", "VOIDED", "DELETED", "DECLINED"})
_GREY, _DARK, _RULE = (150, 150, 150), (40, 40, 40), (200, 200, 200)


@dataclass(frozen=True)
class Line:
    """A line of the document as printed."""

    description: str
    quantity: Decimal | None
    unit_amount: Decimal | None
    tax: str  # the line's tax rate as printed (``15%``), or its tax type when the rate is unknown
    amount: Decimal
    discount_rate: Decimal | None = None


@dataclass(frozen=True)
class Document:
    """What the PDF of one document shows.

    ``title`` is the kind of document (``TAX INVOICE``, ``BILL``, ``CREDIT NOTE``, ``QUOTE``,
    ``PURCHASE ORDER``); ``details`` the labelled facts beside the contact (number, dates,
    reference ...), in order; ``balances`` the labelled amounts under the totals (amount paid,
    amount due, remaining credit ...)."""

    organisation: str
    title: str
    number: str
    status: str
    contact: str
    updated: datetime.datetime
    currency: str = "NZD"
    contact_lines: tuple[str, ...] = ()
    details: tuple[tuple[str, str], ...] = ()
    lines: tuple[Line, ...] = ()
    sub_total: Decimal = Decimal(0)
    total_tax: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    tax_label: str = "Total tax"
    balances: tuple[tuple[str, Decimal], ...] = ()
    notes: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def money(value: Decimal) -> str:
    """An amount as printed: grouped thousands, two decimals (``-1,234.50``)."""
    return f"{value.quantize(Decimal('0.01')):,.2f}"


def quantity(value: Decimal) -> str:
    """A quantity as printed: no trailing zeros, never an exponent (``2``, ``0.5``, ``10``)."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def percent(rate: Decimal) -> str:
    """A tax rate (a fraction) as printed: ``15%``, ``12.5%``."""
    return f"{quantity(rate * 100)}%"


def day(value: datetime.date) -> str:
    """A date as Xero prints it in English: ``7 Dec 2026``."""
    return f"{value.day} {value:%b %Y}"


def _plain(text: str, *, lines: bool = False) -> str:
    """*text* in the core font's character set (Latin-1): accents the font lacks dropped,
    anything else as ``?``; control characters as blanks (line breaks kept with *lines*)."""
    out = []
    for char in text.replace("\r\n", "\n"):
        if lines and char == "\n":
            out.append(char)
            continue
        if char in "\r\n\t" or unicodedata.category(char) == "Cc":
            out.append(" ")
            continue
        try:
            char.encode("latin-1")
            out.append(char)
            continue
        except UnicodeEncodeError:
            pass
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        try:
            base.encode("latin-1")
            out.append(base or "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


class _Page(FPDF):
    """A4 pages with the document's number and the page number at the foot."""

    def __init__(self, doc: Document) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.doc = doc
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=20)

    def header(self) -> None:
        if self.doc.status in MARKED:  # a large grey mark across the page, under the text
            self.set_font("Helvetica", "B", 90)
            self.set_text_color(235, 235, 235)
            with self.rotation(35, x=self.w / 2, y=self.h / 2):
                self.text(self.w / 2 - self.get_string_width(self.doc.status) / 2,
                          self.h / 2 + 12, self.doc.status)  # fmt: skip
            self.set_text_color(*_DARK)
            self.set_xy(self.l_margin, self.t_margin)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(*_GREY)
        self.cell(0, 5, _plain(f"{self.doc.title.title()} {self.doc.number}"), align=Align.L)
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()}/{{nb}}", align=Align.R)
        self.set_text_color(*_DARK)


def render(doc: Document) -> bytes:
    """The PDF of *doc* (the same bytes for the same document)."""
    pdf = _Page(doc)
    pdf.set_creation_date(doc.updated.astimezone(datetime.UTC))
    pdf.set_title(_plain(f"{doc.title.title()} {doc.number}"))
    pdf.set_author(_plain(doc.organisation))
    pdf.set_creator("xero-sandbox")
    pdf.set_subject(_plain(f"{doc.title.title()} {doc.number} for {doc.contact}"))
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    _head(pdf, doc, width)
    _lines(pdf, doc, width)
    _totals(pdf, doc, width)
    for label, text in doc.notes:
        if text.strip():
            pdf.ln(4)
            pdf.set_font("Helvetica", "B", 9)
            pdf.cell(0, 5, _plain(label), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font("Helvetica", "", 9)
            pdf.multi_cell(0, 4.5, _plain(text, lines=True), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def _head(pdf: _Page, doc: Document, width: float) -> None:
    pdf.set_text_color(*_DARK)
    pdf.set_font("Helvetica", "B", 20)
    pdf.cell(width * 0.55, 10, _plain(doc.title), new_x=XPos.RIGHT, new_y=YPos.TOP)
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(width * 0.45, 6, _plain(doc.organisation), align=Align.R,
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
    pdf.set_font("Helvetica", "", 9)
    pdf.set_text_color(*_GREY)
    pdf.cell(0, 5, f"Status: {doc.status}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*_DARK)
    pdf.ln(4)
    top = pdf.get_y()
    # the contact on the left
    pdf.set_font("Helvetica", "B", 10)
    pdf.multi_cell(width * 0.5, 5, _plain(doc.contact), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 9)
    for text in doc.contact_lines:
        pdf.multi_cell(width * 0.5, 4.5, _plain(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    left_end = pdf.get_y()
    # the details on the right: label above value, as Xero's printed invoices
    pdf.set_y(top)
    for label, value in doc.details:
        pdf.set_x(pdf.l_margin + width * 0.6)
        pdf.set_font("Helvetica", "B", 8)
        pdf.cell(width * 0.4, 4, _plain(label), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_x(pdf.l_margin + width * 0.6)
        pdf.set_font("Helvetica", "", 9)
        pdf.multi_cell(width * 0.4, 4.5, _plain(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
    pdf.set_y(max(left_end, pdf.get_y()) + 6)


def _lines(pdf: _Page, doc: Document, width: float) -> None:
    pdf.set_font("Helvetica", "", 9)
    pdf.set_draw_color(*_RULE)
    columns = (0.40, 0.11, 0.15, 0.14, 0.20)
    headings = ("Description", "Quantity", "Unit Price", "Tax", f"Amount {doc.currency}")
    with pdf.table(
        col_widths=tuple(width * c for c in columns),
        text_align=(Align.L, Align.R, Align.R, Align.R, Align.R),
        borders_layout="HORIZONTAL_LINES",
        line_height=5,
        first_row_as_headings=True,
    ) as table:
        row = table.row()
        for text in headings:
            row.cell(text)
        for line in doc.lines:
            row = table.row()
            description = line.description
            if line.discount_rate:
                description += f" (discount {quantity(line.discount_rate)}%)"
            row.cell(_plain(description, lines=True))
            row.cell("" if line.quantity is None else quantity(line.quantity))
            row.cell("" if line.unit_amount is None else money(line.unit_amount))
            row.cell(_plain(line.tax))
            row.cell(money(line.amount))
    pdf.ln(4)


def _totals(pdf: _Page, doc: Document, width: float) -> None:
    label_w, value_w = width * 0.25, width * 0.20
    rows: list[tuple[str, Decimal, bool]] = [
        ("Subtotal", doc.sub_total, False),
        (doc.tax_label, doc.total_tax, False),
        (f"Total {doc.currency}", doc.total, True),
    ]
    rows += [(label, value, label.lower().startswith(("amount due", "remaining")))
             for label, value in doc.balances]  # fmt: skip
    for label, value, strong in rows:
        pdf.set_x(pdf.l_margin + width - label_w - value_w)
        pdf.set_font("Helvetica", "B" if strong else "", 10 if strong else 9)
        pdf.cell(label_w, 6, _plain(label), align=Align.R)
        pdf.cell(value_w, 6, money(value), align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
