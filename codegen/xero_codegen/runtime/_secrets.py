"""Keeping the partner key and the customer key out of every log line, repr and message.

The keys travel in the query string, so httpx and httpcore would write them into their own
log records. Every client registers its keys here; a logging filter on the ``httpx``,
``httpcore`` and ``xero_customer_api`` loggers (and on httpcore's child loggers, because a
logger's filters do not see records that merely propagate through it) replaces any
registered key (plain or URL-encoded) with ``***`` before a handler sees the record. The
filter also renders a record's traceback (``exc_info``) and ``stack_info`` redacted, so a
handler that prints them prints the redacted text.
"""

from __future__ import annotations

import logging
import threading
from urllib.parse import quote, quote_plus

__all__ = ["MASK", "SecretFilter", "forget_secret", "redact", "register_secret"]

MASK = "***"
_lock = threading.Lock()
_secrets: frozenset[str] = frozenset()
_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "hpack",
    "xero_customer_api",
)


def register_secret(value: str) -> None:
    """Remember a secret so that :func:`redact` and the log filter hide it."""
    global _secrets
    if not value:
        return
    forms = {value, quote(value, safe=""), quote_plus(value), _httpx_form(value)}
    with _lock:
        _secrets = _secrets | {f for f in forms if len(f) >= 4}
    _install_filters()


def forget_secret(value: str) -> None:
    """Stop hiding a secret that is no longer valid (a rotated token), so the set stays small."""
    if not value:
        return
    global _secrets
    forms = {value, quote(value, safe=""), quote_plus(value), _httpx_form(value)}
    with _lock:
        _secrets = _secrets - forms


def _httpx_form(value: str) -> str:
    """The key as httpx writes it into a query string (its own choice of safe characters)."""
    try:
        import httpx

        return str(httpx.QueryParams({"k": value}))[2:]
    except Exception:  # pragma: no cover - httpx is a dependency; never fail registering
        return value


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ``***``."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class SecretFilter(logging.Filter):
    """Rewrites a record's message so that no registered secret survives."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not _secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the logging module's business, not ours
            return True
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg = cleaned
            record.args = None
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text when it is set: render the traceback once, redacted.
            try:
                record.exc_text = redact(_FORMATTER.formatException(record.exc_info))
            except Exception:
                record.exc_text = "(traceback withheld: it could not be rendered)"
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_FORMATTER = logging.Formatter()


_FILTER = SecretFilter()


def _install_filters() -> None:
    with _lock:
        for name in _LOGGERS:
            logger = logging.getLogger(name)
            if _FILTER not in logger.filters:
                logger.addFilter(_FILTER)
