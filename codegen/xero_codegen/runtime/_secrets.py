"""Keeping the partner key and the customer key out of every log line, repr and message.

The keys travel in the query string, so httpx and httpcore would write them into their own
log records. Every client registers its keys here; a logging filter on the ``httpx``,
``httpcore`` and ``xero_customer_api`` loggers replaces any registered key (plain or
URL-encoded) with ``***`` before a handler sees the record.
"""

from __future__ import annotations

import logging
import threading
from urllib.parse import quote, quote_plus

__all__ = ["MASK", "SecretFilter", "redact", "register_secret"]

MASK = "***"
_lock = threading.Lock()
_secrets: frozenset[str] = frozenset()
_LOGGERS = ("httpx", "httpcore", "xero_customer_api")


def register_secret(value: str) -> None:
    """Remember a secret so that :func:`redact` and the log filter hide it."""
    global _secrets
    if not value:
        return
    forms = {value, quote(value, safe=""), quote_plus(value)}
    with _lock:
        _secrets = _secrets | {f for f in forms if len(f) >= 4}
    _install_filters()


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
        return True


_FILTER = SecretFilter()


def _install_filters() -> None:
    with _lock:
        for name in _LOGGERS:
            logger = logging.getLogger(name)
            if _FILTER not in logger.filters:
                logger.addFilter(_FILTER)
