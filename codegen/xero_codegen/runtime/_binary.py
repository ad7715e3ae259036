"""Binary endpoints: PDFs and attachments, whole or streamed, down and up.

Generated methods stay thin; the logic is here, on top of the client's one call path
(:meth:`._base_client.SyncAPIClient._request`) so that binary calls get everything XML calls
get: the token (fetched, refreshed, renewed once on a 401 ``TokenExpired``), the tenant, the
rate limiter, retries (writes with the same Idempotency-Key), the total deadline of an
attempt, the size cap ``max_response_bytes`` and the same typed errors.

**Whole answers** (``client.invoices.pdf(...)``, ``.attachments.download(...)``):
:func:`binary_call` gives ``_request`` a ``read`` function (:func:`reader`). Error statuses
are interpreted exactly as for XML calls (400 ``ApiException``, 401/403, 404, 413, 429,
5xx); a 2xx that is an HTML or XML page where a file was expected (a proxy's login page, an
error document) is a :class:`XeroResponseError` naming what was asked for and what came, and
a PDF must start with ``%PDF-``: bytes are never handed back as a PDF when they are not one.

**Streamed answers** (``pdf_to``, ``download_to``): :func:`download_to` (and
:func:`adownload_to`) write the body chunk by chunk to a path or a binary file object, in
constant memory, under the same cap (a streamed file larger than ``max_response_bytes`` is
refused as it arrives) and deadline. A path is written through a temporary file in the same
folder, renamed over the path only once the whole answer is in: a failure leaves nothing
behind (and an existing file untouched). Failures before any byte was written are retried as
for ``_request``, and after some were when the destination can start again (a path: the
temporary file is truncated; a seekable file: sought back to where it was and truncated); a
file that cannot seek (a pipe, standard output) is not written twice: the error is raised.

**Uploads** (``.attachments.upload(...)``, ``.replace(...)``): :class:`Upload` checks the
file before anything is sent (:data:`RULES`: its size against the client's
``max_attachment_bytes``, the file name, bytes rather than text) and streams it with its
``Content-Length`` known up front, never reading it whole: bytes as they are, a path opened
and read in chunks, a binary file object from its current position (its size from
``fstat`` or by seeking). A file object that cannot seek (a pipe) is first copied to a
temporary file (in memory up to 1 MiB, on disk beyond), so its size is known and a retry can
read it again. Every retried attempt reads the content from the start again (a path is
reopened, a file seeks back); if that is not possible the attempt is not retried.
:func:`send_upload` also keeps Xero's count limit: it lists the document's attachments first
(one GET) and refuses an 11th new file name before sending any byte (a name already there is
replaced, and allowed).
"""

from __future__ import annotations

import contextlib
import io
import os
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any, TypeVar

import httpx
from lxml import etree

from ._base_client import (
    DEFAULT_MAX_ATTACHMENT_BYTES,
    RawResponse,
    _async_sleep,
    _Attempt,
    _Body,
    _deadline,
    _naming,
    _token_expired,
    check_deadline,
)
from ._checks import _a
from ._envelope import html_title
from ._errors import (
    RequestValidationError,
    XeroAPIError,
    XeroConnectionError,
    XeroError,
    XeroResponseError,
)
from ._ratelimit import RateLimit
from ._secrets import redact
from ._transport import adecoded, deadline_scope, decoded
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes

if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, SyncAPIClient, _ClientCore

__all__ = [
    "CHUNK",
    "DEFAULT_MAX_ATTACHMENT_BYTES",
    "MAX_FILE_NAME",
    "RULES",
    "AtomicFile",
    "Upload",
    "adownload_to",
    "asend_upload",
    "binary_call",
    "content_type_for",
    "download_to",
    "file_name_problem",
    "reader",
    "send_upload",
]

R = TypeVar("R")

CHUNK = 64 * 1024
"""Bytes read from an upload's source, or written to a download's destination, at a time."""
MAX_FILE_NAME = 255
_SPOOL_IN_MEMORY = 1024 * 1024
_PDF_MAGIC = b"%PDF-"
_OCTET_STREAM = "application/octet-stream"

RULES = {
    "size": "a file larger than the client's ``max_attachment_bytes`` (10 MiB by default)",
    "name": (
        "a file name that is empty, longer than 255 characters, or holds ``/``, ``\\`` or a"
        " control character"
    ),
    "text": "``content`` given as text (``str``) or a file opened in text mode (bytes wanted)",
    "count": "an 11th file on a document (Xero keeps at most 10; a name already there is replaced)",
}
"""What an upload refuses before sending, for docstrings (the generator reads the keys)."""


# ------------------------------------------------------------------------------ checks


def file_name_problem(name: object, argument: str = "file_name") -> str | None:
    """Why ``name`` cannot be an attachment's file name (None when it can).

    Inferred (Xero documents no rule): 1 to 255 characters, no ``/`` or ``\\`` (the name is
    a path segment, and a separator would name another file), no control characters.
    """
    if not isinstance(name, str):
        return f"`{argument}` must be a str (the attachment's file name); got {_a(type(name).__name__)}"
    if not name or not name.strip():
        return f"`{argument}` must not be empty (1 to {MAX_FILE_NAME} characters)"
    if len(name) > MAX_FILE_NAME:
        return (
            f"`{argument}` is {len(name)} characters long; a file name may have at most"
            f" {MAX_FILE_NAME}"
        )
    if "/" in name or "\\" in name:
        return f"`{argument}` must not contain `/` or `\\` (a file name, not a path)"
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in name):
        return f"`{argument}` must not contain control characters (line breaks, tabs, NUL ...)"
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return f"`{argument}` is not valid text (lone surrogates)"
    return None


def _media_type(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()


def _content_type_problem(value: object) -> str | None:
    if not isinstance(value, str):
        return f"`content_type` must be a str such as 'application/pdf'; got {_a(type(value).__name__)}"
    media = _media_type(value)
    kind, _, sub = media.partition("/")
    if (
        not kind
        or not sub
        or "/" in sub
        or not value.isascii()
        or not value.isprintable()
        or any(c.isspace() for c in media)
    ):
        return (
            f"`content_type` must be a media type such as 'image/png'; got {redact(value)[:60]!r}"
        )
    return None


def content_type_for(file_name: str | None, given: str | None = None) -> str:
    """The file's media type: ``given``, else guessed from the file name's extension
    (:mod:`mimetypes`), else ``application/octet-stream``."""
    if given:
        return given
    if file_name:
        import mimetypes  # on first use: reads the system's type tables

        guessed, _ = mimetypes.guess_type(file_name, strict=False)
        if guessed:
            return guessed
    return _OCTET_STREAM


# ------------------------------------------------------------------------------ uploads


class _Source:
    """Where an upload's bytes come from: read from the start again on every attempt."""

    replayable = True

    def chunks(self) -> Iterator[bytes]:
        raise NotImplementedError

    def close(self) -> None:
        """Release what the source opened itself (never the caller's file)."""


class _BytesSource(_Source):
    def __init__(self, data: bytes | bytearray | memoryview) -> None:
        self._view = memoryview(data).cast("B")

    def chunks(self) -> Iterator[bytes]:
        for start in range(0, len(self._view), CHUNK):
            yield bytes(self._view[start : start + CHUNK])


class _PathSource(_Source):
    def __init__(self, path: str, size: int) -> None:
        self._path = path
        self._size = size
        self._open: IO[bytes] | None = None

    def chunks(self) -> Iterator[bytes]:
        self.close()
        try:
            self._open = open(self._path, "rb")  # noqa: SIM115 - closed by close()
        except OSError as exc:
            raise XeroError(f"the file to upload cannot be read again: {exc.strerror}") from None
        yield from _read_exactly(self._open, self._size)
        self.close()

    def close(self) -> None:
        if self._open is not None:
            self._open.close()
            self._open = None


class _FileSource(_Source):
    """A binary file object, from its position when the call began (sought back to it on
    every attempt)."""

    def __init__(self, file: IO[bytes], start: int, size: int, own: bool = False) -> None:
        self._file = file
        self._start = start
        self._size = size
        self._own = own  # a spooled copy the SDK made (closed when done)
        self._read_once = False

    def chunks(self) -> Iterator[bytes]:
        if self._read_once:
            try:
                self._file.seek(self._start)
            except (OSError, ValueError):
                self.replayable = False
                raise XeroConnectionError(
                    "the upload was sent once and its file cannot seek back to send it again:"
                    " not retried",
                    may_have_been_applied=True,
                ) from None
        self._read_once = True
        yield from _read_exactly(self._file, self._size)

    def close(self) -> None:
        if self._own:
            self._file.close()


def _read_exactly(file: IO[bytes], size: int) -> Iterator[bytes]:
    left = size
    while left > 0:
        try:
            chunk = file.read(min(CHUNK, left))
        except OSError as exc:
            raise XeroError(f"the file to upload could not be read: {exc}") from None
        if not chunk:
            raise XeroError(
                f"the file to upload ended {left} bytes early: it changed while it was being"
                f" sent (its size was {size} bytes when the call began)"
            )
        left -= len(chunk)
        yield chunk


class _UploadStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """The request body of one attempt: the source's chunks from the start."""

    def __init__(self, source: _Source) -> None:
        self._source = source

    def __iter__(self) -> Iterator[bytes]:
        yield from self._source.chunks()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._source.chunks():  # file reads block briefly, a chunk at a time
            yield chunk


class Upload:
    """One file to upload: checked, with its size and media type known before sending.

    Build it with :meth:`prepare`; ``stream()`` is the body of one attempt (the client sets a
    fresh one on every attempt, see ``_base_client._rewind``).
    """

    def __init__(self, file_name: str, content_type: str, size: int, source: _Source) -> None:
        self.file_name = file_name
        self.content_type = content_type
        self.size = size
        self._source = source

    @property
    def replayable(self) -> bool:
        """Whether another attempt can read the content from the start again."""
        return self._source.replayable

    def stream(self) -> _UploadStream:
        return _UploadStream(self._source)

    def close(self) -> None:
        self._source.close()

    def __repr__(self) -> str:
        return f"Upload(file_name={self.file_name!r}, content_type={self.content_type!r}, size={self.size})"

    @classmethod
    def prepare(
        cls,
        file_name: object,
        content: object,
        content_type: object,
        max_bytes: int,
    ) -> Upload:
        """Check an upload's arguments and open its source; RequestValidationError (every
        problem at once, naming the limit) if it cannot be sent."""
        problems: list[str] = []
        name_problem = file_name_problem(file_name)
        if name_problem:
            problems.append(name_problem)
        if content_type is not None:
            type_problem = _content_type_problem(content_type)
            if type_problem:
                problems.append(type_problem)
        source: _Source | None = None
        size = 0
        try:
            source, size = _open_source(content, max_bytes, problems)
            if source is not None and size > max_bytes:
                problems.append(
                    f"the file is {size:,} bytes; the client's `max_attachment_bytes` is"
                    f" {max_bytes:,} (Xero refuses attachments over 10 MB with 413"
                    " RequestEntityTooLarge)"
                )
            if problems:
                raise RequestValidationError(problems)
        except BaseException:
            if source is not None:
                source.close()
            raise
        assert source is not None and isinstance(file_name, str)
        media = content_type_for(file_name, content_type if isinstance(content_type, str) else None)
        return cls(file_name, media, size, source)


def _open_source(
    content: object, max_bytes: int, problems: list[str]
) -> tuple[_Source | None, int]:
    if isinstance(content, str):
        problems.append(
            "`content` must be bytes, a binary file object or a path (pathlib.Path); got a str:"
            " encode text first (content.encode()), or give a path as pathlib.Path(...)"
        )
        return None, 0
    if isinstance(content, (bytes, bytearray, memoryview)):
        source = _BytesSource(content)
        return source, len(memoryview(content).cast("B"))
    if isinstance(content, os.PathLike):
        path = os.fspath(content)
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        try:
            info = os.stat(path)
        except OSError as exc:
            problems.append(f"`content` names a file that cannot be read: {exc.strerror}: {path!r}")
            return None, 0
        import stat as _stat

        if not _stat.S_ISREG(info.st_mode):
            problems.append(f"`content` must name a regular file; {path!r} is not one")
            return None, 0
        if not os.access(path, os.R_OK):
            problems.append(f"`content` names a file that cannot be read (permission): {path!r}")
            return None, 0
        return _PathSource(path, info.st_size), info.st_size
    read = getattr(content, "read", None)
    if not callable(read):
        problems.append(
            "`content` must be bytes, a binary file object (open(path, 'rb')) or a path"
            f" (pathlib.Path); got {_a(type(content).__name__)}"
        )
        return None, 0
    file: Any = content
    mode = getattr(file, "mode", "b")
    if isinstance(file, io.TextIOBase) or (isinstance(mode, str) and "b" not in mode):
        problems.append(
            "`content` is a file opened in text mode: open it in binary mode (open(path, 'rb'))"
        )
        return None, 0
    size = _known_size(file)
    if size is not None:
        start = file.tell()
        return _FileSource(file, start, size), size
    return _spooled(file, max_bytes, problems)


def _known_size(file: Any) -> int | None:
    """Bytes left in a seekable file from its position, without reading it (None: unknown)."""
    try:
        if not file.seekable():
            return None
        start = file.tell()
    except (AttributeError, OSError, ValueError):
        return None
    try:
        info = os.fstat(file.fileno())
        import stat as _stat

        if _stat.S_ISREG(info.st_mode):
            return max(0, int(info.st_size) - int(start))
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        pass
    try:
        end = file.seek(0, os.SEEK_END)
        file.seek(start)
    except (OSError, ValueError):
        return None
    return max(0, int(end) - int(start))


def _spooled(file: Any, max_bytes: int, problems: list[str]) -> tuple[_Source | None, int]:
    """A non-seekable file copied (at most ``max_bytes`` + 1 bytes) to a temporary file."""
    import tempfile

    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115
    size = 0
    try:
        while size <= max_bytes:
            chunk = file.read(CHUNK)
            if not chunk:
                break
            if isinstance(chunk, str):
                problems.append("`content` is a file opened in text mode: open it in binary mode")
                spool.close()
                return None, 0
            spool.write(chunk)
            size += len(chunk)
    except OSError as exc:
        spool.close()
        problems.append(f"`content` could not be read: {exc}")
        return None, 0
    spool.seek(0)
    return _FileSource(spool, 0, size, own=True), size


def upload_headers(upload: Upload) -> list[tuple[str, str]]:
    """The headers of an upload's request: its media type and length."""
    return [("Content-Type", upload.content_type), ("Content-Length", str(upload.size))]


def _file_path(folder: str, file_name: str) -> str:
    import urllib.parse

    return f"{folder}/{urllib.parse.quote(file_name, safe='')}"


def _count_problem(
    names: Iterable[str | None], file_name: str, max_files: int
) -> RequestValidationError | None:
    present = [n for n in names if n]
    if file_name in present or len(present) < max_files:
        return None
    return RequestValidationError(
        [
            f"the document already has {len(present)} attachments, Xero's limit of {max_files}"
            f" files per document: {file_name!r} would be one more (upload a file under one of"
            " the names already there to replace it)"
        ]
    )


def send_upload(
    client: SyncAPIClient,
    *,
    method: str,
    folder: str,
    file_name: object,
    content: object,
    content_type: object,
    params: Sequence[tuple[str, str | None]],
    max_files: int | None,
    existing: Callable[[R], Iterable[str | None]],
    response_type: type[R],
    decode: Callable[[etree._Element, bool], R],
    tenant_id: str | uuid.UUID | NotGiven = NOT_GIVEN,
    idempotency_key: str | NotGiven = NOT_GIVEN,
    timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    max_retries: int | NotGiven = NOT_GIVEN,
    subject: Sequence[tuple[str, object]] = (),
) -> RawResponse[R]:
    """PUT or POST one file (checked, then streamed) to ``folder``/``file_name`` (the name
    percent-encoded as a path segment); the document's files (``GET folder``) are listed first
    when ``max_files`` is given, to refuse one file too many before sending any byte."""
    upload: Upload | None = None
    try:
        upload = Upload.prepare(file_name, content, content_type, client.max_attachment_bytes)
        if max_files is not None:
            listed = client._request(
                method="GET",
                path=folder,
                response_type=response_type,
                decode=decode,
                tenant_id=tenant_id,
                timeout=timeout,
                max_retries=max_retries,
                subject=subject,
            )
            refused = _count_problem(existing(listed.parsed), upload.file_name, max_files)
            if refused is not None:
                raise refused
        return client._request(
            method=method,
            path=_file_path(folder, upload.file_name),
            params=params,
            upload=upload,
            response_type=response_type,
            decode=decode,
            tenant_id=tenant_id,
            idempotency_key=idempotency_key,
            timeout=timeout,
            max_retries=max_retries,
            subject=subject,
        )
    except XeroError as error:
        failure = error.with_traceback(None)
    finally:
        if upload is not None:
            upload.close()
    raise failure


async def asend_upload(
    client: AsyncAPIClient,
    *,
    method: str,
    folder: str,
    file_name: object,
    content: object,
    content_type: object,
    params: Sequence[tuple[str, str | None]],
    max_files: int | None,
    existing: Callable[[R], Iterable[str | None]],
    response_type: type[R],
    decode: Callable[[etree._Element, bool], R],
    tenant_id: str | uuid.UUID | NotGiven = NOT_GIVEN,
    idempotency_key: str | NotGiven = NOT_GIVEN,
    timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    max_retries: int | NotGiven = NOT_GIVEN,
    subject: Sequence[tuple[str, object]] = (),
) -> RawResponse[R]:
    """The async twin of :func:`send_upload`."""
    upload: Upload | None = None
    try:
        upload = Upload.prepare(file_name, content, content_type, client.max_attachment_bytes)
        if max_files is not None:
            listed = await client._request(
                method="GET",
                path=folder,
                response_type=response_type,
                decode=decode,
                tenant_id=tenant_id,
                timeout=timeout,
                max_retries=max_retries,
                subject=subject,
            )
            refused = _count_problem(existing(listed.parsed), upload.file_name, max_files)
            if refused is not None:
                raise refused
        return await client._request(
            method=method,
            path=_file_path(folder, upload.file_name),
            params=params,
            upload=upload,
            response_type=response_type,
            decode=decode,
            tenant_id=tenant_id,
            idempotency_key=idempotency_key,
            timeout=timeout,
            max_retries=max_retries,
            subject=subject,
        )
    except XeroError as error:
        failure = error.with_traceback(None)
    finally:
        if upload is not None:
            upload.close()
    raise failure


# ------------------------------------------------------------------------------ answers


def _describe(accept: str) -> str:
    return "a PDF (application/pdf)" if accept == "application/pdf" else f"a file ({accept})"


def check_head(
    status: int,
    headers: httpx.Headers,
    head: bytes,
    accept: str,
    asked: str | None,
) -> None:
    """Raise XeroResponseError unless a 2xx answer is the file asked for.

    ``head``: the first bytes of the body (at least 5 when the body has them). An HTML or XML
    answer is refused unless that type was asked for (``asked``: an attachment's own type,
    e.g. ``application/xml`` for ``data.xml``); a PDF must start with ``%PDF-``.
    """
    given = _media_type(headers.get("content-type", ""))
    markup = "html" in given or "xml" in given
    wanted = {_media_type(accept)} | ({_media_type(asked)} if asked else set())
    if markup and given not in wanted:
        title = html_title(head) if "html" in given else None
        shown = f" ({redact(title)[:80]!r})" if title else ""
        raise XeroResponseError(
            f"expected {_describe(accept)} but Xero answered HTTP {status} with {given}{shown}:"
            " an error page or document, not the file",
            status_code=status,
        )
    if _media_type(accept) == "application/pdf" and not head.startswith(_PDF_MAGIC):
        what = f"{given} " if given else ""
        start = redact(repr(head[:16]))
        raise XeroResponseError(
            f"expected a PDF (application/pdf) but Xero answered HTTP {status} with a {what}body"
            f" that does not start with %PDF- (it starts with {start})",
            status_code=status,
        )


def reader(
    client: _ClientCore[Any], accept: str, asked: str | None
) -> Callable[[int, httpx.Headers, bytes], bytes]:
    """The ``read`` function of a whole binary answer: the bytes of a 2xx that is the file
    asked for; every other answer raises as it would for an XML call."""

    def read(status: int, headers: httpx.Headers, content: bytes) -> bytes:
        if not 200 <= status < 300:
            raise _error_of(client, status, headers, content)
        check_head(status, headers, content[:1024], accept, asked)
        return content

    return read


def _error_of(
    client: _ClientCore[Any], status: int, headers: httpx.Headers, content: bytes
) -> XeroError:
    try:
        client._interpret(status, headers, content, object)
    except XeroError as exc:
        return exc
    return XeroAPIError(  # an answer no rule explains (not reached with Xero)
        f"Xero answered HTTP {status}",
        status_code=status,
        rate_limit=RateLimit.from_headers(headers),
    )


def binary_call(
    client: _ClientCore[Any],
    *,
    path: str,
    accept: str,
    params: Sequence[tuple[str, str | None]] = (),
    content_type_header: str | None = None,
    file_name: str | None = None,
    content_type: str | None = None,
    tenant_id: str | uuid.UUID | NotGiven = NOT_GIVEN,
    timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    max_retries: int | NotGiven = NOT_GIVEN,
    subject: Sequence[tuple[str, object]] = (),
) -> dict[str, Any]:
    """The ``_request`` arguments of a GET whose answer is a file.

    ``accept``: the ``Accept`` header (``application/pdf``; ``*/*`` for attachments).
    ``content_type_header``: the request header that names the file's media type, which
    Xero's description asks for on attachment downloads (``contentType``): ``content_type``
    if given, else guessed from ``file_name``, else ``application/octet-stream``; an HTML or
    XML answer is accepted when that is the type named.
    """
    if content_type is not None:
        problem = _content_type_problem(content_type)
        if problem:
            raise RequestValidationError([problem])
    headers: list[tuple[str, str | None]] = [("Accept", accept)]
    asked: str | None = None
    if content_type_header is not None:
        asked = content_type_for(file_name, content_type)
        headers.append((content_type_header, asked))
    return {
        "method": "GET",
        "path": path,
        "params": params,
        "headers": headers,
        "response_type": bytes,
        "read": reader(client, accept, asked),
        "tenant_id": tenant_id,
        "timeout": timeout,
        "max_retries": max_retries,
        "subject": subject,
    }


# ------------------------------------------------------------------------------ destinations


class AtomicFile:
    """A file written under a temporary name in the destination's folder and renamed over
    it by :meth:`commit`; :meth:`discard` removes it (nothing is left behind)."""

    def __init__(self, path: str) -> None:
        self.path = path
        folder = os.path.dirname(os.path.abspath(path))
        self._folder = folder
        self._file: IO[bytes] | None = None
        self._temp: str | None = None

    @staticmethod
    def problem(destination: str) -> str | None:
        """Why ``destination`` cannot be written (None when it can be tried)."""
        if not destination:
            return "`destination` must not be an empty path"
        if os.path.isdir(destination):
            return f"`destination` is a folder: {destination!r} (give a file's path)"
        folder = os.path.dirname(os.path.abspath(destination))
        if not os.path.isdir(folder):
            return f"`destination`'s folder does not exist: {folder!r}"
        return None

    def open(self) -> IO[bytes]:
        if self._file is None:
            import tempfile

            base = os.path.basename(self.path)
            handle, self._temp = tempfile.mkstemp(
                prefix=f".{base}.", suffix=".part", dir=self._folder
            )
            self._file = os.fdopen(handle, "wb")
        return self._file

    def write(self, data: bytes) -> None:
        self.open().write(data)

    def reset(self) -> None:
        """Start again (a retried attempt)."""
        if self._file is not None:
            self._file.seek(0)
            self._file.truncate()

    def commit(self) -> None:
        file = self.open()
        file.flush()
        with contextlib.suppress(OSError):
            os.fsync(file.fileno())
        file.close()
        self._file = None
        assert self._temp is not None
        os.replace(self._temp, self.path)
        self._temp = None

    def discard(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None
        if self._temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._temp)
            self._temp = None


class _Sink:
    """Where a streamed answer goes: a path (atomically) or the caller's binary file."""

    def __init__(self, destination: object) -> None:
        self._atomic: AtomicFile | None = None
        self._file: Any = None
        self.written = 0
        if isinstance(destination, (str, os.PathLike)):
            path = os.fspath(destination)
            path = os.fsdecode(path) if isinstance(path, bytes) else path
            problem = AtomicFile.problem(path)
            if problem:
                raise RequestValidationError([problem])
            self._atomic = AtomicFile(path)
            return
        write = getattr(destination, "write", None)
        if not callable(write):
            raise RequestValidationError(
                [
                    "`destination` must be a path (str or pathlib.Path) or a binary file object"
                    f" (open(path, 'wb')); got {_a(type(destination).__name__)}"
                ]
            )
        mode = getattr(destination, "mode", "b")  # gzip files have an int mode
        if isinstance(destination, io.TextIOBase) or (isinstance(mode, str) and "b" not in mode):
            raise RequestValidationError(
                ["`destination` is a file opened in text mode: open it in binary mode ('wb')"]
            )
        self._file = destination
        self._start: int | None = None  # where a seekable file was when the call began
        try:
            if self._file.seekable() and callable(getattr(self._file, "truncate", None)):
                self._start = int(self._file.tell())
        except (AttributeError, OSError, ValueError):
            self._start = None

    @property
    def restartable(self) -> bool:
        """Whether a retried attempt can start the destination again: a path, a file that
        can seek back to where it was (and be truncated there), or nothing written yet."""
        return self._atomic is not None or self.written == 0 or self._start is not None

    def write(self, data: bytes) -> None:
        if not data:
            return
        try:
            if self._atomic is not None:
                self._atomic.write(data)
            else:
                self._file.write(data)
        except (OSError, ValueError, TypeError) as exc:
            raise XeroError(
                f"the answer could not be written to the destination: {type(exc).__name__}:"
                f" {redact(str(exc))[:200]}"
            ) from None
        self.written += len(data)

    def reset(self) -> None:
        if self._atomic is not None:
            self._atomic.reset()
        elif self._start is not None and self.written:
            try:
                self._file.seek(self._start)
                self._file.truncate()
            except (AttributeError, OSError, ValueError) as exc:
                raise XeroError(
                    f"the destination could not be rewound for a retry: {type(exc).__name__}"
                ) from None
        self.written = 0

    def commit(self) -> None:
        try:
            if self._atomic is not None:
                self._atomic.commit()
            else:
                flush = getattr(self._file, "flush", None)
                if callable(flush):
                    flush()
        except (OSError, ValueError) as exc:
            raise XeroError(
                f"the answer could not be saved to the destination: {redact(str(exc))[:200]}"
            ) from None

    def discard(self) -> None:
        if self._atomic is not None:
            self._atomic.discard()


class _Guard:
    """A streamed 2xx body: the cap, the deadline and the check of its first bytes."""

    def __init__(
        self,
        client: _ClientCore[Any],
        response: httpx.Response,
        deadline: float | None,
        accept: str,
        asked: str | None,
    ) -> None:

        _Body(client, response, deadline)
        self._client = client
        self._response = response
        self._deadline = deadline
        self._accept = accept
        self._asked = asked
        self._head: bytes | None = b""  # until the first bytes are checked
        self.size = 0

    def add(self, chunk: bytes) -> bytes:
        """Count ``chunk``; the bytes that may be written now."""

        self.size += len(chunk)
        if self.size > self._client.max_response_bytes:
            raise self._client._too_large(self.size, self._response.status_code)
        check_deadline(self._response, self._deadline)
        if self._head is None:
            return chunk
        self._head += chunk
        if len(self._head) < 1024:
            return b""
        return self._release()

    def finish(self) -> bytes:
        return self._release() if self._head is not None else b""

    def _release(self) -> bytes:
        head, self._head = self._head or b"", None
        response = self._response
        check_head(response.status_code, response.headers, head, self._accept, self._asked)
        return head


# ------------------------------------------------------------------------------ streaming


def download_to(
    client: SyncAPIClient,
    destination: object,
    *,
    path: str,
    accept: str,
    params: Sequence[tuple[str, str | None]] = (),
    content_type_header: str | None = None,
    file_name: str | None = None,
    content_type: str | None = None,
    tenant_id: str | uuid.UUID | NotGiven = NOT_GIVEN,
    timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    max_retries: int | NotGiven = NOT_GIVEN,
    subject: Sequence[tuple[str, object]] = (),
) -> RawResponse[int]:
    """GET a file and write it to ``destination`` as it arrives; ``.parsed`` is the number of
    bytes written (``.content`` is empty: the bytes went to the destination)."""

    sink: _Sink | None = None
    committed = False
    try:
        call = binary_call(
            client,
            path=path,
            accept=accept,
            params=params,
            content_type_header=content_type_header,
            file_name=file_name,
            content_type=content_type,
            tenant_id=tenant_id,
            timeout=timeout,
            max_retries=max_retries,
            subject=subject,
        )
        sink = _Sink(destination)
        request = client._build_request(
            "GET", path, params, None, timeout, extra_headers=call["headers"], tenant_id=tenant_id
        )
        retries = client._effective_retries(max_retries)
        asked = _asked(call)
        retries_done, renewed = 0, False
        while True:
            started = time.monotonic()
            outcome: RawResponse[int] | _Attempt
            try:
                with deadline_scope(_deadline(request, started)):
                    client._auth.authorize(request)
                outcome = _attempt(client, request, sink, started, accept, asked, call["read"])
            except XeroConnectionError as exc:  # the token endpoint failed: nothing was sent
                outcome = _Attempt(exc, sent=False)
            except httpx.HTTPError as exc:
                outcome = client._transport_error(exc, request, started)
            if not isinstance(outcome, _Attempt):
                sink.commit()
                committed = True
                return outcome
            if not sink.restartable:
                outcome.raise_error()  # bytes are in the caller's file: never written twice
            sink.reset()
            if not renewed and _token_expired(outcome):
                renewed = True
                if client._auth.renew(request):
                    continue
            time.sleep(client._next_delay(request, path, outcome, retries_done, retries))
            retries_done += 1
    except XeroError as error:
        failure = _naming(error, "GET", path, subject).with_traceback(None)
    finally:
        if sink is not None and not committed:
            sink.discard()
    raise failure


async def adownload_to(
    client: AsyncAPIClient,
    destination: object,
    *,
    path: str,
    accept: str,
    params: Sequence[tuple[str, str | None]] = (),
    content_type_header: str | None = None,
    file_name: str | None = None,
    content_type: str | None = None,
    tenant_id: str | uuid.UUID | NotGiven = NOT_GIVEN,
    timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    max_retries: int | NotGiven = NOT_GIVEN,
    subject: Sequence[tuple[str, object]] = (),
) -> RawResponse[int]:
    """The async twin of :func:`download_to` (the destination is written a chunk at a time)."""

    sink: _Sink | None = None
    committed = False
    try:
        call = binary_call(
            client,
            path=path,
            accept=accept,
            params=params,
            content_type_header=content_type_header,
            file_name=file_name,
            content_type=content_type,
            tenant_id=tenant_id,
            timeout=timeout,
            max_retries=max_retries,
            subject=subject,
        )
        sink = _Sink(destination)
        request = client._build_request(
            "GET", path, params, None, timeout, extra_headers=call["headers"], tenant_id=tenant_id
        )
        retries = client._effective_retries(max_retries)
        asked = _asked(call)
        retries_done, renewed = 0, False
        while True:
            started = time.monotonic()
            outcome: RawResponse[int] | _Attempt
            try:
                with deadline_scope(_deadline(request, started)):
                    await client._auth.aauthorize(request)
                outcome = await _aattempt(
                    client, request, sink, started, accept, asked, call["read"]
                )
            except XeroConnectionError as exc:
                outcome = _Attempt(exc, sent=False)
            except httpx.HTTPError as exc:
                outcome = client._transport_error(exc, request, started)
            if not isinstance(outcome, _Attempt):
                sink.commit()
                committed = True
                return outcome
            if not sink.restartable:
                outcome.raise_error()
            sink.reset()
            if not renewed and _token_expired(outcome):
                renewed = True
                if await client._auth.arenew(request):
                    continue
            await _async_sleep(client._next_delay(request, path, outcome, retries_done, retries))
            retries_done += 1
    except XeroError as error:
        failure = _naming(error, "GET", path, subject).with_traceback(None)
    finally:
        if sink is not None and not committed:
            sink.discard()
    raise failure


def _asked(call: dict[str, Any]) -> str | None:
    headers: list[tuple[str, str | None]] = call["headers"]
    named = [value for name, value in headers if name != "Accept"]
    return named[0] if named else None


def _attempt(
    client: SyncAPIClient,
    request: httpx.Request,
    sink: _Sink,
    started: float,
    accept: str,
    asked: str | None,
    read: Callable[[int, httpx.Headers, bytes], bytes],
) -> Any:
    """One attempt: RawResponse[int] once the whole file is written, or the failed _Attempt."""

    slot = client._take_slot(request)  # rate limits: may wait, not counted in the deadline
    response: httpx.Response | None = None
    deadline = _deadline(request, started)
    deadline = slot.extend(deadline) if slot else deadline
    try:
        with deadline_scope(deadline):
            response = client._http.send(request, stream=True, follow_redirects=False)
            try:
                status, headers = response.status_code, response.headers
                if not 200 <= status < 300:
                    body = _Body(client, response, deadline)
                    for chunk in decoded(response):
                        body.add(chunk)
                    content = body.content()
                    client._log_exchange(request, status, content, started, headers)
                    try:
                        read(status, headers, content)
                    except XeroAPIError as exc:
                        return client._api_failure(exc, headers)
                    raise XeroResponseError(
                        f"unexpected answer (HTTP {status})", status_code=status
                    )
                guard = _Guard(client, response, deadline, accept, asked)
                for chunk in decoded(response):
                    sink.write(guard.add(chunk))
                sink.write(guard.finish())
                client._log_exchange(request, status, b"", started, headers, streamed=guard.size)
                return RawResponse(status, headers, b"", guard.size, time.monotonic() - started)
            finally:
                response.close()
    finally:
        client._give_slot(slot, response)


async def _aattempt(
    client: AsyncAPIClient,
    request: httpx.Request,
    sink: _Sink,
    started: float,
    accept: str,
    asked: str | None,
    read: Callable[[int, httpx.Headers, bytes], bytes],
) -> Any:

    slot = await client._atake_slot(request)
    response: httpx.Response | None = None
    deadline = _deadline(request, started)
    deadline = slot.extend(deadline) if slot else deadline
    try:
        with deadline_scope(deadline):
            response = await client._http.send(request, stream=True, follow_redirects=False)
            try:
                status, headers = response.status_code, response.headers
                if not 200 <= status < 300:
                    body = _Body(client, response, deadline)
                    async for chunk in adecoded(response):
                        body.add(chunk)
                    content = body.content()
                    client._log_exchange(request, status, content, started, headers)
                    try:
                        read(status, headers, content)
                    except XeroAPIError as exc:
                        return client._api_failure(exc, headers)
                    raise XeroResponseError(
                        f"unexpected answer (HTTP {status})", status_code=status
                    )
                guard = _Guard(client, response, deadline, accept, asked)
                async for chunk in adecoded(response):
                    sink.write(guard.add(chunk))
                sink.write(guard.finish())
                client._log_exchange(request, status, b"", started, headers, streamed=guard.size)
                return RawResponse(status, headers, b"", guard.size, time.monotonic() - started)
            finally:
                await response.aclose()
    finally:
        await client._agive_slot(slot, response)
