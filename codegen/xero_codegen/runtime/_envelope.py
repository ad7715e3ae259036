"""Reading Xero's response envelope: success, or the errors it lists.

API 1.0 answers ``<Response>`` with ``Errors`` first, then ``ID``, ``Status``,
``ProviderName`` and ``DateTimeUTC``. ``Status`` is ``OK`` on success and otherwise the name
of an HTTP status (``InternalServerError``), whatever went wrong; the kind of failure is in
each error's ``Exception/ExceptionType``. A later API version with another error format
registers its own reader in :data:`ENVELOPE_READERS`.
"""

from __future__ import annotations

from typing import Protocol

from lxml import etree

from ._errors import (
    ErrorDetail,
    InvalidCustomerKeyError,
    NotFoundError,
    ServerError,
    ValidationError,
    XeroAPIError,
    XeroResponseError,
)
from ._secrets import redact

__all__ = ["ENVELOPE_READERS", "EXCEPTION_TYPES", "EnvelopeReader", "ResponseErrorsReader"]

# Short exception type name (after the last dot) -> the SDK's error class.
EXCEPTION_TYPES: dict[str, type[XeroAPIError]] = {
    "ObjectDoesNotExistException": NotFoundError,
    "AuthKeyNotValidForProviderException": InvalidCustomerKeyError,
    "ValidationException": ValidationError,
    "FormatException": ValidationError,
    "InvalidXmlException": ValidationError,
    "ArgumentException": ValidationError,
    "ArgumentNullException": ValidationError,
}


class EnvelopeReader(Protocol):
    """Checks a parsed answer for the API version's error format."""

    def raise_for_errors(self, root: etree._Element, status_code: int) -> None:
        """Raise the matching XeroAPIError if the document reports errors."""

    def check_root(self, root: etree._Element, status_code: int) -> None:
        """Raise XeroResponseError if the document is not a success envelope."""


def _text(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    if len(element) == 0:  # a leaf: its text is all itertext() would give
        text = element.text
        return (text.strip() or None) if text else None
    return "".join(str(t) for t in element.itertext()).strip() or None


class ResponseErrorsReader:
    """The 1.0 ``<Response><Errors><Error>...`` envelope."""

    def raise_for_errors(self, root: etree._Element, status_code: int) -> None:
        if root.tag != "Response":
            return
        # Fast path of every successful call: one pass over the envelope's children finds what
        # root.find("Status") / root.find("Errors") would (the first child of that tag).
        status_el = errors_el = None
        for child in root:
            tag = child.tag
            if tag == "Status":
                if status_el is None:
                    status_el = child
            elif tag == "Errors" and errors_el is None:
                errors_el = child
        status = _text(status_el)
        if status == "OK" and (errors_el is None or errors_el.find("Error") is None):
            return
        details: list[ErrorDetail] = []
        if errors_el is not None:
            for error in errors_el.iterfind("Error"):
                exception = error.find("Exception")
                description = _text(error.find("Description")) or _text(
                    exception.find("Message") if exception is not None else None
                )
                details.append(
                    ErrorDetail(
                        description=redact(description or "(no description)"),
                        exception_type=_text(exception.find("ExceptionType"))
                        if exception is not None
                        else None,
                        message=redact(_text(exception.find("Message")) or "") or None
                        if exception is not None
                        else None,
                    )
                )
        if status == "OK" and not details:
            return
        response_id = _text(root.find("ID"))
        cls: type[XeroAPIError] = XeroAPIError
        for detail in details:
            short = (detail.exception_type or "").rsplit(".", 1)[-1]
            if short in EXCEPTION_TYPES:
                cls = EXCEPTION_TYPES[short]
                break
        else:
            if not details and status_code >= 500:
                cls = ServerError
        summary = "; ".join(d.description for d in details) or f"status {status or 'missing'}"
        kinds = ", ".join(d.exception_type.rsplit(".", 1)[-1] for d in details if d.exception_type)
        # What happened first (the class's headline), then Xero's words, then the codes.
        where = f"HTTP {status_code} {status or 'without a status'}"
        message = (
            f"{cls.headline}: {summary} ({where}; {kinds})"
            if kinds
            else f"{cls.headline}: {summary} ({where})"
        )
        raise cls(
            message, status_code=status_code, status=status, response_id=response_id, errors=details
        )

    def check_root(self, root: etree._Element, status_code: int) -> None:
        if root.tag != "Response":
            tag = root.tag if isinstance(root.tag, str) else "?"
            raise XeroResponseError(
                f"expected a <Response> document, got <{redact(tag)[:60]}> (HTTP {status_code})",
                status_code=status_code,
            )


ENVELOPE_READERS: dict[str, EnvelopeReader] = {"response-errors": ResponseErrorsReader()}
