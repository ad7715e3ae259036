"""Reading Xero's response envelope: success, or the errors it lists.

API 1.0 answers ``<Response>`` with ``Errors`` first, then ``ID``, ``Status``,
``ProviderName`` and ``DateTimeUTC``. ``Status`` is ``OK`` on success and otherwise the name
of an HTTP status (``InternalServerError``), whatever went wrong; the kind of failure is in
each error's ``Exception/ExceptionType``.

API 2.0 (:class:`ApiExceptionReader`) says what went wrong with the HTTP status: a 400 carries
an ``<ApiException>`` document (``ErrorNumber``, ``Type``, ``Message`` and the refused
elements, each a ``DataContractBase`` with an ``xsi:type``), 401 and 403 a JSON problem body,
404 plain text or HTML, 5xx plain text. Each reader is registered in :data:`ENVELOPE_READERS`
under the manifest's ``errors`` value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Protocol

from lxml import etree

from ._errors import (
    ApiExceptionElement,
    AuthenticationError,
    ErrorDetail,
    InvalidCustomerKeyError,
    InvalidPartnerKeyError,
    NotFoundError,
    PermissionDeniedError,
    ServerError,
    ValidationError,
    XeroAPIError,
    XeroError,
    XeroResponseError,
)
from ._ratelimit import RateLimit
from ._secrets import redact
from ._transport import load_json

__all__ = [
    "ENVELOPE_READERS",
    "EXCEPTION_TYPES",
    "ApiExceptionReader",
    "EnvelopeReader",
    "ResponseErrorsReader",
    "html_title",
    "is_html_page",
]

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

    def status_error(
        self, status_code: int, headers: Mapping[str, str], content: bytes
    ) -> XeroAPIError | None:
        """The error of an answer that must not be parsed as XML (a JSON 401, a text 404 ...),
        or None to parse it. Called for every answer but a 429 before parsing."""

    def raise_for_errors(
        self, root: etree._Element, status_code: int, headers: Mapping[str, str] | None = None
    ) -> None:
        """Raise the matching XeroAPIError if the document reports errors."""

    def check_root(self, root: etree._Element, status_code: int) -> None:
        """Raise XeroResponseError if the document is not a success envelope."""

    def page_error(self, status_code: int, title: str | None, redirect: bool) -> XeroError:
        """The error of an HTML page (its ``title``, if any) or a redirect (``redirect``)
        where XML was expected."""

    def rate_limited(self, problem: str | None) -> str:
        """Who Xero is rate limiting, in this version's words (after "rate limiting ")."""


def _text(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    if len(element) == 0:  # a leaf: its text is all itertext() would give
        text = element.text
        return (text.strip() or None) if text else None
    return "".join(str(t) for t in element.itertext()).strip() or None


class ResponseErrorsReader:
    """The 1.0 ``<Response><Errors><Error>...`` envelope."""

    def page_error(self, status_code: int, title: str | None, redirect: bool) -> XeroError:
        # 1.0 answers a refused partner key with its login page (or a redirect to it)
        what = "redirect to its login page" if redirect else "with an HTML page instead of XML"
        return InvalidPartnerKeyError(
            f"Xero refused the partner key (apiKey): HTTP {status_code} {what}",
            status_code=status_code,
        )

    def rate_limited(self, problem: str | None) -> str:
        return "this partner"

    def status_error(
        self, status_code: int, headers: Mapping[str, str], content: bytes
    ) -> XeroAPIError | None:
        return None  # 1.0 reads every answer as XML (the client maps redirects and HTML)

    def raise_for_errors(
        self, root: etree._Element, status_code: int, headers: Mapping[str, str] | None = None
    ) -> None:
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
            message,
            status_code=status_code,
            status=status,
            response_id=response_id,
            errors=details,
            rate_limit=RateLimit.from_headers(headers),
        )

    def check_root(self, root: etree._Element, status_code: int) -> None:
        if root.tag != "Response":
            tag = root.tag if isinstance(root.tag, str) else "?"
            raise XeroResponseError(
                f"expected a <Response> document, got <{redact(tag)[:60]}> (HTTP {status_code})",
                status_code=status_code,
            )


_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
_MAX_NAMED_ELEMENTS = 10
_MAX_TEXT = 300


def _status_class(status_code: int) -> type[XeroAPIError]:
    """The error class of a 2.0 HTTP status."""
    if status_code >= 500:
        return ServerError
    return _STATUS_CLASSES.get(status_code, XeroAPIError)


_STATUS_CLASSES: dict[int, type[XeroAPIError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
}


def _make(
    cls: type[XeroAPIError],
    message: str,
    *,
    status_code: int,
    rate_limit: RateLimit,
    errors: tuple[ErrorDetail, ...] | list[ErrorDetail] = (),
    detail: str | None = None,
) -> XeroAPIError:
    """An error of ``cls``; ``detail`` goes to the classes that have it."""
    if issubclass(cls, (AuthenticationError, PermissionDeniedError)):
        return cls(
            message, status_code=status_code, errors=errors, rate_limit=rate_limit, detail=detail
        )
    return cls(message, status_code=status_code, errors=errors, rate_limit=rate_limit)


def _short_text(content: bytes) -> str:
    text = " ".join(content.decode("utf-8", "replace").split())
    if len(text) > _MAX_TEXT:
        text = text[: _MAX_TEXT - 3] + "..."
    return redact(text)


def _problem(content: bytes) -> dict[str, Any]:
    """A JSON problem body (``{"Title": ..., "Detail": ...}``) with lower-cased keys, or {}."""
    if content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] != b"{":
        return {}
    try:
        data = load_json(content)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k).lower(): v for k, v in data.items()}


def _www_authenticate_detail(value: str | None) -> str | None:
    """``error_description`` (else ``error``) of a ``WWW-Authenticate: Bearer ...`` header."""
    if not value:
        return None
    found: dict[str, str] = {}
    for part in value.split(","):
        key, sep, val = part.strip().partition("=")
        if sep:
            found[key.strip().split(" ")[-1].lower()] = val.strip().strip('"')
    return found.get("error_description") or found.get("error") or None


def _is_xml(headers: Mapping[str, str], content: bytes) -> bool:
    content_type = headers.get("content-type", "").lower()
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:6].lower()
    if head.startswith((b"<html", b"<!doc")):
        return False
    if "xml" in content_type:
        return True
    return not content_type and head.startswith(b"<")


def _messages(element: etree._Element, tag: str) -> tuple[str, ...]:
    """Every ``<tag><Message>`` inside ``element`` (nested entities too), each once."""
    seen: dict[str, None] = {}
    for item in element.iter(tag):
        text = _text(item.find("Message"))
        if text:
            seen.setdefault(redact(text[:_MAX_TEXT]), None)
    return tuple(seen)


class ApiExceptionReader:
    """API 2.0: errors by HTTP status, a 400's ``<ApiException>`` read in detail."""

    def page_error(self, status_code: int, title: str | None, redirect: bool) -> XeroError:
        # 2.0 has no login page: an HTML answer comes from something between the app and Xero
        title = " ".join(redact(title).split())[:80] if title else None
        named = f" ({title!r})" if title else ""
        return XeroResponseError(
            f"the answer (HTTP {status_code}) was an HTML page{named}, not Xero's API: check"
            " base_url (it must end in /api.xro/2.0/); a proxy, captive portal or maintenance"
            " page may also have answered",
            status_code=status_code,
        )

    def rate_limited(self, problem: str | None) -> str:
        if problem == "appminute":
            return "this app across all organisations"
        return "this app for this organisation"

    def status_error(
        self, status_code: int, headers: Mapping[str, str], content: bytes
    ) -> XeroAPIError | None:
        if status_code < 300:
            return None
        rate_limit = RateLimit.from_headers(headers)
        if status_code < 400:
            return XeroAPIError(
                f"Xero answered HTTP {status_code} (a redirect, which API 2.0 never sends)",
                status_code=status_code,
                rate_limit=rate_limit,
            )
        if _is_xml(headers, content) or is_html_page(content):
            return None  # an ApiException (raise_for_errors), or a web page (page_error)
        problem = _problem(content)
        detail = problem.get("detail")
        detail = redact(str(detail)[:_MAX_TEXT]) if detail else None
        if detail is None and status_code == 401:
            header = _www_authenticate_detail(headers.get("www-authenticate"))
            detail = redact(header[:_MAX_TEXT]) if header else None
        title = problem.get("title")
        what = detail or (None if problem else _short_text(content)) or "no details"
        label = f"{redact(str(title)[:60])}: " if title else ""
        hint = ""
        if status_code == 403 and (detail or "").startswith("AuthenticationUnsuccessful"):
            hint = (
                " - the tenant_id sent is not an organisation this token is connected to:"
                " check `tenant_id` (client.connections() lists the tenants the token reaches)"
            )
        return _make(
            _status_class(status_code),
            f"Xero answered HTTP {status_code}: {label}{what}{hint}",
            status_code=status_code,
            rate_limit=rate_limit,
            detail=detail,
        )

    def raise_for_errors(
        self, root: etree._Element, status_code: int, headers: Mapping[str, str] | None = None
    ) -> None:
        if root.tag == "ApiException":
            raise self._api_exception(root, status_code, headers)
        if status_code >= 300:
            tag = root.tag if isinstance(root.tag, str) else "?"
            raise _make(
                _status_class(status_code),
                f"Xero answered HTTP {status_code} with a <{redact(tag)[:60]}> document",
                status_code=status_code,
                rate_limit=RateLimit.from_headers(headers),
            )

    def _api_exception(
        self, root: etree._Element, status_code: int, headers: Mapping[str, str] | None
    ) -> XeroAPIError:
        number_text = _text(root.find("ErrorNumber"))
        error_number = (
            int(number_text)
            if number_text
            and number_text.isascii()
            and number_text.isdigit()
            and len(number_text) <= 9
            else None
        )  # only ASCII digits: "²".isdigit() is True, int("²") raises
        kind = _text(root.find("Type"))
        kind = redact(kind[:100]) if kind else None
        summary = _text(root.find("Message"))
        summary = redact(summary[:_MAX_TEXT]) if summary else None
        elements: list[ApiExceptionElement] = []
        container = root.find("Elements")
        if container is not None:
            for item in container:
                tag = item.tag
                if not isinstance(tag, str):  # a comment or processing instruction
                    continue  # type: ignore[unreachable]
                xsi_type = item.get(_XSI_TYPE) or (None if tag == "DataContractBase" else tag)
                elements.append(
                    ApiExceptionElement(
                        xsi_type=redact(xsi_type[:100]) if xsi_type else None,
                        validation_errors=_messages(item, "ValidationError"),
                        warnings=_messages(item, "Warning"),
                    )
                )
        details = [
            ErrorDetail(description=text, exception_type=kind, message=text)
            for element in elements
            for text in element.validation_errors
        ] or [
            ErrorDetail(description=summary or "(no message)", exception_type=kind, message=summary)
        ]
        named = [
            f"{e.xsi_type or 'element'} {i}: " + ("; ".join(e.validation_errors) or "(no message)")
            for i, e in enumerate(elements, 1)
            if e.validation_errors or not e.warnings
        ]
        text = summary or "(no message)"
        if named:
            more = len(named) - _MAX_NAMED_ELEMENTS
            text += " - " + " | ".join(named[:_MAX_NAMED_ELEMENTS])
            if more > 0:
                text += f" | and {more} more"
        label = ", ".join(
            p for p in (kind, str(error_number) if error_number is not None else None) if p
        )
        message = (
            f"Xero refused the request (HTTP {status_code}{', ' + label if label else ''}): {text}"
        )
        rate_limit = RateLimit.from_headers(headers)
        cls = _status_class(status_code) if status_code >= 401 else ValidationError
        if cls is ValidationError:
            return ValidationError(
                message,
                status_code=status_code,
                errors=details,
                rate_limit=rate_limit,
                error_number=error_number,
                type=kind,
                elements=elements,
            )
        return _make(
            cls,
            message,
            status_code=status_code,
            rate_limit=rate_limit,
            errors=details,
            detail=summary,
        )

    def check_root(self, root: etree._Element, status_code: int) -> None:
        if root.tag != "Response":
            tag = root.tag if isinstance(root.tag, str) else "?"
            raise XeroResponseError(
                f"expected a <Response> document, got <{redact(tag)[:60]}> (HTTP {status_code})",
                status_code=status_code,
            )


def is_html_page(content: bytes) -> bool:
    """Whether a body is an HTML document (``<!DOCTYPE html>`` or ``<html>``): a web server's
    page, never an answer of Xero's API (whose 404 is a plain sentence sent as text/html)."""
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:64].lower()
    return head.startswith(b"<html") or head.startswith(b"<!doctype html")


_TITLE = re.compile(rb"<title[^>]*>([^<]{1,200})</title", re.IGNORECASE)


def html_title(content: bytes) -> str | None:
    """The ``<title>`` of an HTML page, if it has one."""
    match = _TITLE.search(content[:65536])
    return None if match is None else match.group(1).decode("utf-8", "replace")


ENVELOPE_READERS: dict[str, EnvelopeReader] = {
    "response-errors": ResponseErrorsReader(),
    "api-exception": ApiExceptionReader(),
}
