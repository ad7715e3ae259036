"""The hand-written half of the ``xero`` command line (the commands themselves are generated).

The generated ``cli.py`` (global options, ``main``) and ``v*/_cli.py`` (a group per resource, a
command per endpoint) stay thin; everything they share lives here:

* :class:`Settings` and :class:`State`: credentials and target from options or ``XERO_*``
  environment variables, and the one place a client is built (:func:`build_http_client`).
* Output: ``--format table|json|jsonl|xml`` (a table on a terminal, JSON when piped) and
  ``--raw`` (the HTTP exchange, keys redacted).
* Input: a document from ``--file`` or standard input, as XML (the request's root element) or
  JSON in the model's shape; CSV import in batches; export as JSON lines.
* Errors: one line on standard error and an exit code per kind (:class:`ExitCode`).

JSON uses the models' field names; Decimal values are strings, dates and times ISO 8601,
enumerations their values. The same rules read JSON back (:func:`from_jsonable`).
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime
import enum
import json
import os
import re
import shutil
import ssl
import sys
import time
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click
import httpx
from lxml import etree
from xsdata.formats.dataclass.context import XmlContext

from ._auth import key_problem
from ._base_client import RawResponse, SyncAPIClient
from ._checks import Model, check_body
from ._errors import (
    AuthenticationError,
    InvalidCustomerKeyError,
    InvalidPartnerKeyError,
    NotFoundError,
    PermissionDeniedError,
    RequestValidationError,
    ValidationError,
    XeroAPIError,
    XeroError,
)
from ._query import check_one_of, encode_guid
from ._reports import render_report
from ._secrets import redact, register_secret
from ._tokens import TokenStore, same_token
from ._xml import UnsafeXMLError, bind, parse_document

__all__ = [
    "DATE",
    "DATETIME",
    "EXIT_CODES_HELP",
    "GUID",
    "PROGRESS_THRESHOLD",
    "ByteProgress",
    "CliError",
    "Columns",
    "EnvironmentChoice",
    "ExitCode",
    "InputError",
    "IntChoice",
    "InvoiceCsv",
    "ProfileTokenStore",
    "Progress",
    "Refetch",
    "Settings",
    "State",
    "XeroGroup",
    "binary_output",
    "binary_output_options",
    "build_http_client",
    "columns_for",
    "export_invoices_csv",
    "export_items",
    "flat_rows",
    "from_jsonable",
    "import_csv",
    "input_options",
    "login_commands",
    "output_options",
    "profile_backend",
    "progress_option",
    "read_batch",
    "read_document",
    "require_one_of",
    "to_jsonable",
    "transfer_progress_option",
    "upload_source",
    "with_lines_option",
]

T = TypeVar("T")
B = TypeVar("B")
C = TypeVar("C", bound=SyncAPIClient)
F = TypeVar("F", bound=Callable[..., Any])

OUTPUT_FORMATS = ("table", "json", "jsonl", "csv", "xml")
EXPORT_FORMATS = ("jsonl", "json")
INPUT_FORMATS = ("auto", "xml", "json")


# ---------------------------------------------------------------------------- exit codes


class ExitCode(enum.IntEnum):
    """The exit status of ``xero``, one per kind of failure."""

    OK = 0
    USAGE = 2  # bad option or argument, or an input document that cannot be read; nothing sent
    AUTH = 3  # credentials missing, or the partner key / customer key was refused
    NOT_FOUND = 4  # no such contact or invoice
    # Xero refused the document or a parameter, or the document failed the SDK's checks
    # before sending (import: a row was rejected)
    VALIDATION = 5
    SERVER = 6  # Xero failed (5xx, 429), the network failed, or the answer was unreadable


EXIT_CODES_HELP = (
    "\b\nExit codes:\n"
    "  0  success\n"
    "  2  usage: bad option or argument, or an input document that cannot be read\n"
    "     (not XML or JSON, unknown or missing fields, wrong types); nothing was sent\n"
    "  3  auth: credentials missing or refused (keys, token, tenant or scope)\n"
    "  4  not found: no such contact or invoice\n"
    "  5  validation: Xero refused the document or a parameter, or the document failed\n"
    "     the checks made before sending (e.g. totals); import: rows were rejected\n"
    "  6  server or network: Xero failed (5xx, rate limit), timeout, unreadable answer"
)


class CliError(click.ClickException):
    """A failure reported as one line on standard error, with its exit code."""

    def __init__(self, message: str, exit_code: ExitCode) -> None:
        super().__init__(redact(" ".join(message.split())))
        # click reads the code from the instance; its class attribute is only the default
        object.__setattr__(self, "exit_code", int(exit_code))


class InputError(CliError):
    """The input document or file cannot be used (exit code 2)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, ExitCode.USAGE)


def exit_code_for(error: XeroError) -> ExitCode:
    """The exit code of an SDK error."""
    if isinstance(error, RequestValidationError):
        return ExitCode.USAGE
    if isinstance(
        error,
        (
            InvalidPartnerKeyError,
            InvalidCustomerKeyError,
            AuthenticationError,
            PermissionDeniedError,
        ),
    ):
        return ExitCode.AUTH
    if isinstance(error, NotFoundError):
        return ExitCode.NOT_FOUND
    if isinstance(error, ValidationError):
        return ExitCode.VALIDATION
    return ExitCode.SERVER


_KINDS = {
    ExitCode.USAGE: "invalid request",
    ExitCode.AUTH: "authentication failed",
    ExitCode.NOT_FOUND: "not found",
    ExitCode.VALIDATION: "validation failed",
    ExitCode.SERVER: "request failed",
}


def error_line(error: XeroError) -> str:
    """One line describing an SDK error (keys redacted)."""
    code = exit_code_for(error)
    message = error.message
    if isinstance(error, XeroAPIError) and error.descriptions:
        message = "; ".join(error.descriptions)
        if error.response_id:
            message += f" (Xero response id {error.response_id})"
    return f"{_KINDS[code]}: {message}"


class XeroGroup(click.Group):
    """The top-level group: turns SDK errors into one line and an exit code.

    With ``versions`` (API version -> its resource groups), the commands are those of the
    version chosen by the group's ``api_version`` parameter (``--api-version`` or its
    variable), else of ``default_version``.
    """

    versions: Mapping[str, Sequence[click.Command]] = {}
    default_version: str = ""

    def _version(self, ctx: click.Context) -> str:
        return str(ctx.params.get("api_version") or self.default_version)

    def _commands(self, ctx: click.Context) -> dict[str, click.Command]:
        found = {name: cmd for name, cmd in self.commands.items()}
        for command in self.versions.get(self._version(ctx), ()):
            if command.name:
                found[command.name] = command
        return found

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self._commands(ctx))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._commands(ctx).get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except XeroError as exc:
            raise CliError(error_line(exc), exit_code_for(exc)) from exc

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, **kwargs)
        except BrokenPipeError:  # `xero invoices export | head`: stop quietly
            with contextlib.suppress(OSError):
                sys.stdout.close()
            raise SystemExit(int(ExitCode.OK)) from None


# ---------------------------------------------------------------------------- parameter types


if TYPE_CHECKING:
    _GuidBase = click.ParamType[str, Any]
    _DateTimeBase = click.ParamType[datetime.datetime | datetime.date, Any]
    _DateBase = click.ParamType[datetime.date, Any]
else:  # click < 8.3 has no generic ParamType
    _GuidBase = _DateTimeBase = _DateBase = click.ParamType


class GuidType(_GuidBase):
    """A GUID such as 4c76ffb5-02e7-47c5-9a86-b0a5a35d1682."""

    name = "guid"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:  # the SDK's own check, so the shell accepts exactly what the client does
            return (
                encode_guid(param.name if param and param.name else "value", str(value).strip())
                or ""
            )
        except RequestValidationError:
            self.fail(
                f"{value!r} is not a GUID (e.g. 4c76ffb5-02e7-47c5-9a86-b0a5a35d1682)", param, ctx
            )


class DateTimeType(_DateTimeBase):
    """A date (meaning midnight UTC) or a date and time with its UTC offset (``Z`` or ``+13:00``).

    A date and time without an offset is refused: it would be sent as if it were UTC, which is
    hours off for anyone whose clock is not.
    """

    name = "datetime"

    def get_metavar(  # click < 8.2 passes no context
        self, param: click.Parameter, ctx: click.Context | None = None
    ) -> str | None:
        return "DATE|DATETIME+OFFSET"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime.datetime | datetime.date:
        if isinstance(value, (datetime.date, datetime.datetime)):
            return value
        text = str(value).strip()
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                return datetime.date.fromisoformat(text)
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            self.fail(
                f"{value!r} is not a date (2024-01-31) or a date and time (2024-01-31T09:30:00Z)",
                param,
                ctx,
            )
        if moment.utcoffset() is None:
            self.fail(
                f"{value!r} has no UTC offset: add one (e.g. {text}Z or {text}+13:00), "
                "or give a date alone, which means midnight UTC",
                param,
                ctx,
            )
        return moment


if TYPE_CHECKING:
    _IntBase = click.ParamType[int, Any]
else:
    _IntBase = click.ParamType


class IntChoice(_IntBase):
    """A whole number among ``choices`` (``--unit-dp 2|4``)."""

    name = "integer"

    def __init__(self, choices: Sequence[int]) -> None:
        self.choices = tuple(choices)

    def get_metavar(  # click < 8.2 passes no context
        self, param: click.Parameter, ctx: click.Context | None = None
    ) -> str | None:
        return "[" + "|".join(str(c) for c in self.choices) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            number = int(str(value).strip())
        except ValueError:
            number = None
        if number not in self.choices:
            allowed = " or ".join(str(c) for c in self.choices)
            self.fail(f"{value!r} is not {allowed}", param, ctx)
        return number


if TYPE_CHECKING:
    _StrBase = click.ParamType[str, Any]
else:
    _StrBase = click.ParamType


class EnvironmentChoice(_StrBase):
    """``--environment``: a host of the API version chosen by ``--api-version`` (which is
    read first), so that a version is never offered a host it does not have."""

    name = "environment"

    def __init__(self, per_version: Mapping[str, Sequence[str]], default_version: str) -> None:
        self.per_version = {k: tuple(v) for k, v in per_version.items()}
        self.default_version = default_version

    def _version(self, ctx: click.Context | None) -> str:
        chosen = ctx.params.get("api_version") if ctx is not None else None
        return str(chosen or self.default_version)

    def get_metavar(  # click < 8.2 passes no context
        self, param: click.Parameter, ctx: click.Context | None = None
    ) -> str | None:
        return "NAME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        version = self._version(ctx)
        hosts = self.per_version.get(version, ())
        if value not in hosts:
            self.fail(
                f"{value!r}: API {version} has only {' and '.join(hosts)} (another entry "
                "point, e.g. a sandbox: --base-url)",
                param,
                ctx,
            )
        return str(value)

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[Any]:
        from click.shell_completion import CompletionItem

        hosts = self.per_version.get(self._version(ctx), ())
        return [CompletionItem(h) for h in hosts if h.startswith(incomplete)]


GUID = GuidType()


class DateType(_DateBase):
    """A calendar date, YYYY-MM-DD (what a ``date`` query parameter sends)."""

    name = "date"

    def get_metavar(  # click < 8.2 passes no context
        self, param: click.Parameter, ctx: click.Context | None = None
    ) -> str | None:
        return "YYYY-MM-DD"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime.date:
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        text = str(value).strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                pass
        self.fail(f"{value!r} is not a date (2024-01-31)", param, ctx)


DATETIME = DateTimeType()
DATE = DateType()


def require_one_of(options: Mapping[str, object]) -> None:
    """Exactly one of the options must be given (a usage error otherwise)."""
    try:
        check_one_of(options)
    except RequestValidationError as exc:
        raise click.UsageError(exc.message) from None


# ---------------------------------------------------------------------------- settings and client


@dataclasses.dataclass(frozen=True)
class Settings:
    """Where and as whom to call: the global options (or their XERO_* variables)."""

    api_key: str | None = None
    customer_key: str | None = None
    access_token: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    tenant_id: str | None = None
    token_url: str | None = None
    environment: str | None = None
    base_url: str | None = None
    ca_bundle: str | None = None
    timeout: float | None = None
    max_retries: int | None = None
    profile: str | None = None  # a `xero login` profile (--profile, XERO_PROFILE)
    authorize_url: str | None = None


class _Recorder:
    """Keeps every HTTP exchange of a command, for ``--raw``."""

    def __init__(self) -> None:
        self.exchanges: list[tuple[httpx.Request, httpx.Response | None]] = []

    def on_request(self, request: httpx.Request) -> None:
        self.exchanges.append((request, None))

    def on_response(self, response: httpx.Response) -> None:
        response.read()  # the client's streaming read then replays these bytes
        for index in range(len(self.exchanges) - 1, -1, -1):
            if self.exchanges[index][0] is response.request:
                self.exchanges[index] = (response.request, response)
                break

    def write(self, out: IO[str]) -> None:
        for request, response in self.exchanges:
            out.write(f"> {request.method} {redact(str(request.url))}\n")
            for name, value in request.headers.items():
                out.write(f"> {name}: {redact(value)}\n")
            out.write(">\n")
            if request.content:
                out.write(redact(request.content.decode("utf-8", "replace")) + "\n")
            if response is None:
                out.write("< (no response)\n\n")
                continue
            out.write(
                f"< {response.http_version} {response.status_code} {response.reason_phrase}\n"
            )
            for name, value in response.headers.items():
                out.write(f"< {name}: {redact(value)}\n")
            out.write("<\n")
            body = redact(response.content.decode("utf-8", "replace"))
            out.write(body + ("" if body.endswith("\n") else "\n"))
            out.write("\n")
        out.flush()


def build_http_client(
    settings: Settings, event_hooks: Mapping[str, list[Callable[..., Any]]]
) -> httpx.Client:
    """The HTTP client of a command (tests may replace this function to mock the transport)."""
    verify: ssl.SSLContext | bool = True
    if settings.ca_bundle:
        try:
            verify = ssl.create_default_context(cafile=settings.ca_bundle)
        except (OSError, ssl.SSLError) as exc:
            raise CliError(
                f"cannot read the CA bundle {settings.ca_bundle}: {exc}", ExitCode.USAGE
            ) from exc
    return httpx.Client(verify=verify, event_hooks=dict(event_hooks))


NO_TENANT = (
    "no organisation (tenant) chosen: give --tenant-id ID or set XERO_TENANT_ID; "
    "`xero connections` lists the organisations your token can reach, with their tenant ids"
)


def _credentials(s: Settings, auth_style: str, *, tenant: bool = True) -> dict[str, Any]:
    """The client's credential arguments for its API version's auth style (all registered as
    secrets, so no output shows them).

    OAuth 2.0, in order: --access-token; a ``xero login`` profile named by --profile; a custom
    connection's --client-id and --client-secret; the "default" profile. With ``tenant``, an
    organisation must be chosen (exit code 3 and what to do otherwise).
    """
    if auth_style == "oauth2":
        for secret in (s.access_token, s.client_secret):
            if secret:
                register_secret(secret)
        found: dict[str, Any] | None = None
        tenant_id = s.tenant_id
        source = ""
        if s.access_token:
            found = {"access_token": s.access_token}
            source = (
                "the access token (--access-token or XERO_ACCESS_TOKEN) was refused: "
                "expired or revoked?"
            )
        elif s.profile or not (s.client_id and s.client_secret):
            name = s.profile or "default"
            saved = load_profile(name)
            if saved is None and s.profile:
                raise CliError(
                    f"no login for the profile {name!r}: run xero login --profile {name}",
                    ExitCode.AUTH,
                )
            if saved is not None:
                record, store = saved
                found = {
                    "token": record["token"],
                    "client_id": record["client_id"],
                    "token_store": store,
                }
                token_url = s.token_url or record.get("token_url")
                if token_url:
                    found["token_url"] = token_url
                tenant_id = tenant_id or record.get("tenant_id")
                if record.get("base_url") and not s.base_url:  # where the login was made
                    found["_base_url"] = record["base_url"]
                source = (
                    f"the login of the profile {name!r} was refused: "
                    f"run xero login --profile {name} again"
                )
        if found is None and s.client_id and s.client_secret:
            found = {"client_id": s.client_id, "client_secret": s.client_secret}
            source = (
                "the custom connection's --client-id and --client-secret were refused: "
                "are they the app's?"
            )
            if s.token_url:
                found["token_url"] = s.token_url
        if found is None:
            raise CliError(
                "no credentials: run xero login, or give --access-token (XERO_ACCESS_TOKEN), "
                "or --client-id and --client-secret (XERO_CLIENT_ID, XERO_CLIENT_SECRET) of a "
                "custom connection",
                ExitCode.AUTH,
            )
        if tenant and not tenant_id:
            raise CliError(NO_TENANT, ExitCode.AUTH)
        return {**found, "tenant_id": tenant_id or None, "_source": source}
    if not s.api_key:
        raise CliError("no partner key: give --api-key or set XERO_API_KEY", ExitCode.AUTH)
    if not s.customer_key:
        raise CliError(
            "no customer key: give --customer-key or set XERO_CUSTOMER_KEY", ExitCode.AUTH
        )
    for label, key in (
        ("the partner key (--api-key or XERO_API_KEY)", s.api_key),
        ("the customer key (--customer-key or XERO_CUSTOMER_KEY)", s.customer_key),
    ):
        problem = key_problem(label, key)
        if problem is not None:  # refused before it is registered or sent
            raise CliError(problem, ExitCode.AUTH)
    register_secret(s.api_key)
    register_secret(s.customer_key)
    return {"api_key": s.api_key, "customer_key": s.customer_key}


def _noun(cls: type | None) -> str:
    name = cls.__name__ if cls is not None else "record"
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()


@contextlib.contextmanager
def _explained(
    asked: Mapping[str, object], record: type | None, tenant_id: Any, source: str = ""
) -> Iterator[None]:
    """SDK errors with what the command asked for: the record a 404 did not find (and the
    options naming it), the filter Xero could not read, the tenant a 403 refused."""
    given = {k: v for k, v in asked.items() if v is not None}
    try:
        yield
    except NotFoundError as exc:
        named = [f"{k} {v}" for k, v in given.items() if k not in ("--where", "--order")]
        if not named:
            raise
        raise CliError(
            f"not found: no {_noun(record)} with {' and '.join(named)} "
            f"({error_line(exc).removeprefix('not found: ')})",
            ExitCode.NOT_FOUND,
        ) from exc
    except ValidationError as exc:
        shown = [f"{k} {v!r}" for k, v in given.items() if k in ("--where", "--order")]
        about_the_filter = getattr(exc, "type", None) == "QueryParseException" or re.search(
            r"where|order",
            exc.message + " ".join(exc.descriptions if isinstance(exc, XeroAPIError) else ()),
            re.I,
        )
        if not shown or not about_the_filter:
            raise
        raise CliError(f"{error_line(exc)} ({', '.join(shown)})", ExitCode.VALIDATION) from exc
    except AuthenticationError as exc:
        if not source:
            raise
        raise CliError(f"{error_line(exc)}; {source}", ExitCode.AUTH) from exc
    except PermissionDeniedError as exc:
        if not tenant_id:
            raise
        raise CliError(
            f"{error_line(exc)}: is the organisation {tenant_id} (--tenant-id or "
            "XERO_TENANT_ID) connected to this token, with the scope this needs? "
            "`xero connections` lists the organisations it can reach",
            ExitCode.AUTH,
        ) from exc


class State:
    """The context object of every command: settings, output choices, the client."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.raw = False

    @contextlib.contextmanager
    def client(
        self,
        client_class: type[C],
        *,
        raw: bool = False,
        tenant: bool = True,
        asked: Mapping[str, object] | None = None,
        record: type | None = None,
    ) -> Iterator[C]:
        """A client of ``client_class`` for one command, closed afterwards.

        With ``raw``, every HTTP exchange is written to standard output when the command ends
        (also when it fails), and :meth:`emit` writes nothing else. ``tenant``: the command
        needs an organisation (all but ``xero connections``). ``asked``: the options that
        name what the command reads (``--invoice-id``, ``--where``), repeated in its errors;
        ``record``: the model it answers, named in a not-found error.
        """
        s = self.settings
        style = getattr(client_class, "_auth_style", "query-keys")
        credentials = _credentials(s, style, tenant=tenant)
        source = credentials.pop("_source", "")
        if "_base_url" in credentials:
            s = dataclasses.replace(s, base_url=credentials.pop("_base_url"))
        with (
            _explained(asked or {}, record, credentials.get("tenant_id"), source),
            self._client(client_class, s, credentials, raw) as client,
        ):
            yield client

    @contextlib.contextmanager
    def _client(
        self, client_class: type[C], s: Settings, credentials: dict[str, Any], raw: bool
    ) -> Iterator[C]:
        self.raw = raw
        recorder = _Recorder()
        hooks: dict[str, list[Callable[..., Any]]] = (
            {"request": [recorder.on_request], "response": [recorder.on_response]} if raw else {}
        )
        http = build_http_client(s, hooks)
        try:
            options: dict[str, Any] = {}
            if s.timeout is not None:
                options["timeout"] = s.timeout
            if s.max_retries is not None:
                options["max_retries"] = s.max_retries
            client = client_class(
                **credentials,
                environment=None if s.base_url else s.environment,
                base_url=s.base_url or None,
                http_client=http,
                **options,
            )
            try:
                yield client
            finally:
                if raw:
                    recorder.write(sys.stdout)
        finally:
            http.close()

    def emit(
        self,
        raw: RawResponse[Any],
        payload: str,
        output_format: str | None,
        *,
        one: bool = False,
        columns: Columns | None = None,
    ) -> None:
        """Write the payload of an answer in the chosen format (nothing with ``--raw``).

        With ``one`` (an endpoint that answers one record: get, create, save), the record
        itself: a key/value view as a table, an object as JSON; otherwise the list.
        """
        if self.raw:
            return
        fmt = resolve_format(output_format)
        if fmt == "xml":
            click.echo(raw.content, nl=not raw.content.endswith(b"\n"))
            return
        value = getattr(raw.parsed, payload)
        if one and isinstance(value, list) and len(value) == 1:
            value = value[0]
        write_value(value, fmt, payload, columns)


# ---------------------------------------------------------------------------- options


def _split_columns(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[str, ...] | None:
    if value is None:
        return None
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    if not names:
        raise click.BadParameter(f"{value!r} names no column (e.g. --columns name,status)")
    return names


def columns_option(func: F) -> F:
    """``--columns a,b,c``, passed as ``columns`` (a tuple of field names, or None)."""
    return click.option(
        "--columns",
        "columns",
        metavar="A,B,C",
        default=None,
        callback=_split_columns,
        help="The fields to show, in order, comma-separated (a dotted path for a nested "
        "one, e.g. contact.email_address): a table's columns, a record's lines, or the keys "
        "of each JSON object.",
    )(func)


def output_options(func: F) -> F:
    """``--format``, ``--columns`` and ``--raw``, passed as ``output_format``, ``columns`` and
    ``raw``."""
    func = columns_option(func)
    func = click.option(
        "--raw",
        is_flag=True,
        help="Show the raw HTTP exchange instead (method, URL, status, headers, bodies; keys redacted).",
    )(func)
    func = click.option(
        "--format",
        "output_format",
        type=click.Choice(OUTPUT_FORMATS),
        default=None,
        help="Output format: table (default on a terminal), json (default when piped), "
        "jsonl (one JSON object a line), csv (every field, or --columns) or xml (the response "
        "body as received).",
    )(func)
    return func


def input_options(func: F) -> F:
    """``--file`` and ``--input-format``, passed as ``input_file`` and ``input_format``."""
    func = click.option(
        "--input-format",
        type=click.Choice(INPUT_FORMATS),
        default="auto",
        show_default=True,
        help="Format of the document; auto looks at its first character.",
    )(func)
    func = click.option(
        "--file",
        "-f",
        "input_file",
        type=click.File("rb"),
        default="-",
        help="The document to send, as XML or as JSON in the model's shape (default: standard input).",
    )(func)
    return func


# ---------------------------------------------------------------------------- output


def resolve_format(output_format: str | None) -> str:
    """The output format: as given, else a table on a terminal and JSON otherwise."""
    if output_format:
        return output_format
    return "table" if sys.stdout.isatty() else "json"


def to_jsonable(value: Any) -> Any:
    """A model (or any value in one) as plain JSON data, keyed by the models' field names."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@dataclasses.dataclass(frozen=True)
class Columns:
    """The fields a command shows: ``given`` by ``--columns`` (which also picks the keys of
    JSON output), else the resource's ``default`` table columns (manifest ``cli_columns``)."""

    given: tuple[str, ...] | None = None
    default: tuple[str, ...] | None = None

    @property
    def table(self) -> tuple[str, ...] | None:
        return self.given or self.default


def _field_types(cls: Any) -> dict[str, Any] | None:
    """The fields of a model class and their types (None for a value that is not a model)."""
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        return None
    hints = _hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def _model_of(tp: Any) -> Any:
    """The model class inside ``X | None`` (or the type itself)."""
    if typing.get_origin(tp) in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else tp
    return tp


def column_names(item_cls: type) -> list[str]:
    """The column names of a model: its fields, and ``field.sub`` for each nested model's."""
    names: list[str] = []
    for name, tp in (_field_types(item_cls) or {}).items():
        names.append(name)
        nested = _field_types(_model_of(tp))
        if nested is not None:
            names.extend(f"{name}.{sub}" for sub in nested)
    return names


def columns_for(
    given: tuple[str, ...] | None,
    item_cls: type,
    defaults: Mapping[type, Sequence[str]] | None = None,
) -> Columns:
    """The columns of a command that answers ``item_cls`` models, checked before anything is
    sent: ``--columns`` names must be fields of the model (a usage error naming the refused
    name and the model's fields otherwise)."""
    if given:
        known = column_names(item_cls)
        for name in given:
            if name not in known:
                close = [k for k in known if _norm(k) == _norm(name)]
                hint = f" (did you mean {close[0]}?)" if close else ""
                top = ", ".join(k for k in known if "." not in k)
                raise click.BadParameter(
                    f"{name!r} is not a field of {item_cls.__name__}{hint}; its fields: {top} "
                    "(a nested one as field.sub, e.g. contact.name)",
                    param_hint="'--columns'",
                )
    default = (defaults or {}).get(item_cls)
    return Columns(given=given or None, default=tuple(default) if default else None)


def _value_at(item: Any, path: str) -> Any:
    value = item
    for part in path.split("."):
        if value is None:
            return None
        value = getattr(value, part, None)
    return value


def _project(item: Any, names: Sequence[str]) -> dict[str, Any]:
    return {name: to_jsonable(_value_at(item, name)) for name in names}


def write_value(value: Any, fmt: str, label: str, columns: Columns | None = None) -> None:
    """Write a payload (one model or a list of them) as table, json, jsonl or csv.

    ``columns``: a table's columns (or a record's lines); ``--columns`` also picks the keys of
    each JSON object.
    """
    out = sys.stdout
    report = render_report(value, fmt)  # a report: its flattened table (runtime/_reports.py)
    if report is not None:
        out.write(report)
        return
    given = columns.given if columns else None
    table = columns.table if columns else None
    if fmt in ("json", "jsonl"):
        items = value if isinstance(value, list) else [value]
        plain = [_project(i, given) if given else to_jsonable(i) for i in items]
        if fmt == "jsonl":
            for entry in plain:
                out.write(json.dumps(entry, ensure_ascii=False) + "\n")
        else:
            document = plain if isinstance(value, list) else plain[0]
            out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    elif fmt == "csv":  # every field (a file for another program), or the --columns given
        items = value if isinstance(value, list) else [value]
        names = (
            list(given)
            if given
            else [f.name for f in dataclasses.fields(items[0])]
            if items
            else []
        )
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        writer.writerows([_cell(_value_at(item, n)) for n in names] for item in items)
    elif isinstance(value, list):
        out.write(render_table(value, label, table))
    else:
        out.write(render_record(value, given))
    out.flush()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = getattr(value, "name", None)
        if isinstance(name, str):
            parts = [name] + [
                _cell(getattr(value, f.name))
                for f in dataclasses.fields(value)
                if f.name == "option"
            ]
            return "=".join(p for p in parts if p)
        return " ".join(
            _cell(v)
            for v in (getattr(value, f.name) for f in dataclasses.fields(value))
            if _scalar(v)
        )
    plain = to_jsonable(value)
    return "yes" if plain is True else "no" if plain is False else str(plain)


def _scalar(value: Any) -> bool:
    return value is not None and not isinstance(value, list) and not dataclasses.is_dataclass(value)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


_AUDIT = ("validation_status", "validation_errors", "warnings", "has_validation_errors")


def derived_columns(items: Sequence[Any]) -> list[str]:
    """A table's columns without ``cli_columns``: the fields that have a value in some row,
    ids and audit fields (``*_id``, ``updated_date_utc``) last."""
    names = [f.name for f in dataclasses.fields(items[0]) if f.name not in _AUDIT]
    shown = [n for n in names if any(_cell(getattr(item, n)) for item in items)]
    late = [n for n in shown if n.endswith(("_id", "_utc")) or n == "id"]
    return [n for n in shown if n not in late] + late


def table_width() -> int:
    """The width tables fit: the terminal's (or ``COLUMNS``), 100 when it is not a terminal."""
    return shutil.get_terminal_size((100, 24)).columns


def _is_number(values: Sequence[Any]) -> bool:
    found = [v for v in values if v is not None]
    return bool(found) and all(
        isinstance(v, (Decimal, int)) and not isinstance(v, bool) for v in found
    )


def render_table(items: Sequence[Any], label: str, columns: Sequence[str] | None = None) -> str:
    """Rows of models as an aligned text table that fits :func:`table_width`.

    ``columns`` in order (field names or dotted paths), else :func:`derived_columns`. Text
    columns wider than the room are clipped (``…``), the widest first, never below their
    heading or an id's full length; if that is not enough, trailing columns are left out.
    Numbers are right-aligned; nested lists are summarised in one cell.
    """
    if not items:
        return f"(no {label.replace('_', ' ')})\n"
    names = list(columns) if columns else derived_columns(items)
    values = [[_value_at(item, n) for n in names] for item in items]
    rows = [[_clip(_cell(v), 40) for v in row] for row in values]
    heads = [n.upper() for n in names]
    numeric = [_is_number([row[i] for row in values]) for i in range(len(names))]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]
    floors = [
        widths[i]
        if numeric[i] or n.endswith("_id") or n == "id"
        else min(widths[i], max(len(heads[i]), 16))
        for i, n in enumerate(names)
    ]
    limit = table_width()
    while sum(widths) + 2 * (len(widths) - 1) > limit:
        room = [(widths[i] - floors[i], i) for i in range(len(widths)) if widths[i] > floors[i]]
        if not room:
            break
        excess = sum(widths) + 2 * (len(widths) - 1) - limit
        _, widest = max((widths[i], i) for _, i in room)
        widths[widest] -= min(excess, widths[widest] - floors[widest], max(1, excess))
    shown, total = 0, 0
    for width in widths:  # still too wide: leave out trailing columns rather than wrap
        if shown and total + width > limit:
            break
        total += width + 2
        shown += 1

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            (cells[i].rjust if numeric[i] else cells[i].ljust)(widths[i])
            if len(cells[i]) <= widths[i]
            else _clip(cells[i], widths[i])
            for i in range(shown)
        ).rstrip()

    lines = [line(heads), "  ".join("-" * widths[i] for i in range(shown))]
    lines.extend(line(r) for r in rows)
    return "\n".join(lines) + "\n"


def render_record(item: Any, columns: Sequence[str] | None = None) -> str:
    """One model as ``field: value`` lines, its lists of models as tables below (only the
    ``columns`` given, when given)."""
    pairs: list[tuple[str, str]] = []
    tables: list[str] = []

    def walk(obj: Any, prefix: str) -> None:
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if value is None or value == [] or f.name in _AUDIT:
                continue
            if isinstance(value, list) and dataclasses.is_dataclass(value[0]):
                tables.append(f"\n{prefix}{f.name} ({len(value)}):\n" + render_table(value, f.name))
            elif dataclasses.is_dataclass(value):
                walk(value, f"{prefix}{f.name}.")
            else:
                pairs.append((prefix + f.name, _cell(value)))

    if columns:
        for name in columns:
            value = _value_at(item, name)
            if isinstance(value, list) and value and dataclasses.is_dataclass(value[0]):
                tables.append(f"\n{name} ({len(value)}):\n" + render_table(value, name))
            else:
                pairs.append((name, _cell(value)))
    else:
        walk(item, "")
    width = max((len(k) for k, _ in pairs), default=0)
    return "".join(f"{k.ljust(width)}  {v}".rstrip() + "\n" for k, v in pairs) + "".join(tables)


# ---------------------------------------------------------------------------- input


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_jsonable(cls: type[T], data: Any, path: str = "") -> T:
    """Build a model from JSON data in its shape; :class:`InputError` names the bad field."""
    result: T = _decode(cls, data, path or cls.__name__)
    return result


def _decode(tp: Any, value: Any, path: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None:
            return None
        return _decode(args[0], value, path)
    if origin is list:
        if not isinstance(value, list):
            raise InputError(f"{path}: expected a list, got {_json_kind(value)}")
        (item_type,) = typing.get_args(tp)
        return [_decode(item_type, v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise InputError(f"{path}: expected an object, got {_json_kind(value)}")
        fields = {f.name: f for f in dataclasses.fields(tp)}
        unknown = sorted(set(value) - set(fields))
        if unknown:
            raise InputError(f"{path}: unknown field {unknown[0]!r} (fields: {', '.join(fields)})")
        hints = _hints(tp)
        kwargs: dict[str, Any] = {}
        for name, f in fields.items():
            required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            if value.get(name) is None:
                if required:
                    raise InputError(f"{path}.{name} is required")
                continue
            kwargs[name] = _decode(hints[name], value[name], f"{path}.{name}")
        return tp(**kwargs)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        try:
            return tp(value)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in tp)
            raise InputError(f"{path}: {value!r} is not one of {allowed}") from None
    if tp is Decimal:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise InputError(f"{path}: expected a number, got {_json_kind(value)}")
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise InputError(f"{path}: {value!r} is not a number") from None
        if not number.is_finite():
            raise InputError(f"{path}: {value!r} is not a finite number")
        return number
    if tp is datetime.datetime:
        moment = _parse_text(value, path, datetime.datetime.fromisoformat, "a date and time")
        return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
    if tp is datetime.date:
        text = value[:10] if isinstance(value, str) and value[10:] in ("", "T00:00:00") else value
        return _parse_text(text, path, datetime.date.fromisoformat, "a date (YYYY-MM-DD)")
    if tp is bool:
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        if not isinstance(value, bool):
            raise InputError(f"{path}: expected true or false, got {_json_kind(value)}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"{path}: expected a whole number, got {_json_kind(value)}")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise InputError(f"{path}: expected a string, got {_json_kind(value)}")
        return value
    raise InputError(f"{path}: cannot read a value of type {tp!r}")


def _parse_text(value: Any, path: str, parse: Callable[[str], T], what: str) -> T:
    if not isinstance(value, str):
        raise InputError(f"{path}: expected {what} as a string, got {_json_kind(value)}")
    try:
        return parse(value.strip())
    except ValueError:
        raise InputError(f"{path}: {value!r} is not {what}") from None


def _json_kind(value: Any) -> str:
    """What a JSON value is, with the value itself when it is short (the value refused)."""
    if value is None:
        return "null"
    kind = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)
    if isinstance(value, (bool, int, float, str)):
        text = json.dumps(value, ensure_ascii=False)
        return f"{kind} ({text if len(text) <= 40 else text[:39] + '…'})"
    return kind


_CONTEXT = XmlContext()


def element_name(cls: type) -> str:
    """The local name of the XML root element of a model class."""
    return _CONTEXT.build(cls).qname.rsplit("}", 1)[-1]


def _read_all(source: IO[bytes]) -> tuple[bytes, str]:
    name = getattr(source, "name", "-")
    label = "standard input" if name in ("-", "<stdin>") else str(name)
    if label == "standard input" and source.isatty():
        raise InputError("no document: give --file FILE or pipe one on standard input")
    return source.read(), label


def _sniff(data: bytes, input_format: str, label: str) -> str:
    if input_format != "auto":
        return input_format
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"<":
        return "xml"
    if start in (b"{", b"["):
        return "json"
    raise InputError(f"{label}: neither XML nor JSON (give --input-format to say which)")


def _xml_root(data: bytes, label: str, expected: Sequence[str]) -> etree._Element:
    try:
        root = parse_document(data)
    except UnsafeXMLError as exc:
        raise InputError(f"{label}: {exc}") from None
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{label}: not well-formed XML: {exc}") from None
    tag = etree.QName(root).localname if isinstance(root.tag, str) else ""
    if tag not in expected:
        wanted = " or ".join(f"<{e}>" for e in expected)
        raise InputError(f"{label}: the root element is <{tag}>; expected {wanted}")
    return root


def _bind(root: etree._Element, cls: type[T], label: str) -> T:
    try:
        return bind(root, cls, strict=True)
    except XeroError as exc:
        detail = exc.message.removeprefix("the response does not match the schema: ")
        raise InputError(
            f"{label}: the document does not match <{element_name(cls)}>: {detail}"
        ) from None


MAX_JSON_DEPTH = 64
"""Deepest nesting of lists and objects accepted in a JSON input document (the models nest a
handful of levels; deeper input would only exhaust the parser's recursion)."""

# JSON strings (possessive: no backtracking; an unterminated one runs to the end, for
# json.loads to report), everything but brackets, and one innermost pair of brackets.
_JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)')
_NOT_BRACKETS = re.compile(r"[^\[\]{}]++")
_INNERMOST = re.compile(r"\[\]|\{\}")
_OPENING_RUNS = re.compile(r"[\[{]++")


def _json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether lists and objects in ``text`` nest deeper than ``limit`` (before parsing it).

    Strings are dropped (brackets in them do not count), then the innermost pairs of brackets
    are removed once per level: a document ``d`` levels deep is empty after ``d`` passes, each
    a single regular-expression substitution, so even hostile input costs at most ``limit``
    passes (and a plain run of opening brackets is caught on the first).
    """
    brackets = _NOT_BRACKETS.sub("", _JSON_STRING.sub("", text))
    for done in range(limit):
        if max(map(len, _OPENING_RUNS.findall(brackets)), default=0) > limit - done:
            return True  # as many opening brackets in a row as levels left
        reduced = _INNERMOST.sub("", brackets)
        if reduced == brackets:  # empty, or unbalanced (json.loads says what is wrong)
            return False
        brackets = reduced
    return _INNERMOST.search(brackets) is not None


def _json(data: bytes, label: str) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{label}: not UTF-8 text") from None
    if _json_depth_exceeds(text, MAX_JSON_DEPTH):
        raise InputError(
            f"{label}: the JSON nests lists and objects more than {MAX_JSON_DEPTH} levels deep"
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{label}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None


def _from_json(cls: type[T], value: Any, path: str, label: str) -> T:
    try:
        return from_jsonable(cls, value, path)
    except InputError as exc:
        raise InputError(f"{label}: {exc.message}") from None


def _check_before_sending(body: object, check: Model, label: str) -> None:
    """The SDK's own checks of a request body, run as soon as the document is read.

    A refusal is a validation failure (exit code 5), as the same refusal from Xero would be;
    a document that cannot be read as the model at all is a usage error (exit code 2).
    """
    problems = check_body(body, check)
    if problems:
        raise CliError(
            f"{_KINDS[ExitCode.VALIDATION]}: {label}: {'; '.join(problems)} "
            "(found before sending; nothing was sent)",
            ExitCode.VALIDATION,
        )


def read_document(source: IO[bytes], cls: type[T], input_format: str, check: Model) -> T:
    """One document of type ``cls`` (its XML root element, or JSON in its shape), checked as the
    client checks a request body (:class:`CliError` with exit code 5 when the checks refuse it)."""
    data, label = _read_all(source)
    if _sniff(data, input_format, label) == "xml":
        document = _bind(_xml_root(data, label, [element_name(cls)]), cls, label)
    else:
        document = _from_json(cls, _json(data, label), element_name(cls), label)
    _check_before_sending(document, check, label)
    return document


def read_batch(
    source: IO[bytes],
    batch_cls: type[B],
    items: str,
    item_cls: type[T],
    input_format: str,
    check: Model,
) -> list[T]:
    """The items of a batch document: ``<Contacts>`` (or one ``<Contact>``) as XML; as JSON a
    list of items, an object with the batch's list field, or one item. Checked as the client
    checks the batch it sends (:class:`CliError` with exit code 5 when the checks refuse it)."""
    data, label = _read_all(source)
    batch_name, item_name = element_name(batch_cls), element_name(item_cls)
    found: list[T]
    if _sniff(data, input_format, label) == "xml":
        root = _xml_root(data, label, [batch_name, item_name])
        if etree.QName(root).localname == item_name:
            found = [_bind(root, item_cls, label)]
        else:
            found = getattr(_bind(root, batch_cls, label), items)
    else:
        value = _json(data, label)
        if isinstance(value, list):
            found = [
                _from_json(item_cls, v, f"{item_name}[{i}]", label) for i, v in enumerate(value)
            ]
        elif isinstance(value, dict) and set(value) == {items}:
            found = getattr(_from_json(batch_cls, value, batch_name, label), items)
        else:
            found = [_from_json(item_cls, value, item_name, label)]
    _check_before_sending(batch_cls(**{items: found}), check, label)
    return found


def read_one(
    source: IO[bytes],
    element: str,
    cls: type[T],
    decode: Callable[[etree._Element, bool], T],
    input_format: str,
    check: Model,
) -> T:
    """One ``cls`` from XML with root ``<element>`` (read by the generated decoder) or JSON,
    checked as the client checks a request body (exit code 5 when the checks refuse it)."""
    data, label = _read_all(source)
    if _sniff(data, input_format, label) == "xml":
        document = _decode_one(_xml_root(data, label, [element]), decode, label)
    else:
        document = _from_json(cls, _json(data, label), element, label)
    _check_before_sending(document, check, label)
    return document


def _decode_one(root: etree._Element, decode: Callable[[etree._Element, bool], T], label: str) -> T:
    try:
        return decode(root, True)
    except XeroError as exc:
        detail = exc.message.removeprefix("the response does not match the schema: ")
        raise InputError(f"{label}: the document does not match <{root.tag}>: {detail}") from None


def read_items(
    source: IO[bytes],
    element: str,
    item: str,
    item_cls: type[T],
    decode: Callable[[etree._Element, bool], T],
    input_format: str,
    check: Model,
) -> list[T]:
    """The items of a batch: XML ``<element>`` of ``<item>`` (or one ``<item>``); JSON a list of
    items or one item. Checked as the client checks the batch it sends (exit code 5)."""
    data, label = _read_all(source)
    found: list[T] = []
    if _sniff(data, input_format, label) == "xml":
        root = _xml_root(data, label, [element, item])
        if root.tag == item:
            found = [_decode_one(root, decode, label)]
        else:
            for child in root.iterchildren("*"):  # elements only (no comments)
                if child.tag != item:
                    raise InputError(f"{label}: <{element}> holds <{child.tag}>; expected <{item}>")
                found.append(_decode_one(child, decode, label))
    else:
        value = _json(data, label)
        if isinstance(value, list):
            found = [_from_json(item_cls, v, f"{item}[{i}]", label) for i, v in enumerate(value)]
        else:
            found = [_from_json(item_cls, value, item, label)]
    _check_before_sending(found, check, label)
    return found


def emit_value(
    state: State,
    value: Any,
    label: str,
    output_format: str | None,
    columns: Columns | None = None,
) -> None:
    """Write what a JSON answer held (``/connections``): table, json or jsonl."""
    if state.raw:
        return
    fmt = resolve_format(output_format)
    if fmt == "xml":
        raise InputError(f"{label} are JSON, not XML: use --format json, jsonl or table")
    write_value(value, fmt, label, columns)


def emit_items(
    state: State,
    items: Iterable[Any],
    label: str,
    output_format: str | None,
    columns: Columns | None = None,
) -> None:
    """Write every item of a paged list: JSON lines as they come, other formats at the end."""
    if state.raw:
        for _ in items:
            pass
        return
    fmt = resolve_format(output_format)
    if fmt == "xml":
        raise InputError("--all cannot write xml (one document per page): use json or jsonl")
    if fmt == "jsonl":
        given = columns.given if columns else None
        for item in items:
            plain = _project(item, given) if given else to_jsonable(item)
            sys.stdout.write(json.dumps(plain, ensure_ascii=False) + "\n")
        sys.stdout.flush()
        return
    write_value(list(items), fmt, label, columns)


# ---------------------------------------------------------------------------- import and export


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _csv_columns(
    header: Sequence[str], item_cls: type, writable: Sequence[str] | None = None
) -> list[str]:
    """The model field of each CSV column (by field name or XML element name, any case).

    ``writable``: the fields a request sends (the write shape); a column of another field
    (set by Xero, such as AmountDue) is refused rather than silently dropped.
    """
    hints = _hints(item_cls)
    by_name: dict[str, str] = {}
    meta = _CONTEXT.build(item_cls)
    for var in meta.get_all_vars():
        tp = hints[var.name]
        args = typing.get_args(tp) or (tp,)
        if any(typing.get_origin(a) is list or dataclasses.is_dataclass(a) for a in args):
            continue  # nested lists and objects have no flat column
        by_name[_norm(var.name)] = var.name
        by_name[_norm(var.local_name)] = var.name
    allowed = sorted(n for n in set(by_name.values()) if writable is None or n in writable)
    columns: list[str] = []
    for title in header:
        field_name = by_name.get(_norm(title))
        if field_name is None:
            raise InputError(f"unknown CSV column {title!r}; columns: {', '.join(allowed)}")
        if writable is not None and field_name not in writable:
            raise InputError(
                f"the CSV column {title!r} is set by Xero ({field_name} is read-only and never "
                f"sent): leave it out; columns: {', '.join(allowed)}"
            )
        columns.append(field_name)
    return columns


_REFUSED = (ValidationError, RequestValidationError, NotFoundError)

RowReader = Callable[
    [list[list[str]], int], tuple[list[tuple[int, T]], list[tuple[int, str]], list[int]]
]
"""Reads a CSV table (header first) from a start row: the records with the row number each
starts at, the rows rejected with the reason, and the number of every row that counts."""


def read_csv_table(path: str) -> list[list[str]]:
    """The rows of a CSV file (``-``: standard input), header first; a usage error if it cannot
    be read or is empty."""
    name = "standard input" if path == "-" else path
    try:
        with contextlib.ExitStack() as stack:
            if path == "-":
                source: IO[str] = sys.stdin
            else:
                source = stack.enter_context(open(path, encoding="utf-8-sig", newline=""))
            table = list(csv.reader(source))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{name}: cannot read the CSV file: {exc}") from None
    if not table:
        raise InputError(f"{name}: the CSV file is empty (a header row is needed)")
    return table


def flat_rows(item_cls: type[T], writable: Sequence[str] | None = None) -> RowReader[T]:
    """One ``item_cls`` per row, its fields named by the header (only ``writable`` ones, when
    given: the fields a request sends)."""

    def read(
        table: list[list[str]], start_row: int
    ) -> tuple[list[tuple[int, T]], list[tuple[int, str]], list[int]]:
        columns = _csv_columns(table[0], item_cls, writable)
        rows: list[tuple[int, T]] = []
        rejected: list[tuple[int, str]] = []
        counted: list[int] = []  # the row number of every row that is not blank
        for line, values in enumerate(table[1:], start=2):
            if line < start_row or not any(v.strip() for v in values):
                continue
            counted.append(line)
            if len(values) != len(columns):
                rejected.append((line, f"{len(values)} values for {len(columns)} columns"))
                continue
            record = {c: v.strip() for c, v in zip(columns, values, strict=True) if v.strip()}
            try:
                rows.append((line, from_jsonable(item_cls, record, "row")))
            except InputError as exc:
                rejected.append((line, exc.message.removeprefix("row.").removeprefix("row: ")))
        return rows, rejected, counted

    return read


class _Stopped(Exception):
    """An import cannot go on: ``line`` is the first row not known to be saved."""

    def __init__(self, line: int, cause: BaseException) -> None:
        super().__init__(line)
        self.line = line
        self.cause = cause


def import_csv(
    state: State,
    path: str,
    item_cls: type[T],
    save_many: Callable[[list[T]], list[T]],
    save_one: Callable[[T], T] | None,
    *,
    batch_size: int,
    label: str,
    output_format: str | None,
    start_row: int = 2,
    columns: Columns | None = None,
    rows_of: RowReader[T] | None = None,
    on_saved: Callable[[list[T]], None] | None = None,
) -> None:
    """Upsert the rows of a CSV file in batches, with a progress bar on standard error.

    ``rows_of`` reads the table into records (the first row number of each, and the rows
    rejected); by default each row is one ``item_cls`` whose fields the header names.

    Row numbers count the header as row 1, as a spreadsheet shows them; rows before
    ``start_row`` are skipped (to resume an import that stopped). A row that cannot be read as
    ``item_cls`` is reported (row number and reason) and left out. When Xero refuses a batch
    (batches are all or nothing), the batch is split in halves until the refused rows stand
    alone (sent with ``save_one``), so that only the rows Xero refuses are reported. Ends with
    exit code 5 when any row was rejected; the others are saved either way.

    Any other failure (Xero or the network failing, the keys refused, Ctrl-C) stops the
    import: the rows saved so far are written and counted, the rejected ones reported, and the
    first row not known to be saved is named, with the ``--start-row`` that resumes there. The
    exit code is then the failure's own.
    """
    err = sys.stderr
    name = "standard input" if path == "-" else path
    table = read_csv_table(path)
    rows, rejected, counted = (rows_of or flat_rows(item_cls))(table, start_row)
    total = len(counted)
    # several rows make one record (an invoice's lines): count records, not rows
    units = len(rows) + len(rejected)
    grouped = units != total
    if start_row > 2:
        err.write(f"Starting at row {start_row} of {name} (--start-row).\n")
    saved: list[T] = []
    stopped: _Stopped | None = None
    with click.progressbar(
        length=units, label=f"Importing {label}", file=err, show_pos=True, show_eta=False
    ) as bar:
        bar.update(len(rejected))

        def send(batch: list[tuple[int, T]]) -> None:
            # A refused batch is split in halves until the refused rows stand alone, so a
            # bad row costs about 2 log2(batch size) extra calls, not one call per row.
            try:
                if len(batch) == 1 and save_one is not None:
                    saved.append(save_one(batch[0][1]))
                else:
                    saved.extend(save_many([item for _, item in batch]))
            except _REFUSED as exc:
                if len(batch) == 1:
                    rejected.append((batch[0][0], error_line(exc)))
                    return
                send(batch[: len(batch) // 2])
                send(batch[len(batch) // 2 :])
            except (XeroError, KeyboardInterrupt) as exc:
                # Rows before this batch are saved or rejected; this batch may or may not
                # have been applied (an upsert, so sending it again is safe).
                raise _Stopped(batch[0][0], exc) from exc

        try:
            for start in range(0, len(rows), batch_size):
                batch = rows[start : start + batch_size]
                send(batch)
                bar.update(len(batch))
        except _Stopped as exc:
            stopped = exc
    if stopped is not None:
        # Rows at or after the stop are not reported: resuming there reads them again.
        rejected = [(line, reason) for line, reason in rejected if line < stopped.line]
    for line, reason in sorted(rejected):
        err.write(f"row {line}: rejected: {redact(reason)}\n")
    if on_saved is not None:
        on_saved(saved)
    if stopped is None:
        if grouped:
            err.write(
                f"Imported {len(saved)} of {units} {label} ({total} rows) from {name}; "
                f"{len(rejected)} rejected.\n"
            )
        else:
            err.write(
                f"Imported {len(saved)} of {total} rows from {name}; {len(rejected)} rejected.\n"
            )
    else:
        left = sum(1 for line in counted if line >= stopped.line)
        err.write(
            f"Stopped at row {stopped.line}: imported {len(saved)} of {total} rows from {name}, "
            f"{len(rejected)} rejected; the {left} rows from row {stopped.line} on are not "
            f"known to be saved.\nTo resume, run the same command with --start-row "
            f"{stopped.line}.\n"
        )
    err.flush()
    if not state.raw:
        write_value(saved, resolve_format(output_format), label, columns)
    if stopped is not None:
        resume = f"import stopped at row {stopped.line} (resume with --start-row {stopped.line})"
        if isinstance(stopped.cause, XeroError):
            raise CliError(
                f"{error_line(stopped.cause)}; {resume}", exit_code_for(stopped.cause)
            ) from stopped.cause
        raise stopped.cause
    if rejected:
        raise CliError(
            f"{len(rejected)} of {units if grouped else total} {label if grouped else 'rows'} "
            "rejected (see above); the others were saved",
            ExitCode.VALIDATION,
        )


def check_csv(
    path: str,
    rows_of: RowReader[T],
    check: Model,
    *,
    label: str,
    output_format: str | None,
    start_row: int = 2,
    columns: Columns | None = None,
) -> None:
    """``import --dry-run``: read the CSV file as the import would, run the checks the client
    makes before sending on each record, report each problem with its row, write what would
    be sent, and send nothing. Exit code 5 when a row would be rejected."""
    name = "standard input" if path == "-" else path
    rows, rejected, counted = rows_of(read_csv_table(path), start_row)
    good: list[T] = []
    for line, item in rows:
        problems = check_body(item, check)
        if problems:
            rejected.append((line, "; ".join(problems)))
        else:
            good.append(item)
    err = sys.stderr
    for line, reason in sorted(rejected):
        err.write(f"row {line}: would be rejected: {redact(reason)}\n")
    err.write(
        f"Dry run: {len(good)} {label} from {len(counted)} rows of {name} would be sent, "
        f"{len(rejected)} rejected; nothing was sent.\n"
    )
    err.flush()
    write_value(good, resolve_format(output_format), label, columns)
    if rejected:
        raise CliError(
            f"{len(rejected)} rejected (see above); nothing was sent", ExitCode.VALIDATION
        )


# ---------------------------------------------------------------------------- progress


class _ProgressLine:
    """What :class:`Progress` and :class:`ByteProgress` share: a line of ``_text`` on
    ``stream``, redrawn in place on a terminal (a line of its own per redraw otherwise) at most
    every ``interval`` seconds of ``clock``; the subclass sets ``_start`` and ``_last``."""

    _start: float
    _last: float

    def __init__(
        self,
        label: str,
        *,
        total: int | None,
        enabled: bool,
        stream: IO[str] | None,
        clock: Callable[[], float],
        interval: float,
    ) -> None:
        self.label = label
        self.total = total
        self.count = 0
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.interval = interval
        self.redraws = 0
        self._terminal = bool(getattr(self.stream, "isatty", lambda: False)())

    def _text(self, elapsed: float) -> str:
        raise NotImplementedError

    def _tick(self) -> None:
        now = self.clock()
        if now - self._last >= self.interval:
            self._draw(now)

    def _finish(self) -> None:
        self._draw(self.clock())
        if self._terminal:
            self.stream.write("\n")
        self.stream.flush()

    def _draw(self, now: float) -> None:
        self._last = now
        self.redraws += 1
        text = self._text(now - self._start)
        if self._terminal:
            self.stream.write(f"\r{text}\x1b[K")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


class Progress(_ProgressLine):
    """A count and a rate on standard error (``Exporting invoices: 1200/3000 (410/s)``).

    Redrawn at most every ``interval`` seconds of ``clock`` (however fast items come), and only
    when ``enabled``: on a terminal the line is redrawn in place, otherwise (``--progress`` into
    a file) each redraw is a line of its own. :meth:`close` draws the final count.
    """

    def __init__(
        self,
        label: str,
        *,
        total: int | None = None,
        enabled: bool,
        stream: IO[str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        interval: float = 0.25,
    ) -> None:
        super().__init__(
            label, total=total, enabled=enabled, stream=stream, clock=clock, interval=interval
        )
        self._start = self._last = clock() if enabled else 0.0

    def advance(self, count: int = 1) -> None:
        """Count ``count`` more items; redraw when ``interval`` has passed since the last."""
        self.count += count
        if self.enabled:
            self._tick()

    def close(self) -> None:
        """Draw the final count (and end the terminal line)."""
        if self.enabled:
            self._finish()

    def _text(self, elapsed: float) -> str:
        rate = f"{self.count / elapsed:,.1f}/s" if elapsed > 0 else "-/s"
        done = f"{self.count:,}" + (f"/{self.total:,}" if self.total is not None else "")
        return f"{self.label}: {done} ({rate})"


def progress_enabled(progress: bool | None) -> bool:
    """``--progress``/``--no-progress`` as given, else whether standard error is a terminal."""
    return sys.stderr.isatty() if progress is None else progress


def progress_option(func: F) -> F:
    """``--progress/--no-progress``, passed as ``progress`` (None: only on a terminal)."""
    return click.option(
        "--progress/--no-progress",
        "progress",
        default=None,
        help="Show a count and rate on standard error (default: when it is a terminal).",
    )(func)


# ---------------------------------------------------------------------------- export


@dataclasses.dataclass(frozen=True)
class Refetch:
    """Read each listed item again, whole: ``get(**{key: getattr(item, key)})``.

    For lists that leave parts out (1.0's invoice list has no line items): the export lists
    the ids first, then makes one GET per item.
    """

    key: str  # the item's id field, and the keyword that get() reads it by
    get: Callable[..., Any]


def with_lines_option(item_cls: type) -> Callable[[F], F]:
    """``--with-lines`` (passed as ``with_lines``) for a list that leaves out parts of each
    item (the manifest's ``refetch``)."""
    return click.option(
        "--with-lines",
        is_flag=True,
        help="Include the line items, which the list leaves out: one GET per "
        f"{element_name(item_cls)} after the list, with progress.",
    )


def export_items(
    items: Iterable[Any],
    *,
    label: str,
    output_format: str,
    progress: bool | None = None,
    refetch: Refetch | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Write items as JSON lines (or one JSON list) as they come, with a count and rate on
    standard error (:class:`Progress`; ``progress`` None: only when that is a terminal).

    With ``refetch``, the listed items' ids are collected first (the list is read to its end
    while it streams, so the list call's time limit covers only the list), then each item is
    read again whole and written as it comes.
    """
    out = sys.stdout
    enabled = progress_enabled(progress)
    count = 0
    if output_format == "json":
        out.write("[")

    def write(item: Any) -> None:
        nonlocal count
        text = json.dumps(to_jsonable(item), ensure_ascii=False)
        if output_format == "json":
            out.write(("\n  " if count == 0 else ",\n  ") + text)
        else:
            out.write(text + "\n")
        count += 1

    if refetch is None:
        bar = Progress(f"Exporting {label}", enabled=enabled, clock=clock)
        for item in items:
            write(item)
            bar.advance()
        bar.close()
    else:
        listing = Progress(f"Listing {label}", enabled=enabled, clock=clock)
        keys: list[Any] = []
        for item in items:
            keys.append(getattr(item, refetch.key))
            listing.advance()
        listing.close()
        bar = Progress(
            f"Exporting {label} with lines", total=len(keys), enabled=enabled, clock=clock
        )
        for key in keys:
            write(refetch.get(**{refetch.key: key}))
            bar.advance()
        bar.close()
    if output_format == "json":
        out.write("\n]\n" if count else "]\n")
    out.flush()
    sys.stderr.write(f"Exported {count} {label}.\n")
    sys.stderr.flush()


# ---------------------------------------------------------------------------- invoice CSV
# The columns of Xero's own invoice and bill CSV templates (Business > Invoices > Import):
# one row per line item, the invoice's own values repeated on each of its rows, rows grouped
# by InvoiceNumber; a leading `*` marks the columns Xero's template requires.

INVOICE_CSV_COLUMNS: tuple[str, ...] = (
    "ContactName",
    "EmailAddress",
    "POAddressLine1",
    "POAddressLine2",
    "POAddressLine3",
    "POAddressLine4",
    "POCity",
    "PORegion",
    "POPostalCode",
    "POCountry",
    "InvoiceNumber",
    "Reference",
    "InvoiceDate",
    "DueDate",
    "Total",
    "InventoryItemCode",
    "Description",
    "Quantity",
    "UnitAmount",
    "Discount",
    "AccountCode",
    "TaxType",
    "TaxAmount",
    "TrackingName1",
    "TrackingOption1",
    "TrackingName2",
    "TrackingOption2",
    "Currency",
    "LineAmountTypes",
)
"""Every column ``xero invoices import`` reads and ``export --format csv`` writes, in order:
Xero's template's, and LineAmountTypes (Exclusive, Inclusive or NoTax; the template leaves it
to a question in Xero's import screen), so that an export imports back unchanged."""

INVOICE_CSV_REQUIRED = (
    "ContactName",
    "InvoiceNumber",
    "InvoiceDate",
    "DueDate",
    "Description",
    "Quantity",
    "UnitAmount",
)
"""The columns every row must fill (written with a leading ``*`` on export)."""

_INVOICE_LEVEL = (
    "ContactName",
    "EmailAddress",
    "POAddressLine1",
    "POAddressLine2",
    "POAddressLine3",
    "POAddressLine4",
    "POCity",
    "PORegion",
    "POPostalCode",
    "POCountry",
    "Reference",
    "InvoiceDate",
    "DueDate",
    "Total",
    "Currency",
    "LineAmountTypes",
)
_ADDRESS = {
    "POAddressLine1": "address_line1",
    "POAddressLine2": "address_line2",
    "POAddressLine3": "address_line3",
    "POAddressLine4": "address_line4",
    "POCity": "city",
    "PORegion": "region",
    "POPostalCode": "postal_code",
    "POCountry": "country",
}
DATE_FORMATS = {"iso": "%Y-%m-%d", "dmy": "%d/%m/%Y", "mdy": "%m/%d/%Y"}
"""``--date-format``: YYYY-MM-DD, DD/MM/YYYY (Xero's export in most regions) or MM/DD/YYYY."""


class _RowProblem(Exception):
    def __init__(self, column: str, value: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.value, self.reason = column, value, reason


def invoice_csv_header(header: Sequence[str]) -> list[str] | None:
    """The template column of each header cell (``*`` and case ignored), or None when the
    header is not the invoice template's (no ContactName column): the file then names model
    fields (the generic import, which updates invoices by InvoiceID)."""
    known = {_norm(c): c for c in INVOICE_CSV_COLUMNS}
    found = [known.get(_norm(cell.strip().lstrip("*"))) for cell in header]
    if "ContactName" not in found:
        return None
    unknown = [cell for cell, column in zip(header, found, strict=True) if column is None]
    if unknown:
        raise InputError(
            f"unknown CSV column {unknown[0]!r} for an invoice import; columns: "
            + ", ".join(INVOICE_CSV_COLUMNS)
        )
    doubled = sorted({c for c in found if c is not None and found.count(c) > 1})
    if doubled:
        raise InputError(f"the CSV column {doubled[0]} is given twice")
    return [c for c in found if c is not None]


def _csv_date(column: str, text: str, date_format: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, DATE_FORMATS[date_format]).date()
    except ValueError:
        example = datetime.date(2024, 1, 31).strftime(DATE_FORMATS[date_format])
        raise _RowProblem(
            column, text, f"is not a date as --date-format {date_format} reads it (e.g. {example})"
        ) from None


def _csv_decimal(column: str, text: str) -> Decimal:
    try:
        number = Decimal(text.replace(",", "") if re.fullmatch(r"-?[\d,]+(\.\d*)?", text) else text)
    except InvalidOperation:
        raise _RowProblem(column, text, "is not a number") from None
    if not number.is_finite():
        raise _RowProblem(column, text, "is not a finite number")
    return number


class InvoiceCsv:
    """Invoices (or bills) to and from the columns of Xero's invoice CSV template.

    ``models`` is the API version's models module (Invoice, LineItem, Contact, ...).
    """

    def __init__(
        self,
        models: types.ModuleType,
        *,
        invoice_type: str = "ACCREC",
        status: str = "DRAFT",
        date_format: str = "iso",
    ) -> None:
        self.models = models
        self.invoice_type = invoice_type
        self.status = status
        self.date_format = date_format
        self.totals: dict[str, tuple[int, Decimal]] = {}  # number -> (row, Total given)

    # ------------------------------------------------------------------ reading

    def rows(
        self, table: list[list[str]], start_row: int
    ) -> tuple[list[tuple[int, Any]], list[tuple[int, str]], list[int]]:
        """The invoices of the table, each with the row number of its first row (the
        :data:`RowReader` of ``import_csv``). A row with a problem rejects its invoice:
        every problem is reported with its row, column and the value refused."""
        columns = invoice_csv_header(table[0])
        if columns is None:
            raise InputError("the CSV file has no ContactName column (Xero's invoice template)")
        missing = [c for c in INVOICE_CSV_REQUIRED if c not in columns]
        if missing:
            raise InputError(
                f"the CSV file has no {missing[0]} column (required: "
                + ", ".join(INVOICE_CSV_REQUIRED)
                + ")"
            )
        groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
        rejected: list[tuple[int, str]] = []
        counted: list[int] = []
        for line, values in enumerate(table[1:], start=2):
            if line < start_row or not any(v.strip() for v in values):
                continue
            counted.append(line)
            if len(values) != len(columns):
                rejected.append((line, f"{len(values)} values for {len(columns)} columns"))
                continue
            record = {c: v.strip() for c, v in zip(columns, values, strict=True)}
            number = record.get("InvoiceNumber", "")
            if not number:
                rejected.append((line, "column InvoiceNumber: a value is required"))
                continue
            groups.setdefault(number, []).append((line, record))
        found: list[tuple[int, Any]] = []
        for number, group in groups.items():
            try:
                found.append((group[0][0], self._invoice(number, group)))
            except _RowProblem as problem:
                line = next(
                    (ln for ln, r in group if r.get(problem.column, "") == problem.value),
                    group[0][0],
                )
                rows = f"rows {group[0][0]}-{group[-1][0]}" if len(group) > 1 else "its row"
                rejected.append(
                    (
                        line,
                        f"column {problem.column}: {problem.value!r} {problem.reason} "
                        f"(invoice {number}, {rows}, not sent)",
                    )
                )
        return found, rejected, counted

    def rows_or(self, other: RowReader[Any]) -> RowReader[Any]:
        """A reader that takes Xero's template when the header is it (a ContactName column),
        else ``other`` (model field names: the generic import)."""

        def read(
            table: list[list[str]], start_row: int
        ) -> tuple[list[tuple[int, Any]], list[tuple[int, str]], list[int]]:
            if invoice_csv_header(table[0]) is None:
                return other(table, start_row)
            return self.rows(table, start_row)

        return read

    def _invoice(self, number: str, group: list[tuple[int, dict[str, str]]]) -> Any:
        m = self.models
        head: dict[str, str] = {}
        for _line, record in group:  # the invoice's own values: the same on each of its rows
            for column in _INVOICE_LEVEL:
                value = record.get(column, "")
                if not value:
                    continue
                if column in head and head[column] != value:
                    raise _RowProblem(
                        column, value, f"differs from {head[column]!r} on an earlier row"
                    )
                head[column] = value
        for column in ("ContactName", "InvoiceDate", "DueDate"):
            if column not in head:
                raise _RowProblem(column, "", "is required")
        contact = m.Contact(name=head["ContactName"], email_address=head.get("EmailAddress"))
        address = {field: head[col] for col, field in _ADDRESS.items() if col in head}
        if address:
            contact.addresses = [m.Address(address_type=m.AddressType.POBOX, **address)]
        currency = head.get("Currency")
        if currency is not None and not re.fullmatch(r"[A-Za-z]{3}", currency):
            raise _RowProblem("Currency", currency, "is not a currency code (e.g. NZD)")
        amounts = None
        if "LineAmountTypes" in head:
            names = {v.value.lower(): v for v in m.LineAmountTypes}
            amounts = names.get(head["LineAmountTypes"].lower())
            if amounts is None:
                raise _RowProblem(
                    "LineAmountTypes",
                    head["LineAmountTypes"],
                    "is not one of " + ", ".join(v.value for v in m.LineAmountTypes),
                )
        if "Total" in head:
            self.totals[number] = (group[0][0], _csv_decimal("Total", head["Total"]))
        lines = [self._line(record) for _, record in group]
        return m.Invoice(
            type=m.InvoiceType(self.invoice_type),
            contact=contact,
            invoice_number=number,
            reference=head.get("Reference"),
            date=_csv_date("InvoiceDate", head["InvoiceDate"], self.date_format),
            due_date=_csv_date("DueDate", head["DueDate"], self.date_format),
            currency_code=currency.upper() if currency else None,
            line_amount_types=amounts,
            status=m.InvoiceStatus(self.status),
            line_items=lines,
        )

    def _line(self, record: dict[str, str]) -> Any:
        m = self.models
        for column in ("Description", "Quantity", "UnitAmount"):
            if not record.get(column):
                raise _RowProblem(column, "", "is required")

        def number(column: str) -> Decimal | None:
            text = record.get(column, "")
            return _csv_decimal(column, text) if text else None

        tracking = []
        for n in ("1", "2"):
            name, option = record.get(f"TrackingName{n}", ""), record.get(f"TrackingOption{n}", "")
            if bool(name) != bool(option):
                column = f"TrackingOption{n}" if name else f"TrackingName{n}"
                raise _RowProblem(
                    column, "", f"is required with TrackingName{n} and TrackingOption{n}"
                )
            if name:
                tracking.append(m.LineItemTracking(name=name, option=option))
        return m.LineItem(
            item_code=record.get("InventoryItemCode") or None,
            description=record["Description"],
            quantity=number("Quantity"),
            unit_amount=number("UnitAmount"),
            discount_rate=number("Discount"),
            account_code=record.get("AccountCode") or None,
            tax_type=record.get("TaxType") or None,
            tax_amount=number("TaxAmount"),
            tracking=tracking,
        )

    def check_totals(self, saved: Sequence[Any], out: IO[str]) -> None:
        """Warn (on ``out``) about each saved invoice whose Total differs from the file's."""
        for invoice in saved:
            given = self.totals.get(getattr(invoice, "invoice_number", None) or "")
            if given is not None and invoice.total is not None and invoice.total != given[1]:
                out.write(
                    f"row {given[0]}: warning: column Total {str(given[1])!r} differs from the "
                    f"total Xero computed, {invoice.total} (invoice {invoice.invoice_number})\n"
                )

    # ------------------------------------------------------------------ writing

    def header(self) -> list[str]:
        """The header row, a ``*`` before each column Xero's template marks required (the
        import's required ones, and AccountCode and TaxType, which Xero can also take from an
        item or the account)."""
        marked = (*INVOICE_CSV_REQUIRED, "AccountCode", "TaxType")
        return [("*" + c if c in marked else c) for c in INVOICE_CSV_COLUMNS]

    def lines_of(self, invoice: Any) -> list[list[str]]:
        """The rows of one invoice: one per line item (one without lines if it has none)."""

        def text(value: Any) -> str:
            if value is None:
                return ""
            if isinstance(value, datetime.date):
                return value.strftime(DATE_FORMATS[self.date_format])
            plain = to_jsonable(value)
            return str(plain)

        contact = invoice.contact
        postal = next(
            (a for a in (contact.addresses if contact else []) if _cell(a.address_type) == "POBOX"),
            None,
        )
        head = {
            "ContactName": text(contact.name if contact else None),
            "EmailAddress": text(contact.email_address if contact else None),
            "InvoiceNumber": text(invoice.invoice_number),
            "Reference": text(invoice.reference),
            "InvoiceDate": text(invoice.date),
            "DueDate": text(invoice.due_date),
            "Total": text(invoice.total),
            "Currency": text(invoice.currency_code),
            "LineAmountTypes": text(invoice.line_amount_types),
        }
        for column, field_name in _ADDRESS.items():
            head[column] = text(getattr(postal, field_name, None))
        rows: list[list[str]] = []
        for item in invoice.line_items or [None]:
            line = dict(head)
            if item is not None:
                tracking = list(item.tracking)
                line.update(
                    {
                        "InventoryItemCode": text(item.item_code),
                        "Description": text(item.description),
                        "Quantity": text(item.quantity),
                        "UnitAmount": text(item.unit_amount),
                        "Discount": text(item.discount_rate),
                        "AccountCode": text(item.account_code),
                        "TaxType": text(item.tax_type),
                        "TaxAmount": text(item.tax_amount),
                    }
                )
                for n, t in enumerate(tracking[:2], start=1):
                    line[f"TrackingName{n}"] = text(t.name)
                    line[f"TrackingOption{n}"] = text(t.option)
            rows.append([line.get(c, "") for c in INVOICE_CSV_COLUMNS])
        return rows


def export_invoices_csv(
    items: Iterable[Any],
    layout: InvoiceCsv,
    *,
    label: str,
    progress: bool | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Write invoices as rows of Xero's invoice CSV template (one per line item), as they come,
    with a count and rate on standard error (see :func:`export_items`)."""
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(layout.header())
    bar = Progress(f"Exporting {label}", enabled=progress_enabled(progress), clock=clock)
    for invoice in items:
        out.writerows(layout.lines_of(invoice))
        bar.advance()
    bar.close()
    sys.stdout.flush()
    sys.stderr.write(f"Exported {bar.count} {label}.\n")
    sys.stderr.flush()


# ---------------------------------------------------------------------------- login profiles
# `xero login` keeps each profile (an app's client id, its token, the organisation chosen) in
# the OS keyring, or where there is none, in a file encrypted with Fernet (cryptography): the
# key comes from XERO_TOKEN_PASSPHRASE (PBKDF2-SHA256, a salt per file) or a key file
# (XERO_TOKEN_KEY_FILE, else <config>/token.key, made with mode 0600 at the first login).

KEYRING_SERVICE = "xero-customer-api"
DEFAULT_SCOPES = (
    "openid",
    "profile",
    "email",
    "offline_access",
    "accounting.transactions",
    "accounting.contacts",
    "accounting.settings",
)
_PROFILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def config_dir() -> Path:
    """Where ``xero`` keeps its profiles: XERO_CONFIG_DIR, else ``$XDG_CONFIG_HOME/xero`` (or
    ``~/.config/xero``)."""
    if os.environ.get("XERO_CONFIG_DIR"):
        return Path(os.environ["XERO_CONFIG_DIR"])
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "xero"


def check_profile_name(name: str) -> str:
    if not _PROFILE_NAME.fullmatch(name):
        raise click.BadParameter(
            f"{name!r} is not a profile name (letters, digits, '.', '_' and '-', up to 64)",
            param_hint="'--profile'",
        )
    return name


class ProfileBackend:
    """Where profiles are kept (one JSON record each)."""

    kind = ""

    def load(self, name: str) -> dict[str, Any] | None:
        raise NotImplementedError

    def save(self, name: str, record: Mapping[str, Any]) -> None:
        raise NotImplementedError

    def delete(self, name: str) -> bool:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


class KeyringBackend(ProfileBackend):
    """The OS keyring (macOS Keychain, Windows Credential Locker, Secret Service...)."""

    kind = "keyring"

    def __init__(self, keyring: Any) -> None:
        self.keyring = keyring

    def load(self, name: str) -> dict[str, Any] | None:
        text = self.keyring.get_password(KEYRING_SERVICE, name)
        return None if text is None else dict(json.loads(text))

    def save(self, name: str, record: Mapping[str, Any]) -> None:
        self.keyring.set_password(KEYRING_SERVICE, name, json.dumps(dict(record)))

    def delete(self, name: str) -> bool:
        if self.keyring.get_password(KEYRING_SERVICE, name) is None:
            return False
        self.keyring.delete_password(KEYRING_SERVICE, name)
        return True

    def describe(self) -> str:
        return f"the OS keyring ({type(self.keyring.get_keyring()).__name__})"


class EncryptedFileBackend(ProfileBackend):
    """``<config>/profiles/<name>.json``: the record encrypted with Fernet."""

    kind = "file"

    def __init__(self, folder: Path, *, passphrase: str | None, key_file: Path) -> None:
        self.folder = folder
        self.passphrase = passphrase
        self.key_file = key_file

    def _path(self, name: str) -> Path:
        return self.folder / "profiles" / f"{name}.json"

    def _fernet(self, salt: bytes | None, create: bool) -> Any:
        import base64
        import hashlib

        from cryptography.fernet import Fernet

        if self.passphrase is not None:
            assert salt is not None
            raw = hashlib.pbkdf2_hmac("sha256", self.passphrase.encode(), salt, 600_000)
            return Fernet(base64.urlsafe_b64encode(raw))
        if not self.key_file.exists():
            if not create:
                raise CliError(
                    f"the key file {self.key_file} is missing: the profile cannot be decrypted "
                    "(set XERO_TOKEN_KEY_FILE to the key it was saved with, or run xero login "
                    "again)",
                    ExitCode.AUTH,
                )
            self.key_file.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(Fernet.generate_key())
            sys.stderr.write(f"Made the key file {self.key_file} (mode 600) for the tokens.\n")
        return Fernet(self.key_file.read_bytes().strip())

    def load(self, name: str) -> dict[str, Any] | None:
        import base64

        from cryptography.fernet import InvalidToken

        path = self._path(name)
        if not path.exists():
            return None
        stored = json.loads(path.read_text(encoding="utf-8"))
        if (stored.get("kdf") == "pbkdf2-sha256") != (self.passphrase is not None):
            how = "a passphrase" if stored.get("kdf") == "pbkdf2-sha256" else "a key file"
            raise CliError(
                f"the profile {name!r} was saved with {how}: set "
                + ("XERO_TOKEN_PASSPHRASE" if how == "a passphrase" else "XERO_TOKEN_KEY_FILE")
                + " as at its login (or run xero login again)",
                ExitCode.AUTH,
            )
        salt = base64.b64decode(stored["salt"]) if stored.get("salt") else None
        try:
            text = self._fernet(salt, create=False).decrypt(stored["token"].encode())
        except InvalidToken:
            raise CliError(
                f"cannot decrypt the profile {name!r} in {path}: wrong passphrase or key file",
                ExitCode.AUTH,
            ) from None
        return dict(json.loads(text))

    def save(self, name: str, record: Mapping[str, Any]) -> None:
        import base64

        salt = os.urandom(16) if self.passphrase is not None else None
        token = self._fernet(salt, create=True).encrypt(json.dumps(dict(record)).encode())
        stored = {
            "version": 1,
            "kdf": "pbkdf2-sha256" if salt else "key-file",
            "salt": base64.b64encode(salt).decode() if salt else None,
            "token": token.decode(),
        }
        path = self._path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(stored, handle)
        os.replace(temporary, path)

    def delete(self, name: str) -> bool:
        path = self._path(name)
        if not path.exists():
            return False
        path.unlink()
        return True

    def describe(self) -> str:
        how = "XERO_TOKEN_PASSPHRASE" if self.passphrase is not None else f"the key {self.key_file}"
        return f"an encrypted file in {self.folder / 'profiles'} (key: {how})"


def _usable_keyring() -> Any | None:
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        chosen = keyring.get_keyring()
    except Exception:  # a broken keyring configuration counts as none
        return None
    if isinstance(chosen, fail.Keyring) or getattr(chosen, "priority", 0) <= 0:
        return None
    return keyring


def profile_backend(kind: str | None = None) -> ProfileBackend:
    """The store of ``kind`` (XERO_TOKEN_STORE: keyring or file), else the OS keyring when it
    has a backend, else the encrypted file."""
    kind = kind or os.environ.get("XERO_TOKEN_STORE") or "auto"
    if kind not in ("auto", "keyring", "file"):
        raise CliError(
            f"XERO_TOKEN_STORE={kind!r} is not one of auto, keyring, file", ExitCode.USAGE
        )
    if kind in ("auto", "keyring"):
        keyring = _usable_keyring()
        if keyring is not None:
            return KeyringBackend(keyring)
        if kind == "keyring":
            raise CliError(
                "no OS keyring is usable here (pip install 'xero-customer-api[cli]' and a "
                "keyring backend), or keep the tokens in an encrypted file: XERO_TOKEN_STORE=file",
                ExitCode.USAGE,
            )
    folder = config_dir()
    key_file = os.environ.get("XERO_TOKEN_KEY_FILE")
    return EncryptedFileBackend(
        folder,
        passphrase=os.environ.get("XERO_TOKEN_PASSPHRASE") or None,
        key_file=Path(key_file) if key_file else folder / "token.key",
    )


class _Index:
    """``<config>/profiles.json``: each profile's store and what is not secret about it."""

    def __init__(self) -> None:
        self.path = config_dir() / "profiles.json"

    def read(self) -> dict[str, dict[str, Any]]:
        try:
            return dict(json.loads(self.path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise CliError(f"cannot read {self.path}: {exc}", ExitCode.USAGE) from None

    def write(self, entries: Mapping[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(dict(entries), indent=2, sort_keys=True), "utf-8")
        os.replace(temporary, self.path)


def _backend_of(name: str) -> ProfileBackend:
    entry = _Index().read().get(name)
    return profile_backend(entry.get("store") if entry else None)


@contextlib.contextmanager
def _profile_lock(name: str) -> Iterator[None]:
    """An exclusive lock of the profile across processes (POSIX), held while it refreshes."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: one process at a time is the user's job
        yield
        return
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f".{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class ProfileTokenStore(TokenStore):
    """The token of a ``xero login`` profile as the SDK's :class:`TokenStore`: a refresh runs
    under the profile's lock, and the rotated refresh token is saved before it is used, so two
    ``xero`` commands at once never lose the login."""

    def __init__(self, name: str, backend: ProfileBackend) -> None:
        self.name = name
        self.backend = backend

    def __repr__(self) -> str:
        return f"ProfileTokenStore({self.name!r})"

    def _record(self) -> dict[str, Any]:
        record = self.backend.load(self.name)
        if record is None:
            raise CliError(
                f"no login for the profile {self.name!r}: run xero login --profile {self.name}",
                ExitCode.AUTH,
            )
        return record

    def get(self, key: str) -> dict[str, Any] | None:
        token = self._record().get("token")
        return dict(token) if token else None

    def put(self, key: str, token: Mapping[str, Any]) -> None:
        return None  # the profile always has its token (saved by xero login)

    def refresh(
        self, key: str, stale: Mapping[str, Any] | None, fetch: Any, usable: Any
    ) -> dict[str, Any]:
        with _profile_lock(self.name):
            record = self._record()
            current = record.get("token")
            if current is not None and not same_token(current, stale) and usable(current):
                return dict(current)
            token = dict(fetch(current))
            record["token"] = token
            self.backend.save(self.name, record)
            return token

    async def arefresh(
        self, key: str, stale: Mapping[str, Any] | None, fetch: Any, usable: Any
    ) -> dict[str, Any]:
        with _profile_lock(self.name):
            record = self._record()
            current = record.get("token")
            if current is not None and not same_token(current, stale) and usable(current):
                return dict(current)
            token = dict(await fetch(current))
            record["token"] = token
            self.backend.save(self.name, record)
            return token


def load_profile(name: str) -> tuple[dict[str, Any], ProfileTokenStore] | None:
    """A saved profile and its token store, or None when there is no such profile."""
    backend = _backend_of(name)
    record = backend.load(name)
    if record is None:
        return None
    for secret in (record.get("token") or {}).values():
        if isinstance(secret, str) and len(secret) >= 16:
            register_secret(secret)
    return record, ProfileTokenStore(name, backend)


class _Callback:
    """The loopback server that receives Xero's redirect after the consent page."""

    def __init__(self, host: str, port: int) -> None:
        import http.server
        import threading

        callback = self
        self.url: str | None = None
        self.done = threading.Event()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if not self.path.startswith("/callback"):
                    self.send_error(404)
                    return
                callback.url = f"http://{self.headers.get('Host', host)}{self.path}"
                failed = "error=" in self.path
                body = (
                    "<!doctype html><title>xero login</title><p>"
                    + (
                        "The authorization was declined. You can close this window."
                        if failed
                        else "Logged in: you can close this window and go back to the terminal."
                    )
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                callback.done.set()

            def log_message(self, format: str, *args: Any) -> None:
                return None  # the URL carries the code: never logged

        self.server = http.server.ThreadingHTTPServer((host, port), Handler)
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait(self, timeout: float) -> str | None:
        self.done.wait(timeout)
        return self.url

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _tls(settings: Settings) -> ssl.SSLContext | bool:
    if settings.ca_bundle:
        try:
            return ssl.create_default_context(cafile=settings.ca_bundle)
        except (OSError, ssl.SSLError) as exc:
            raise CliError(
                f"cannot read the CA bundle {settings.ca_bundle}: {exc}", ExitCode.USAGE
            ) from exc
    return True


def login_commands(client_class: type[C]) -> tuple[click.Command, ...]:
    """``xero login``, ``xero logout`` and ``xero profiles`` for an OAuth 2.0 API version."""

    @click.command(
        name="login",
        short_help="Connect organisations in the browser and keep the tokens (PKCE).",
        epilog="OAuth 2.0: authorization code with PKCE (S256), the redirect to a loopback "
        "server of this command.",
    )
    @click.option(
        "--scope",
        "scopes",
        multiple=True,
        help="A scope to ask for (repeat it); default: " + " ".join(DEFAULT_SCOPES) + ".",
    )
    @click.option(
        "--port",
        type=click.IntRange(0, 65535),
        default=8080,
        show_default=True,
        help="The loopback port of the redirect URI http://localhost:PORT/callback (register "
        "that URI for the app; 0: any free port, where the identity server allows it).",
    )
    @click.option(
        "--no-browser",
        is_flag=True,
        help="Print the URL instead of opening a browser (open it in a browser on this "
        "machine: Xero sends it back to localhost).",
    )
    @click.option(
        "--profile",
        "profile",
        default=None,
        callback=lambda ctx, param, value: None if value is None else check_profile_name(value),
        help='The profile to keep the login under (default: the global --profile, else "default").',
    )
    @click.option(
        "--tenant-id",
        "tenant_id",
        type=GUID,
        default=None,
        help="The organisation to use (default: the global --tenant-id, else the first connected).",
    )
    @click.option(
        "--client-id",
        "client_id",
        default=None,
        help="The app's client id (default: the global --client-id, XERO_CLIENT_ID).",
    )
    @click.option(
        "--token-store",
        type=click.Choice(("auto", "keyring", "file")),
        default=None,
        help="Where to keep the tokens (XERO_TOKEN_STORE): the OS keyring, or a file "
        "encrypted with XERO_TOKEN_PASSPHRASE or a key file; auto: the keyring when there is one.",
    )
    @click.option(
        "--wait",
        type=click.FloatRange(min=1),
        default=300,
        show_default=True,
        help="Seconds to wait for the browser to come back.",
    )
    @click.pass_obj
    def login(
        state: State,
        scopes: tuple[str, ...],
        port: int,
        no_browser: bool,
        token_store: str | None,
        wait: float,
        profile: str | None,
        tenant_id: str | None,
        client_id: str | None,
    ) -> None:
        """Log in to Xero in the browser and keep the tokens under a profile
        (--profile, default "default"): the authorization-code flow with PKCE, Xero's
        redirect coming back to a server of this command on localhost.

        Needs the client id of an app whose redirect URIs include
        http://localhost:PORT/callback (--client-id or XERO_CLIENT_ID). The tokens are kept
        in the OS keyring, or in a file encrypted with XERO_TOKEN_PASSPHRASE or a key file
        (XERO_TOKEN_KEY_FILE, else one made in the config folder); later commands use them
        and refresh them (rotating the refresh token) as the SDK does. The organisation is
        --tenant-id, else the first one connected; `xero connections` lists them all.
        """
        from ._oauth import DEFAULT_AUTHORIZE_URL, DEFAULT_TOKEN_URL, authorization_url
        from ._oauth import exchange_code as exchange

        s = dataclasses.replace(
            state.settings,
            profile=profile or state.settings.profile,
            tenant_id=tenant_id or state.settings.tenant_id,
            client_id=client_id or state.settings.client_id,
        )
        name = s.profile or "default"
        if not s.client_id:
            raise CliError(
                "no client id: give --client-id or set XERO_CLIENT_ID (the app's, from "
                "developer.xero.com/app/manage)",
                ExitCode.AUTH,
            )
        backend = profile_backend(token_store)
        try:
            server = _Callback("127.0.0.1", port)
        except OSError as exc:
            raise CliError(
                f"cannot listen on localhost port {port} for Xero's redirect ({exc.strerror}): "
                "give another --port (and register http://localhost:PORT/callback for the app)",
                ExitCode.USAGE,
            ) from None
        try:
            redirect_uri = f"http://localhost:{server.port}/callback"
            request = authorization_url(
                client_id=s.client_id,
                redirect_uri=redirect_uri,
                scopes=list(scopes or DEFAULT_SCOPES),
                authorize_url=s.authorize_url or DEFAULT_AUTHORIZE_URL,
            )
            click.echo(f"Open this URL to log in and choose the organisations:\n{request.url}")
            sys.stdout.flush()
            if not no_browser:
                import webbrowser

                webbrowser.open(request.url)
            callback = server.wait(wait)
        finally:
            server.close()
        if callback is None:
            raise CliError(
                f"no answer from the browser within {wait:g} seconds (--wait)", ExitCode.AUTH
            )
        with httpx.Client(verify=_tls(s)) as http:
            token = dict(
                exchange(
                    client_id=s.client_id,
                    client_secret=None,
                    redirect_uri=redirect_uri,
                    code_verifier=request.code_verifier,
                    callback_url=callback,
                    state=request.state,
                    token_url=s.token_url or DEFAULT_TOKEN_URL,
                    http_client=http,
                )
            )
            for name_ in ("access_token", "refresh_token", "id_token"):
                if token.get(name_):
                    register_secret(str(token[name_]))
            options: dict[str, Any] = {"access_token": token["access_token"], "http_client": http}
            if s.base_url:
                options["base_url"] = s.base_url
            found = list(client_class(**options).connections())  # type: ignore[attr-defined]
        tenants = [{"id": str(c.tenant_id), "name": str(c.tenant_name or "")} for c in found]
        chosen = s.tenant_id or (tenants[0]["id"] if tenants else None)
        if s.tenant_id and all(t["id"] != s.tenant_id for t in tenants):
            raise CliError(
                f"--tenant-id {s.tenant_id} is not among the organisations connected: "
                + ", ".join(f"{t['name']} ({t['id']})" for t in tenants),
                ExitCode.AUTH,
            )
        record = {
            "client_id": s.client_id,
            "token": token,
            "tenant_id": chosen,
            "tenants": tenants,
            "token_url": s.token_url,
            "base_url": s.base_url,
        }
        backend.save(name, record)
        index = _Index()
        entries = index.read()
        entries[name] = {"store": backend.kind, "client_id": s.client_id, "tenant_id": chosen}
        index.write(entries)
        names = ", ".join(f"{t['name']} ({t['id']})" for t in tenants) or "none"
        click.echo(
            f"Logged in: profile {name!r}, organisations {names}; using {chosen or 'none'}.\n"
            f"Tokens kept in {backend.describe()}."
        )

    @click.command(name="logout", short_help="Revoke and forget a profile's tokens.")
    @click.option(
        "--profile",
        "profile",
        default=None,
        callback=lambda ctx, param, value: None if value is None else check_profile_name(value),
        help='The profile to log out (default: the global --profile, else "default").',
    )
    @click.pass_obj
    def logout(state: State, profile: str | None) -> None:
        """Revoke the refresh token of the profile (--profile, default "default") at Xero's
        identity server and forget the profile (its tokens and organisation)."""
        name = profile or state.settings.profile or "default"
        backend = _backend_of(name)
        record = backend.load(name)
        if record is None:
            raise CliError(f"no login for the profile {name!r}: nothing to log out", ExitCode.AUTH)
        from ._oauth import DEFAULT_TOKEN_URL

        token_url = record.get("token_url") or state.settings.token_url or DEFAULT_TOKEN_URL
        revoke = token_url.rsplit("/token", 1)[0] + "/revocation"
        refresh = (record.get("token") or {}).get("refresh_token")
        revoked = "no refresh token to revoke"
        if refresh:
            try:
                with httpx.Client(verify=_tls(state.settings), timeout=30) as http:
                    answer = http.post(
                        revoke,
                        data={
                            "token": refresh,
                            "token_type_hint": "refresh_token",
                            "client_id": record["client_id"],
                        },
                    )
                revoked = (
                    "refresh token revoked"
                    if answer.status_code == 200
                    else f"revocation refused (HTTP {answer.status_code}); forgotten here anyway"
                )
            except httpx.HTTPError as exc:
                revoked = f"revocation failed ({type(exc).__name__}); forgotten here anyway"
        backend.delete(name)
        index = _Index()
        entries = index.read()
        entries.pop(name, None)
        index.write(entries)
        click.echo(f"Logged out: profile {name!r} ({revoked}).")

    @click.command(name="profiles", short_help="The profiles of xero login.")
    @output_options
    @click.pass_obj
    def profiles(
        state: State, output_format: str | None, columns: tuple[str, ...] | None, raw: bool
    ) -> None:
        """The profiles saved by xero login: name, client id, organisation and token store."""
        rows = [
            _ProfileRow(name, e.get("client_id"), e.get("tenant_id"), e.get("store"))
            for name, e in sorted(_Index().read().items())
        ]
        write_value(rows, resolve_format(output_format), "profiles", Columns(given=columns))

    return (login, logout, profiles)


@dataclasses.dataclass(frozen=True)
class _ProfileRow:
    name: str
    client_id: str | None
    tenant_id: str | None
    store: str | None


# ---------------------------------------------------------------------------- binary transfers
# PDFs and attachments (issue 18): `xero invoices pdf ID -o invoice.pdf`, `xero invoices
# attachments upload ID FILE`, `... download ID NAME -o FILE`. The SDK's streaming methods do
# the transfer; the command line only wraps the file objects to count bytes for a progress
# line, and writes a path through a temporary file renamed on success (as the SDK does).

PROGRESS_THRESHOLD = 1024 * 1024
"""Transfers shorter than this draw no progress line (unless forced with --progress)."""


def _size(count: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:,.0f} {unit}" if unit == "B" else f"{count:,.1f} {unit}"
        count /= 1024
    return f"{count:,.1f} GB"  # not reached


class ByteProgress(_ProgressLine):
    """Bytes moved and the rate on standard error (``Uploading scan.pdf: 3.2 MB/20.0 MB
    (16%, 4.1 MB/s)``), drawn once more than ``threshold`` bytes have moved (``force``: from the
    first byte), redrawn at most every ``interval`` seconds; nothing when not ``enabled``."""

    def __init__(
        self,
        label: str,
        *,
        total: int | None,
        enabled: bool,
        force: bool = False,
        stream: IO[str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        interval: float = 0.25,
        threshold: int = PROGRESS_THRESHOLD,
    ) -> None:
        super().__init__(
            label, total=total, enabled=enabled, stream=stream, clock=clock, interval=interval
        )
        self.threshold = 0 if force else threshold
        self._start = clock()
        self._last = float("-inf")

    def set(self, count: int) -> None:
        """Bytes moved so far (a retried upload starts again from its first byte)."""
        self.count = count
        if self.enabled and count > self.threshold:
            self._tick()

    def close(self) -> None:
        if self.enabled and (self.count > self.threshold or self.redraws):
            self._finish()

    def _text(self, elapsed: float) -> str:
        rate = f"{_size(self.count / elapsed)}/s" if elapsed > 0 else "-/s"
        done = _size(self.count)
        if self.total:
            share = min(100, self.count * 100 // self.total)
            return f"{self.label}: {done}/{_size(self.total)} ({share}%, {rate})"
        return f"{self.label}: {done} ({rate})"


class _CountingReader:
    """A binary file whose reads move a progress line (what the SDK uploads from)."""

    mode = "rb"

    def __init__(self, file: IO[bytes], progress: ByteProgress) -> None:
        self._file = file
        self._progress = progress
        self._start = file.tell()

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        self._progress.set(self._file.tell() - self._start)
        return data

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def seekable(self) -> bool:
        return self._file.seekable()

    def fileno(self) -> int:
        return self._file.fileno()


class _CountingWriter:
    """A binary file whose writes move a progress line (what the SDK downloads to); seeking
    back (a retried download) starts the count again."""

    mode = "wb"

    def __init__(self, file: IO[bytes], progress: ByteProgress) -> None:
        self._file = file
        self._progress = progress
        self._start = file.tell() if file.seekable() else 0
        self.written = 0

    def write(self, data: bytes) -> int:
        count = self._file.write(data)
        self.written += len(data)
        self._progress.set(self.written)
        return count

    def seekable(self) -> bool:
        return self._file.seekable()

    def tell(self) -> int:
        return self._file.tell()

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        position = self._file.seek(offset, whence)
        self.written = max(0, position - self._start)
        return position

    def truncate(self, size: int | None = None) -> int:
        return self._file.truncate(size)

    def flush(self) -> None:
        self._file.flush()


def transfer_progress_option(func: F) -> F:
    """``--progress/--no-progress`` of a file transfer, passed as ``progress``."""
    return click.option(
        "--progress/--no-progress",
        "progress",
        default=None,
        help="Show bytes and rate on standard error (default: when it is a terminal and the"
        " file is over 1 MB).",
    )(func)


def binary_output_options(func: F) -> F:
    """``-o/--output`` and ``--progress/--no-progress``, passed as ``output`` and ``progress``."""
    func = transfer_progress_option(func)
    func = click.option(
        "-o",
        "--output",
        "output",
        metavar="FILE",
        default="-",
        show_default=True,
        help="Where to write the file (written through a temporary file and renamed once"
        " complete); - for standard output (refused when it is a terminal).",
    )(func)
    return func


@contextlib.contextmanager
def binary_output(output: str, label: str, progress: bool | None) -> Iterator[Any]:
    """The file a binary answer is written to: ``output`` (atomically) or standard output.

    Yields a binary file object for the SDK's ``*_to(destination=...)``; on success a path is
    renamed into place, on failure nothing is left behind.
    """
    from ._binary import AtomicFile

    counter = ByteProgress(
        label, total=None, enabled=progress_enabled(progress), force=bool(progress)
    )
    if output == "-":
        if sys.stdout.isatty():
            raise click.UsageError(
                "refusing to write a binary file to the terminal: give -o FILE (or redirect"
                " standard output to a file)"
            )
        try:
            yield _CountingWriter(sys.stdout.buffer, counter)
            sys.stdout.buffer.flush()
        finally:
            counter.close()
        return
    problem = AtomicFile.problem(output)
    if problem:
        raise click.BadParameter(problem.replace("`destination`", "the output"), param_hint="-o")
    target = AtomicFile(output)
    try:
        file = target.open()
    except OSError as exc:
        raise click.BadParameter(f"cannot write there: {exc.strerror}", param_hint="-o") from None
    try:
        yield _CountingWriter(file, counter)
        target.commit()
    finally:
        target.discard()  # nothing left behind unless committed
        counter.close()


@contextlib.contextmanager
def upload_source(path: str, name: str | None, progress: bool | None) -> Iterator[tuple[Any, str]]:
    """The content and file name of an upload: ``path`` opened for reading (``-``: standard
    input, which needs ``--name``); a file's reads move a progress line on standard error."""
    if path == "-":
        if not name:
            raise click.UsageError("give --name NAME with - (standard input has no file name)")
        yield sys.stdin.buffer, name
        return
    try:
        file = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise click.BadParameter(
            f"{path!r} cannot be read: {exc.strerror}", param_hint="FILE"
        ) from None
    with file:
        try:
            total: int | None = os.fstat(file.fileno()).st_size
        except OSError:
            total = None
        counter = ByteProgress(
            f"Uploading {os.path.basename(path)}",
            total=total,
            enabled=progress_enabled(progress),
            force=bool(progress),
        )
        try:
            yield _CountingReader(file, counter), name or os.path.basename(path)
        finally:
            counter.close()
