"""Keeping secrets (partner and customer keys, tokens, client secrets) out of every log
line, repr and message.

One mechanism for every kind of secret: whatever authenticates a call registers its values
with :func:`register_secret` (the 1.0 keys, and any later scheme's tokens or client secrets).
A registered secret is hidden: :func:`redact` replaces every occurrence, plain or in one of
its URL-encoded forms, with ``***`` (the longest match first, so a secret that contains
another is hidden whole). Callers refuse values too short to be real secrets before
registering them (see :func:`._auth.key_problem`, :func:`secret_problem`): a one-letter
"secret" would mask that letter everywhere, so shorter values are never registered.

The keys travel in the query string, so httpx and httpcore would write them into their own
log records. A logging filter on the ``httpx``, ``httpcore`` and ``xero_customer_api``
loggers (and on httpcore's child loggers, because a logger's filters do not see records that
merely propagate through it) redacts a record before a handler sees it. The filter also
renders a record's traceback (``exc_info``) and ``stack_info`` redacted, so a handler that
prints them prints the redacted text.
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import quote, quote_plus

__all__ = [
    "MASK",
    "MIN_SECRET_LENGTH",
    "SecretFilter",
    "forget_secret",
    "redact",
    "register_secret",
    "secret_problem",
]

MASK = "***"
MIN_SECRET_LENGTH = 8
"""The shortest token or client secret accepted (Xero's are far longer: access tokens over a
thousand characters, client secrets 48). Redaction is process-wide (the log filter cannot know
which client wrote a record), so a shorter "secret" would mask ordinary words in every message
of every client; :func:`register_secret` ignores shorter values, and the credentials' checks
refuse them (see :func:`secret_problem`)."""


def secret_problem(label: str, value: object) -> str | None:
    """Why ``value`` cannot be a real token or secret (``label`` names it), or None. Never
    shows the value."""
    if not isinstance(value, str) or not value:
        return f"{label} must be a non-empty string"
    if not all(" " < c <= "~" for c in value):
        return f"{label} must be visible ASCII characters only (no spaces, line breaks or controls)"
    if len(value) < MIN_SECRET_LENGTH:
        return (
            f"{label} is too short to be a real one ({len(value)} characters; at least "
            f"{MIN_SECRET_LENGTH} are required): so short a value cannot be hidden from logs and "
            "messages without masking ordinary words; in tests use a longer fake value"
        )
    return None


_lock = threading.Lock()
_secrets: frozenset[str] = frozenset()
_pattern: re.Pattern[str] | None = None
"""Every registered form, longest first (one pass of ``sub`` hides them all)."""
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
    """Remember a secret (any length) so that :func:`redact` and the log filter hide it."""
    global _secrets, _pattern
    if not isinstance(value, str) or len(value) < MIN_SECRET_LENGTH:
        return  # refused where it was given (secret_problem); masking it would mangle text
    forms = {value, quote(value, safe=""), quote_plus(value), _httpx_form(value)}
    with _lock:
        if not forms <= _secrets:
            secrets = _secrets | {f for f in forms if f}
            ordered = sorted(secrets, key=lambda f: (-len(f), f))
            _pattern = re.compile("|".join(re.escape(f) for f in ordered))
            _secrets = secrets  # after the pattern: a reader never sees a secret it cannot hide
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
    """The secret as httpx writes it into a query string (its own choice of safe characters)."""
    try:
        import httpx

        return str(httpx.QueryParams({"k": value}))[2:]
    except Exception:  # pragma: no cover - httpx is a dependency; never fail registering
        return value


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ``***``."""
    pattern, secrets = _pattern, _secrets
    # Substring checks first: about ten times faster than the pattern on text without any.
    if pattern is None or not any(secret in text for secret in secrets):
        return text
    return pattern.sub(MASK, text)


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
