"""The hand-written half of the ``xero`` command line (the commands themselves are generated).

The generated ``cli.py`` (global options, ``main``) and ``v*/_cli.py`` (a group per resource, a
command per endpoint) stay thin; everything they share lives here:

* :class:`Settings` and :class:`State`: credentials and target from options or ``XERO_*``
  environment variables, and the one place a client is built (:func:`build_http_client`).
* Output: ``--format table|json|jsonl|csv|xml`` (a table on a terminal, JSON when piped; a report
  prints its flattened table, ``runtime/_reports.py``) and
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
import re
import shutil
import ssl
import sys
import time
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
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
from ._xml import UnsafeXMLError, bind, parse_document

__all__ = [
    "DATE",
    "DATETIME",
    "EXIT_CODES_HELP",
    "GUID",
    "CliError",
    "ExitCode",
    "InputError",
    "Progress",
    "Refetch",
    "Settings",
    "State",
    "XeroGroup",
    "build_http_client",
    "export_items",
    "from_jsonable",
    "import_csv",
    "input_options",
    "output_options",
    "progress_option",
    "read_batch",
    "read_document",
    "require_one_of",
    "to_jsonable",
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


GUID = GuidType()
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


def _credentials(s: Settings, auth_style: str) -> dict[str, Any]:
    """The client's credential arguments for its API version's auth style (all registered as
    secrets, so no output shows them)."""
    if auth_style == "oauth2":
        for secret in (s.access_token, s.client_secret):
            if secret:
                register_secret(secret)
        common: dict[str, Any] = {"tenant_id": s.tenant_id or None}
        if s.access_token:
            return {"access_token": s.access_token, **common}
        if s.client_id and s.client_secret:
            extra = {"token_url": s.token_url} if s.token_url else {}
            return {"client_id": s.client_id, "client_secret": s.client_secret, **common, **extra}
        raise CliError(
            "no credentials: give --access-token (XERO_ACCESS_TOKEN), or --client-id and "
            "--client-secret (XERO_CLIENT_ID, XERO_CLIENT_SECRET) of a custom connection",
            ExitCode.AUTH,
        )
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


class State:
    """The context object of every command: settings, output choices, the client."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.raw = False

    @contextlib.contextmanager
    def client(self, client_class: type[C], *, raw: bool = False) -> Iterator[C]:
        """A client of ``client_class`` for one command, closed afterwards.

        With ``raw``, every HTTP exchange is written to standard output when the command ends
        (also when it fails), and :meth:`emit` writes nothing else.
        """
        s = self.settings
        credentials = _credentials(s, getattr(client_class, "_auth_style", "query-keys"))
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

    def emit(self, raw: RawResponse[Any], payload: str, output_format: str | None) -> None:
        """Write the payload of an answer in the chosen format (nothing with ``--raw``)."""
        if self.raw:
            return
        fmt = resolve_format(output_format)
        if fmt == "xml":
            click.echo(raw.content, nl=not raw.content.endswith(b"\n"))
            return
        write_value(getattr(raw.parsed, payload), fmt, payload)


# ---------------------------------------------------------------------------- options


def output_options(func: F) -> F:
    """``--format`` and ``--raw``, passed as ``output_format`` and ``raw``."""
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
        "jsonl (one JSON object a line), csv or xml (the response body as received).",
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


def write_value(value: Any, fmt: str, label: str) -> None:
    """Write a payload (one model or a list of them) as table, json or jsonl."""
    out = sys.stdout
    report = render_report(value, fmt)  # a report: its flattened table (runtime/_reports.py)
    if report is not None:
        out.write(report)
    elif fmt == "json":
        out.write(json.dumps(to_jsonable(value), indent=2, ensure_ascii=False) + "\n")
    elif fmt == "jsonl":
        for item in value if isinstance(value, list) else [value]:
            out.write(json.dumps(to_jsonable(item), ensure_ascii=False) + "\n")
    elif fmt == "csv":
        items = value if isinstance(value, list) else [value]
        names = [f.name for f in dataclasses.fields(items[0])] if items else []
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        writer.writerows([_cell(getattr(item, n)) for n in names] for item in items)
    elif isinstance(value, list):
        out.write(render_table(value, label))
    else:
        out.write(render_record(value))
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


def render_table(items: Sequence[Any], label: str) -> str:
    """Rows of models as an aligned text table (nested lists summarised in one cell)."""
    if not items:
        return f"(no {label.replace('_', ' ')})\n"
    names = [f.name for f in dataclasses.fields(items[0])]
    columns = [n for n in names if any(_cell(getattr(item, n)) for item in items)]
    rows = [[_clip(_cell(getattr(item, n)), 40) for n in columns] for item in items]
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    limit = shutil.get_terminal_size((160, 24)).columns
    # Leave out trailing columns that do not fit the terminal rather than wrapping every row.
    shown, total = 0, 0
    for width in widths:
        if shown and total + width > limit:
            break
        total += width + 2
        shown += 1
    lines = ["  ".join(c.upper().ljust(widths[i]) for i, c in enumerate(columns[:shown])).rstrip()]
    lines.append("  ".join("-" * widths[i] for i in range(shown)))
    lines.extend("  ".join(r[i].ljust(widths[i]) for i in range(shown)).rstrip() for r in rows)
    return "\n".join(lines) + "\n"


def render_record(item: Any) -> str:
    """One model as ``field: value`` lines, its lists of models as tables below."""
    pairs: list[tuple[str, str]] = []
    tables: list[str] = []

    def walk(obj: Any, prefix: str) -> None:
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if value is None or value == []:
                continue
            if isinstance(value, list) and dataclasses.is_dataclass(value[0]):
                tables.append(f"\n{prefix}{f.name} ({len(value)}):\n" + render_table(value, f.name))
            elif dataclasses.is_dataclass(value):
                walk(value, f"{prefix}{f.name}.")
            else:
                pairs.append((prefix + f.name, _cell(value)))

    walk(item, "")
    width = max((len(k) for k, _ in pairs), default=0)
    return "".join(f"{k.ljust(width)}  {v}\n" for k, v in pairs) + "".join(tables)


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
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


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


def emit_value(state: State, value: Any, label: str, output_format: str | None) -> None:
    """Write what a JSON answer held (``/connections``): table, json or jsonl."""
    if state.raw:
        return
    fmt = resolve_format(output_format)
    if fmt == "xml":
        raise InputError(f"{label} are JSON, not XML: use --format json, jsonl or table")
    write_value(value, fmt, label)


def emit_items(state: State, items: Iterable[Any], label: str, output_format: str | None) -> None:
    """Write every item of a paged list: JSON lines as they come, other formats at the end."""
    if state.raw:
        for _ in items:
            pass
        return
    fmt = resolve_format(output_format)
    if fmt == "xml":
        raise InputError("--all cannot write xml (one document per page): use json or jsonl")
    if fmt == "jsonl":
        for item in items:
            sys.stdout.write(json.dumps(to_jsonable(item), ensure_ascii=False) + "\n")
        sys.stdout.flush()
        return
    write_value(list(items), fmt, label)


# ---------------------------------------------------------------------------- import and export


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _csv_columns(header: Sequence[str], item_cls: type) -> list[str]:
    """The model field of each CSV column (by field name or XML element name, any case)."""
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
    columns: list[str] = []
    for title in header:
        field_name = by_name.get(_norm(title))
        if field_name is None:
            allowed = ", ".join(sorted(set(by_name.values())))
            raise InputError(f"unknown CSV column {title!r}; columns: {allowed}")
        columns.append(field_name)
    return columns


_REFUSED = (ValidationError, RequestValidationError, NotFoundError)


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
) -> None:
    """Upsert the rows of a CSV file in batches, with a progress bar on standard error.

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
    columns = _csv_columns(table[0], item_cls)
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
    total = len(counted)
    if start_row > 2:
        err.write(f"Starting at row {start_row} of {name} (--start-row).\n")
    saved: list[T] = []
    stopped: _Stopped | None = None
    with click.progressbar(
        length=total, label=f"Importing {label}", file=err, show_pos=True, show_eta=False
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
    if stopped is None:
        err.write(f"Imported {len(saved)} of {total} rows from {name}; {len(rejected)} rejected.\n")
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
        write_value(saved, resolve_format(output_format), label)
    if stopped is not None:
        resume = f"import stopped at row {stopped.line} (resume with --start-row {stopped.line})"
        if isinstance(stopped.cause, XeroError):
            raise CliError(
                f"{error_line(stopped.cause)}; {resume}", exit_code_for(stopped.cause)
            ) from stopped.cause
        raise stopped.cause
    if rejected:
        raise CliError(
            f"{len(rejected)} of {total} rows rejected (see above); the others were saved",
            ExitCode.VALIDATION,
        )


# ---------------------------------------------------------------------------- progress


class Progress:
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
        self.label = label
        self.total = total
        self.count = 0
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.interval = interval
        self.redraws = 0
        self._terminal = bool(getattr(self.stream, "isatty", lambda: False)())
        self._start = self._last = clock() if enabled else 0.0

    def advance(self, count: int = 1) -> None:
        """Count ``count`` more items; redraw when ``interval`` has passed since the last."""
        self.count += count
        if not self.enabled:
            return
        now = self.clock()
        if now - self._last >= self.interval:
            self._draw(now)

    def close(self) -> None:
        """Draw the final count (and end the terminal line)."""
        if not self.enabled:
            return
        self._draw(self.clock())
        if self._terminal:
            self.stream.write("\n")
        self.stream.flush()

    def _draw(self, now: float) -> None:
        self._last = now
        self.redraws += 1
        elapsed = now - self._start
        rate = f"{self.count / elapsed:,.1f}/s" if elapsed > 0 else "-/s"
        done = f"{self.count:,}" + (f"/{self.total:,}" if self.total is not None else "")
        text = f"{self.label}: {done} ({rate})"
        if self._terminal:
            self.stream.write(f"\r{text}\x1b[K")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


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
