"""Keeping secrets (partner and customer keys, tokens, client secrets) out of every log
line, repr and message, scoped to whoever holds them.

A :class:`Secrets` is the set of secrets one holder keeps: a client's credentials (its keys,
its tokens as they are fetched and rotated, its client secret), or a token exchange
(:func:`._oauth.exchange_code`: the code, the verifier, the token it gets back). Whatever
authenticates a call adds its values with :meth:`Secrets.add`; a value too short to be a real
secret is never added (the credentials' checks refuse it where it is given: see
:func:`secret_problem`), since masking a short value would mangle ordinary words.

Redaction is scoped:

- A client's call runs inside its secrets' :meth:`Secrets.scope` (see :func:`scoped`, applied
  to the clients' ``_request``): every message, repr and exception built meanwhile by
  :func:`redact` masks that client's secrets (and the process-wide ones of
  :func:`register_secret`), never the secrets of another client. A short word that happens to
  be part of another client's token stays as written.
- Outside any call (a message built by the CLI, a helper of the SDK called directly),
  :func:`redact` masks the secrets of every *live* holder: the clients not yet closed or
  collected (:func:`hold`, :func:`release`; a weak registry, so a forgotten client stops
  counting once collected), plus the process-wide ones.
- The logging filter cannot know which client wrote a record (httpx and httpcore log from
  deep inside a call, a handler may run later): it masks the secrets of the current scope and
  of every live holder, so httpx's and httpcore's lines stay clean while a client lives; a
  closed client's secrets no longer touch anyone's lines.

A masked secret, plain or in one of its URL-encoded forms, reads ``***`` (the longest match
first, so a secret that contains another is hidden whole).

The keys travel in the query string, so httpx and httpcore would write them into their own
log records. A logging filter on the ``httpx``, ``httpcore`` and ``xero_customer_api``
loggers (and on httpcore's child loggers, because a logger's filters do not see records that
merely propagate through it) redacts a record before a handler sees it. The filter also
renders a record's traceback (``exc_info``) and ``stack_info`` redacted, so a handler that
prints them prints the redacted text.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import inspect
import logging
import re
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar, cast
from urllib.parse import quote, quote_plus

__all__ = [
    "MASK",
    "MIN_SECRET_LENGTH",
    "SecretFilter",
    "Secrets",
    "forget_secret",
    "hold",
    "redact",
    "register_secret",
    "release",
    "scope_of",
    "scoped",
    "secret_problem",
]

MASK = "***"
MIN_SECRET_LENGTH = 8
"""The shortest token or client secret accepted (Xero's are far longer: access tokens over a
thousand characters, client secrets 48). The log filter masks the secrets of every live client
(it cannot know which client wrote a record), so a shorter "secret" would mask ordinary words
in log lines; :meth:`Secrets.add` ignores shorter values, and the credentials' checks refuse
them (see :func:`secret_problem`)."""

F = TypeVar("F", bound=Callable[..., Any])


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


def _forms(value: str) -> set[str]:
    """The secret as written plain and in the URL encodings it may travel in."""
    return {f for f in (value, quote(value, safe=""), quote_plus(value), _httpx_form(value)) if f}


def _httpx_form(value: str) -> str:
    """The secret as httpx writes it into a query string (its own choice of safe characters)."""
    try:
        import httpx

        return str(httpx.QueryParams({"k": value}))[2:]
    except Exception:  # pragma: no cover - httpx is a dependency; never fail registering
        return value


def _compile(forms: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted(set(forms), key=lambda f: (-len(f), f))
    return re.compile("|".join(re.escape(f) for f in ordered)) if ordered else None


def _mask(text: str, forms: frozenset[str], pattern: re.Pattern[str] | None) -> str:
    # Substring checks first: about ten times faster than the pattern on text without any.
    if pattern is None or not any(form in text for form in forms):
        return text
    return pattern.sub(MASK, text)


_lock = threading.RLock()
_version = 0
"""Bumped whenever a live set changes (a secret added or forgotten, a holder held, released
or collected): the log filter's union is rebuilt on the next record."""


def _changed() -> None:
    global _version
    with _lock:
        _version += 1


class Secrets:
    """The secrets one holder keeps (a client's credentials, a token exchange)."""

    __slots__ = ("__weakref__", "_forms", "_pattern", "_values")

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._values: dict[str, None] = {}  # the secrets as given, oldest first
        self._forms: frozenset[str] = frozenset()
        self._pattern: re.Pattern[str] | None = None
        for value in values:
            self.add(value)

    def add(self, value: object) -> None:
        """Hide ``value`` from now on (ignored when too short to be a real secret)."""
        if not isinstance(value, str) or len(value) < MIN_SECRET_LENGTH:
            return  # refused where it was given (secret_problem); masking it would mangle text
        with _lock:
            if value in self._values:
                return
            self._values[value] = None
            self._rebuild()
        _install_filters()

    def discard(self, value: object) -> None:
        """Stop hiding a secret that is no longer valid (a rotated token)."""
        with _lock:
            if isinstance(value, str) and self._values.pop(value, 0) is None:
                self._rebuild()

    def clear(self) -> None:
        """Forget every secret (the holder is done with them)."""
        with _lock:
            self._values.clear()
            self._rebuild()

    def _rebuild(self) -> None:
        forms: set[str] = set()
        for value in self._values:
            forms |= _forms(value)
        pattern = _compile(forms)
        # the pattern first: a reader never sees a form it cannot hide
        self._pattern, self._forms = pattern, frozenset(forms)
        _changed()

    @property
    def forms(self) -> frozenset[str]:
        """Every form hidden (the secrets and their URL encodings)."""
        return self._forms

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, value: object) -> bool:
        return value in self._values

    def redact(self, text: str) -> str:
        """``text`` with this holder's secrets (only) replaced by ``***``."""
        return _mask(text, self._forms, self._pattern)

    @contextlib.contextmanager
    def scope(self) -> Iterator[None]:
        """Within: :func:`redact` masks these secrets (and the process-wide ones) only."""
        token = _scope.set(self)
        try:
            yield
        finally:
            _scope.reset(token)

    def __repr__(self) -> str:
        return f"Secrets({len(self._values)} hidden)"


_scope: contextvars.ContextVar[Secrets | None] = contextvars.ContextVar(
    "xero_secrets_scope", default=None
)
_PROCESS = Secrets()
"""Secrets of the process itself (:func:`register_secret`: e.g. the CLI's keys, read once
from the environment): hidden everywhere, in every scope, for the life of the process."""
_holders: weakref.WeakKeyDictionary[object, Secrets] = weakref.WeakKeyDictionary()
"""The live holders (clients not yet closed or collected) and their secrets."""
_union: tuple[int, frozenset[str], re.Pattern[str] | None] = (-1, frozenset(), None)


def hold(owner: object, secrets: Secrets) -> None:
    """``owner`` (a client) holds ``secrets`` until :func:`release` or until it is collected:
    meanwhile the log filter (and :func:`redact` outside any call) masks them."""
    with _lock:
        _holders[owner] = secrets
        weakref.finalize(owner, _changed)  # collected: its secrets stop counting
    _changed()
    _install_filters()


def release(owner: object, *, with_copies: bool = False) -> None:
    """``owner`` is closed: its secrets no longer mask anything outside its own calls.
    ``with_copies``: every other holder of the same secrets is done too (a client that closed
    the connection pool its copies share)."""
    with _lock:
        secrets = _holders.pop(owner, None)
        if secrets is not None and with_copies:
            for other, held in list(_holders.items()):
                if held is secrets:
                    del _holders[other]
        if secrets is not None:
            _changed()


def _live() -> tuple[frozenset[str], re.Pattern[str] | None]:
    """Every form held by a live holder or the process, and their pattern (cached)."""
    global _union
    version, forms, pattern = _union
    if version == _version:
        return forms, pattern
    with _lock:
        version = _version
        held: set[str] = set(_PROCESS.forms)
        for secrets in list(_holders.values()):
            held |= secrets.forms
        forms = frozenset(held)
        pattern = _compile(held)
        _union = (version, forms, pattern)
    return forms, pattern


def register_secret(value: str) -> None:
    """Hide ``value`` process-wide, for the life of the process (a secret no client holds,
    e.g. the CLI's keys). Clients keep their own secrets in a :class:`Secrets` instead."""
    _PROCESS.add(value)


def forget_secret(value: str) -> None:
    """Stop hiding a process-wide secret (see :func:`register_secret`)."""
    _PROCESS.discard(value)


def redact(text: str) -> str:
    """``text`` with the secrets in scope replaced by ``***``: within a client's call, that
    client's (and the process-wide ones); outside any call, those of every live holder."""
    scope = _scope.get()
    if scope is not None:
        return _PROCESS.redact(scope.redact(text))
    forms, pattern = _live()
    return _mask(text, forms, pattern)


def _redact_for_logs(text: str) -> str:
    """What the log filter masks: the current scope's secrets and every live holder's."""
    scope = _scope.get()
    forms, pattern = _live()
    text = _mask(text, forms, pattern)
    return text if scope is None else scope.redact(text)


def scoped(method: F) -> F:
    """Run a client method (sync or async) in its secrets' scope (``self._auth.secrets``).

    The SDK's errors leave it with the traceback the method gave them (the wrapper adds no
    frame of its own: it is named after the method, so a traceback stays one SDK frame deep).
    """
    from ._errors import XeroError  # here: _errors is imported after this module

    if inspect.iscoroutinefunction(method):

        async def ascoped(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                with _secrets_of(self).scope():
                    return await method(self, *args, **kwargs)
            except XeroError as error:
                raise error.with_traceback(None)  # noqa: B904 - the same error, not a new one

        return cast(F, _named(functools.wraps(method)(ascoped), method))

    def in_scope(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            with _secrets_of(self).scope():
                return method(self, *args, **kwargs)
        except XeroError as error:
            raise error.with_traceback(None)  # noqa: B904 - the same error, not a new one

    return cast(F, _named(functools.wraps(method)(in_scope), method))


def _named(wrapper: Callable[..., Any], method: Callable[..., Any]) -> Callable[..., Any]:
    """``wrapper`` with the code name of ``method`` (what tracebacks show)."""
    code = wrapper.__code__
    wrapper.__code__ = code.replace(co_name=method.__name__, co_qualname=method.__qualname__)
    return wrapper


def scope_of(client: object) -> contextlib.AbstractContextManager[None]:
    """The scope of ``client``'s secrets (for code of a client's call outside ``_request``)."""
    return _secrets_of(client).scope()


def _secrets_of(client: object) -> Secrets:
    found = getattr(getattr(client, "_auth", None), "secrets", None)
    return found if isinstance(found, Secrets) else _PROCESS


class SecretFilter(logging.Filter):
    """Rewrites a record's message so that no secret in scope or held by a live client
    survives."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not _live()[0] and _scope.get() is None:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the logging module's business, not ours
            return True
        cleaned = _redact_for_logs(message)
        if cleaned != message or record.args:
            record.msg = cleaned
            record.args = None
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text when it is set: render the traceback once, redacted.
            try:
                record.exc_text = _redact_for_logs(_FORMATTER.formatException(record.exc_info))
            except Exception:
                record.exc_text = "(traceback withheld: it could not be rendered)"
        elif record.exc_text:
            record.exc_text = _redact_for_logs(record.exc_text)
        if record.stack_info:
            record.stack_info = _redact_for_logs(record.stack_info)
        return True


_FORMATTER = logging.Formatter()


_FILTER = SecretFilter()
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


def _install_filters() -> None:
    with _lock:
        for name in _LOGGERS:
            logger = logging.getLogger(name)
            if _FILTER not in logger.filters:
                logger.addFilter(_FILTER)
