"""Reports as tables: ``report.to_table()`` and ``report.to_dataframe()``.

Xero lays a report out as rows (reference section 5): a ``Header`` row of column labels, then
``Section`` rows (with an optional ``Title``) holding ``Row`` and ``SummaryRow`` rows, whose
``Cells`` hold text (``1234.50``, ``7.3%``, ``2014-05-07T00:00:00``, ``Sales (200)``) and
``Attributes`` (``account``/``accountID``: the account's GUID; ``invoiceID``...).

:class:`ReportMixin` is a base class of the generated ``Report`` model (xsdata's class
extension, ``codegen/xero_codegen/xsdata.xml``), so the model stays generated and this file
stays hand-written. :meth:`ReportMixin.to_table` flattens the sections into :class:`ReportLine`
rows of typed values:

* amounts are ``Decimal``, percentages :class:`Percent` (a ``Decimal`` of percent: ``7.3%``
  is ``Percent("7.3")``), dates ``datetime.date``, anything else text, an empty cell ``None``;
  the first column (the row's label) and the text columns (``Number``, ``Reference``,
  ``Description``, ``Source``, ``Reconciled``) stay text unless they hold a date;
* the account's GUID comes from a cell attribute ``account`` or ``accountID`` (the Balance
  Sheet's placeholder ``abababab-...`` for Current Year Earnings is no account: ``None``), the
  other attributes (``invoiceID``...) are in :attr:`ReportLine.attributes`;
* section titles are carried down to their rows (:attr:`ReportLine.section`, and the titles
  of nested sections in :attr:`ReportLine.sections`);
* the Header's labels name the columns (an empty or repeated label gets a made-up name).

Rows Xero shapes differently still read: missing cells are empty (``None``), extra cells get
columns of their own, and whatever is left out (an unknown ``RowType``, a section without
rows, attributes on a header cell, a second header) is listed in :attr:`ReportTable.skipped`
rather than dropped in silence.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import importlib
import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from ._errors import XeroError

__all__ = [
    "MissingExtraError",
    "Percent",
    "ReportLine",
    "ReportMixin",
    "ReportTable",
    "SkippedRow",
    "cell_value",
]

CellValue = Decimal | datetime.date | str | None
"""A typed cell: Decimal (amounts and ratios; Percent for percentages), date, text or None."""

# The Balance Sheet's Current Year Earnings row carries this GUID where an account would be.
PLACEHOLDER_ACCOUNT = "abababab-abab-abab-abab-abababababab"
ACCOUNT_IDS = frozenset({"account", "accountid"})  # attribute Ids naming the row's account
# Columns whose values are text even when they look like numbers (invoice numbers...).
TEXT_COLUMNS = frozenset({"number", "reference", "description", "source", "reconciled"})

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_PERCENT = re.compile(r"(-?\d+(?:\.\d+)?)\s?%")
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:T00:00:00(?:\.0+)?)?")


class MissingExtraError(XeroError, ImportError):
    """An optional dependency of the SDK is not installed; the message names the extra
    (``pip install 'xero-customer-api[pandas]'``). An ``ImportError`` as well."""

    def __init__(self, message: str, *, extra: str) -> None:
        super().__init__(message)
        self.extra = extra


class Percent(Decimal):
    """A percentage as Xero shows it: ``Percent("7.3")`` is ``7.3%`` (``.fraction``: 0.073)."""

    __slots__ = ()

    @property
    def fraction(self) -> Decimal:
        """The percentage as a fraction: 7.3% -> Decimal("0.073")."""
        return Decimal(self) / 100

    def __str__(self) -> str:
        return f"{Decimal(self)}%"

    def __repr__(self) -> str:
        return f"Percent('{Decimal(self)}')"


def cell_value(text: str | None, *, text_column: bool = False) -> CellValue:
    """A cell's text as a typed value: ``None`` when empty, a date (``2014-05-07T00:00:00`` or
    ``2014-05-07``), a :class:`Percent` (``7.3%``), a ``Decimal`` (``-1234.50``, ratios), else
    the text. In a text column only dates are typed."""
    if text is None:
        return None
    stripped = text.strip()
    if not stripped:
        return None
    match = _DATE.fullmatch(stripped)
    if match is not None:
        try:
            return datetime.date.fromisoformat(match.group(1))
        except ValueError:
            return text
    if text_column:
        return text
    if _NUMBER.fullmatch(stripped):
        try:
            return Decimal(stripped)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return text
    match = _PERCENT.fullmatch(stripped)
    if match is not None:
        return Percent(match.group(1))
    return text


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """Something of the report that :meth:`ReportMixin.to_table` did not turn into a line."""

    where: str  # the row's position, e.g. "rows[2].rows[0]" (and its section's title)
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ReportLine:
    """One Row or SummaryRow of a report, with typed values by column name."""

    section: str | None  # the title of the section it is in (None: untitled or top level)
    sections: tuple[str, ...]  # the titles of every enclosing section, outermost first
    row_type: str  # "Row" or "SummaryRow"
    values: dict[str, CellValue]  # column name (the Header's label) -> typed value
    account_id: str | None = None  # the account's GUID, from a cell attribute account/accountID
    attributes: dict[str, str] = field(default_factory=dict)  # other cell attributes by Id

    @property
    def label(self) -> str:
        """The text of the first cell (the account, the total, the document's date...)."""
        first = next(iter(self.values.values()), None)
        return "" if first is None else str(first)

    @property
    def is_summary(self) -> bool:
        """A total (SummaryRow) rather than a line of figures."""
        return self.row_type == "SummaryRow"

    def __getitem__(self, column: str) -> CellValue:
        return self.values[column]


@dataclass(frozen=True, slots=True)
class ReportTable:
    """A report flattened: its column names (the Header's labels), its lines, what was
    skipped, and its titles."""

    report_id: str | None
    report_name: str | None
    titles: tuple[str, ...]
    columns: tuple[str, ...]
    lines: tuple[ReportLine, ...]
    skipped: tuple[SkippedRow, ...]

    def __iter__(self) -> Iterator[ReportLine]:
        return iter(self.lines)

    def __len__(self) -> int:
        return len(self.lines)

    def find(self, label: str, *, section: str | None = None) -> ReportLine:
        """The first line whose label is ``label`` (in ``section`` if given); ``KeyError``
        when there is none."""
        for line in self.lines:
            if line.label == label and (section is None or line.section == section):
                return line
        where = f" in section {section!r}" if section is not None else ""
        raise KeyError(f"no line {label!r}{where}")

    @property
    def record_columns(self) -> tuple[str, ...]:
        """The columns of :meth:`records`: section, row_type, the report's, account_id."""
        return ("section", "row_type", *self.columns, "account_id")

    def records(self) -> list[dict[str, CellValue]]:
        """One dict per line, keyed by :attr:`record_columns`."""
        return [
            {
                "section": line.section,
                "row_type": line.row_type,
                **{c: line.values.get(c) for c in self.columns},
                "account_id": line.account_id,
            }
            for line in self.lines
        ]

    def to_jsonable(self) -> dict[str, Any]:
        """Plain JSON data: amounts as strings (exact), dates as YYYY-MM-DD."""

        def plain(value: CellValue) -> Any:
            if isinstance(value, Percent):
                return str(value)
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, datetime.date):
                return value.isoformat()
            return value

        return {
            "report_id": self.report_id,
            "report_name": self.report_name,
            "titles": list(self.titles),
            "columns": list(self.record_columns),
            "rows": [{k: plain(v) for k, v in r.items()} for r in self.records()],
            "skipped": [str(s) for s in self.skipped],
        }

    def to_csv(self) -> str:
        """The lines as CSV, with a header line of :attr:`record_columns`."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.record_columns)
        for record in self.records():
            writer.writerow("" if v is None else str(v) for v in record.values())
        return out.getvalue()

    def to_text(self) -> str:
        """A readable table: titles, then one line per row, sections as headings, figures
        right-aligned, totals under a rule; what was skipped at the end."""
        shown = [c for c in self.columns]
        cells = [[_text(line.values.get(c)) for c in shown] for line in self.lines]
        header = [c if not c.startswith("column_") else "" for c in shown]
        if shown and shown[0] == "label":
            header[0] = ""
        widths = [max([len(header[i]), *(len(row[i]) for row in cells)]) for i in range(len(shown))]
        numeric = [
            i > 0
            and all(isinstance(line.values.get(c), (Decimal, type(None))) for line in self.lines)
            for i, c in enumerate(shown)
        ]

        def fmt(row: Sequence[str]) -> str:
            parts = [
                row[i].rjust(widths[i]) if numeric[i] else row[i].ljust(widths[i])
                for i in range(len(shown))
            ]
            return "  ".join(parts).rstrip()

        out = [*self.titles, ""] if self.titles else []
        if not shown:
            out.append("(no rows)")
        else:
            out.append(fmt(header))
            out.append("  ".join("-" * w for w in widths))
        section: tuple[str, ...] | None = None
        for line, row in zip(self.lines, cells, strict=True):
            if line.sections != section:
                section = line.sections
                if line.section:
                    out.append("")
                    out.append(line.section)
            if line.is_summary:
                out.append(
                    "  ".join(
                        "-" * w if numeric[i] else " " * w for i, w in enumerate(widths)
                    ).rstrip()
                )
            out.append(fmt(row))
        if self.skipped:
            out.append("")
            out.append(f"Skipped ({len(self.skipped)}):")
            out.extend(f"  {s}" for s in self.skipped)
        return "\n".join(out) + "\n"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, Percent):
        return str(value)
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -6:  # a ratio: shown to 6 places
            value = value.quantize(Decimal("0.000001"))
        return f"{value:,}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return " ".join(value.split())


def _row_type(row: Any) -> str:
    value = row.row_type
    if value is None:
        return ""
    return str(getattr(value, "value", value))


class _Flattener:
    def __init__(self) -> None:
        self.columns: list[str] = []
        self.text_columns: set[int] = set()
        self.lines: list[ReportLine] = []
        self.skipped: list[SkippedRow] = []
        self.header_seen = False
        self.width = 0  # the number of columns the Header named

    def skip(self, where: str, reason: str) -> None:
        self.skipped.append(SkippedRow(where, reason))

    def header(self, row: Any, where: str) -> None:
        if self.header_seen:
            self.skip(where, "a second Header row (the first one names the columns)")
            return
        self.header_seen = True
        names: list[str] = []
        for i, cell in enumerate(row.cells):
            label = " ".join((cell.value or "").split())
            if cell.attributes:
                ids = ", ".join(a.id or "?" for a in cell.attributes)
                self.skip(f"{where}.cells[{i}]", f"attributes on a header cell ignored ({ids})")
            if not label:
                label = "label" if i == 0 else f"column_{i + 1}"
            if label in names:
                n = 2
                while f"{label} ({n})" in names:
                    n += 1
                label = f"{label} ({n})"
            names.append(label)
            if label.lower() in TEXT_COLUMNS:
                self.text_columns.add(i)
        self.columns = names
        self.width = len(names)

    def line(self, row: Any, where: str, titles: tuple[str, ...]) -> None:
        cells = row.cells
        if not cells:
            self.skip(where, f"a {_row_type(row)} without cells")
            return
        if not self.header_seen and not self.columns:
            self.skip(where, "no Header row before it: columns are named column_1, column_2...")
            self.header_seen = True
        if len(cells) > len(self.columns):
            added = [f"column_{n + 1}" for n in range(len(self.columns), len(cells))]
            if self.width:
                self.skip(
                    where,
                    f"{_count(len(cells), 'cell')} for {_count(self.width, 'header column')}: "
                    f"the extra ones in {', '.join(added)}",
                )
            self.columns.extend(added)
        if len(cells) < self.width:
            self.skip(
                where,
                f"{_count(len(cells), 'cell')} for {_count(self.width, 'header column')}: "
                "the missing ones are empty",
            )
        values: dict[str, CellValue] = {}
        account_id: str | None = None
        attributes: dict[str, str] = {}
        for i, column in enumerate(self.columns):
            cell = cells[i] if i < len(cells) else None
            if cell is None:
                values[column] = None
                continue
            values[column] = cell_value(cell.value, text_column=i == 0 or i in self.text_columns)
            for attribute in cell.attributes:
                key, value = (attribute.id or "").strip(), (attribute.value or "").strip()
                if not key or not value:
                    continue
                if key.lower() in ACCOUNT_IDS:
                    if account_id is None and value.lower() != PLACEHOLDER_ACCOUNT:
                        account_id = value
                    attributes.setdefault(key, value)
                else:
                    attributes.setdefault(key, value)
        self.lines.append(
            ReportLine(
                section=titles[-1] if titles and titles[-1] else None,
                sections=tuple(t for t in titles if t),
                row_type=_row_type(row),
                values=values,
                account_id=account_id,
                attributes=attributes,
            )
        )

    def walk(self, rows: Sequence[Any], where: str, titles: tuple[str, ...]) -> None:
        for index, row in enumerate(rows):
            here = f"{where}[{index}]"
            kind = _row_type(row)
            if kind == "Header":
                self.header(row, here)
            elif kind == "Section":
                title = " ".join((row.title or "").split())
                named = f"{here} (section {title!r})" if title else f"{here} (untitled section)"
                if row.cells:
                    self.skip(named, f"{_count(len(row.cells), 'cell')} of the section row ignored")
                if not row.rows:
                    self.skip(named, "a section with no rows")
                    continue
                self.walk(row.rows, f"{here}.rows", (*titles, title))
            elif kind in ("Row", "SummaryRow"):
                self.line(row, here, titles)
            else:
                what = f"RowType {kind!r}" if kind else "no RowType"
                label = (row.cells[0].value or "") if row.cells else (row.title or "")
                more = f" ({label!r})" if label else ""
                self.skip(here, f"{what}{more}: not a Header, Section, Row or SummaryRow")


class ReportMixin:
    """What a generated ``Report`` model adds to its fields: :meth:`to_table` and
    :meth:`to_dataframe`."""

    __slots__ = ()

    if TYPE_CHECKING:  # the generated class's fields that the methods read
        report_id: str | None
        report_name: str | None
        report_titles: list[str]
        rows: list[Any]

    def to_table(self) -> ReportTable:
        """The report flattened into typed lines (see the module's documentation).

        Returns:
            A :class:`ReportTable`: ``columns`` (the Header's labels), ``lines`` (one
            :class:`ReportLine` per Row and SummaryRow, with its section and account),
            ``skipped`` (what could not be read as a line, and why).
        """
        flat = _Flattener()
        flat.walk(self.rows, "rows", ())
        for index, line in enumerate(flat.lines):  # columns added after it: empty in it
            if len(line.values) < len(flat.columns):
                values = {c: line.values.get(c) for c in flat.columns}
                flat.lines[index] = dataclasses.replace(line, values=values)
        if not flat.header_seen and not self.rows:
            flat.skip("rows", "the report has no rows")
        return ReportTable(
            report_id=self.report_id,
            report_name=self.report_name,
            titles=tuple(self.report_titles),
            columns=tuple(flat.columns),
            lines=tuple(flat.lines),
            skipped=tuple(flat.skipped),
        )

    def to_dataframe(self) -> Any:
        """The report as a ``pandas.DataFrame`` (pandas is the optional extra ``[pandas]``).

        Returns:
            A DataFrame of :meth:`ReportTable.records`: columns ``section``, ``row_type``, the
            report's own (amounts stay exact ``Decimal`` objects, dates ``datetime.date``) and
            ``account_id``; ``df.attrs`` holds ``report_id``, ``report_name``, ``titles`` and
            ``skipped`` (as text).

        Raises:
            MissingExtraError: pandas is not installed (an ``ImportError``; install
                ``xero-customer-api[pandas]``).
        """
        try:
            pandas = importlib.import_module("pandas")  # optional: imported on use only
        except ImportError as exc:
            raise MissingExtraError(
                "Report.to_dataframe() needs pandas, an optional extra: "
                "pip install 'xero-customer-api[pandas]'",
                extra="pandas",
            ) from exc
        table = self.to_table()
        frame = pandas.DataFrame.from_records(table.records(), columns=list(table.record_columns))
        frame.attrs.update(
            report_id=table.report_id,
            report_name=table.report_name,
            titles=list(table.titles),
            skipped=[str(s) for s in table.skipped],
        )
        return frame


def render_report(value: Any, fmt: str) -> str | None:
    """The command line's rendering of a report (``--format table|csv|json``), or ``None``
    when ``value`` is not a report nor a list of one report (or the format is another)."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]  # a command's payload is Xero's list, of the one report asked for
    if not isinstance(value, ReportMixin):
        return None
    table = value.to_table()
    if fmt == "csv":
        return table.to_csv()
    if fmt == "json":
        return json.dumps(table.to_jsonable(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "table":
        return table.to_text()
    return None
