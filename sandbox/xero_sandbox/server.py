"""Running the sandbox under uvicorn: TLS set-up, listening socket, timeouts and the ready lines.

Once the server accepts connections it prints, flushed, lines a POSIX shell takes as they are
(:func:`ready_lines`): ``export XERO_BASE_URL=...`` (API 2.0), the demo app's
``XERO_CLIENT_ID``/``XERO_CLIENT_SECRET``, ``XERO_TENANT_ID``, ``XERO_TOKEN_URL``,
``XERO_AUTHORIZE_URL``, then 1.0's ``XERO_V1_BASE_URL``, ``XERO_API_KEY``,
``XERO_CUSTOMER_KEY``, and over HTTPS ``XERO_CA_BUNDLE``; then the console URL and how to stop::

    export XERO_BASE_URL=https://127.0.0.1:PORT/api.xro/2.0/
    ...
    export XERO_CA_BUNDLE=/tmp/xero-sandbox-XXXX/ca.pem
    # Partner console: https://127.0.0.1:PORT/console?apiKey=...
    # Stop with Ctrl-C (the CA bundle is removed on exit).

The temporary CA folder is removed however the server stops (normal exit, SIGINT, SIGTERM,
SIGHUP); after a signal the process then ends by that same signal, as uvicorn does.

Slow or idle clients cannot hold connections: a connection must deliver a request's headers
within ``header_timeout`` seconds of opening (or of its previous response), its body within
``body_timeout`` (else 408), and an idle keep-alive connection is closed after
``keep_alive_timeout``. A request line and headers larger than 16 KiB are refused (431).
At ``max_connections`` open connections, a new connection first drops one that holds no
request: one that never sent a whole request head (else an idle keep-alive one), the
longest-waiting of the client address holding the most; only when every connection holds a
request do new requests get 503. One client address holds at most a quarter of
``max_connections`` (at least 16) connections that never sent a whole request head.
"""

from __future__ import annotations

import asyncio
import ipaddress
import shlex
import shutil
import signal
import socket
import ssl
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import quote

import trustme
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from .app import SandboxApp
from .http import MAX_HEADER_BYTES
from .identity import AUTHORIZE_PATH, TOKEN_PATH
from .process import CONSOLE_PREFIX
from .store import Credentials, Store, StoreVersionError
from .v1_0 import PREFIX as V1_PREFIX
from .v2_0 import PREFIX as V2_PREFIX
from .v2_0.resources import attachments

LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True)
class ServeOptions:
    """Options of ``xero-sandbox serve``."""

    host: str = "127.0.0.1"
    port: int = 0
    db: Path | None = None
    http: bool = False
    ca_file: Path | None = None
    header_timeout: float = 10.0
    keep_alive_timeout: int = 5
    body_timeout: float = 30.0
    max_connections: int = 256
    token_ttl: int = 1800
    time_scale: float = 1.0
    limits: bool = True
    latency: float = 0.0
    #: Largest attachment accepted, bytes (None: $XERO_SANDBOX_ATTACHMENT_MAX_BYTES, else 10 MB).
    attachment_max_bytes: int | None = None


#: Signals that stop the server gracefully.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def tracking_protocol(
    registry: dict[tuple[str, int], asyncio.Transport],
    header_timeout: float = 10.0,
    max_connections: int | None = None,
) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol, keeping ``registry[client address] = transport`` for open
    connections, and closing a connection whose request headers take longer than
    *header_timeout* seconds (counted from the connection or from its previous response).

    At *max_connections* open connections, a new one first makes room by dropping a
    connection that holds no request: one that has not yet sent a whole request head (a
    slow client), else an idle keep-alive one; the longest-waiting of the client address
    holding the most such connections. So sockets that never finish their headers cannot
    get other clients' calls a 503: only when every connection is busy with a request does
    a new request get uvicorn's 503. And one client address holds at most a quarter of
    *max_connections* (at least 16) connections that have not yet sent a whole request
    head: past that, its own longest-waiting one is dropped."""
    waiting: dict[H11Protocol, float] = {}  # connections with no request in progress
    fresh: set[H11Protocol] = set()  # ... of which never a whole request head
    client_cap = max(16, (max_connections or 256) // 4)

    def host_of(protocol: H11Protocol) -> str:
        return protocol.client[0] if protocol.client else ""

    def drop(victim: H11Protocol) -> None:
        waiting.pop(victim, None)
        fresh.discard(victim)
        victim.transport.abort()

    def make_room(newcomer: H11Protocol) -> None:
        host = host_of(newcomer)
        own = [p for p in fresh if p is not newcomer and host_of(p) == host]
        if len(own) >= client_cap:
            drop(min(own, key=lambda p: waiting.get(p, 0.0)))
        if max_connections is None or len(registry) < max_connections:
            return
        candidates = [p for p in fresh if p is not newcomer] or [
            p for p in waiting if p is not newcomer
        ]
        if not candidates:
            return
        counts: dict[str, int] = {}
        for p in candidates:
            counts[host_of(p)] = counts.get(host_of(p), 0) + 1
        busiest = max(counts.values())
        drop(
            min(
                (p for p in candidates if counts[host_of(p)] == busiest),
                key=lambda p: waiting.get(p, 0.0),
            )
        )

    class TrackingH11Protocol(H11Protocol):
        _header_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            if self.client is not None:
                registry[self.client] = transport
            self._arm_header_timer()
            fresh.add(self)
            make_room(self)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.cycle is not None and not self.cycle.response_complete:
                self._cancel_header_timer()  # a request's headers are in
                waiting.pop(self, None)
                fresh.discard(self)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing() and (
                self.cycle is None or self.cycle.response_complete
            ):
                self._arm_header_timer()  # the next request's headers are due

        def _arm_header_timer(self) -> None:
            self._cancel_header_timer()
            waiting[self] = self.loop.time()
            self._header_timer = self.loop.call_later(header_timeout, self._headers_too_slow)

        def _cancel_header_timer(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_too_slow(self) -> None:
            self._header_timer = None
            if self.cycle is None or self.cycle.response_complete:
                self.transport.abort()

        def shutdown(self) -> None:
            # An idle keep-alive connection is dropped at once: a TLS close would wait for
            # the client's close_notify and hold up the graceful shutdown.
            if self.cycle is None or self.cycle.response_complete:
                self.transport.abort()
            else:
                super().shutdown()

        def connection_lost(self, exc: Exception | None) -> None:
            self._cancel_header_timer()
            waiting.pop(self, None)
            fresh.discard(self)
            if self.client is not None:
                registry.pop(self.client, None)
            super().connection_lost(exc)

    return TrackingH11Protocol


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say TCP,
    # and without it each answer waited for the client's delayed ACK (40 ms a call)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _tls(
    host: str, ca_file: Path | None, cleanup: list[Callable[[], None]]
) -> tuple[ssl.SSLContext, Path]:
    """A server context with a certificate from a fresh private CA, and the CA bundle file
    (in a temporary folder, removed by a step added to *cleanup*, unless *ca_file* is given)."""
    ca = trustme.CA(organization_name="Xero sandbox")
    names = sorted({"127.0.0.1", "::1", "localhost", host})
    cert = ca.issue_cert(*names)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    cert.configure_cert(context)
    if ca_file is None:
        folder = tempfile.mkdtemp(prefix="xero-sandbox-")
        cleanup.append(lambda: shutil.rmtree(folder, ignore_errors=True))
        ca_file = Path(folder) / "ca.pem"
    ca_file.parent.mkdir(parents=True, exist_ok=True)
    ca.cert_pem.write_to_path(str(ca_file))
    return context, ca_file


def ready_lines(root_url: str, credentials: Credentials, ca_file: Path | None) -> list[str]:
    """What is printed once the server accepts connections: ``export NAME=value`` lines
    (values shell-quoted) and comment lines with the console URL and how to stop.

    ``XERO_BASE_URL`` is the API 2.0 base URL (the default version), ``XERO_V1_BASE_URL``
    1.0's (which the `xero` command line's ``--api-version 1.0`` reads); the OAuth 2.0 values
    are the demo app's custom connection to the Demo Company (``XERO_TENANT_ID``) and the
    identity server's endpoints.
    """
    v1_url = f"{root_url}{V1_PREFIX}"
    values = {
        "XERO_BASE_URL": f"{root_url}{V2_PREFIX}",
        "XERO_CLIENT_ID": credentials.client_id,
        "XERO_CLIENT_SECRET": credentials.client_secret,
        "XERO_TENANT_ID": credentials.tenant_id,
        "XERO_TOKEN_URL": f"{root_url}{TOKEN_PATH}",
        "XERO_AUTHORIZE_URL": f"{root_url}{AUTHORIZE_PATH}",
        "XERO_V1_BASE_URL": v1_url,
        "XERO_API_KEY": credentials.api_key,
        "XERO_CUSTOMER_KEY": credentials.customer_key,
    }
    if ca_file is not None:
        values["XERO_CA_BUNDLE"] = str(ca_file)
    console = f"{root_url}/console?apiKey={quote(credentials.api_key, safe='')}"
    stop = "# Stop with Ctrl-C" + (" (the CA bundle is removed on exit)." if ca_file else ".")
    return [
        *(f"export {name}={shlex.quote(value)}" for name, value in values.items()),
        f"{CONSOLE_PREFIX}{console}",
        stop,
    ]


class _Stopped(BaseException):
    """A stop signal arrived outside uvicorn's own handling (carries its number)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


async def _serve(server: uvicorn.Server, sock: socket.socket, announce: Callable[[], None]) -> None:
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not task.done():
        await asyncio.sleep(0.02)
    if server.started:
        announce()
    await task


def serve(options: ServeOptions, out: Any = None) -> int:
    """Run until SIGINT/SIGTERM/SIGHUP; returns the exit status (after a signal, the
    process ends by that signal once everything is cleaned up)."""
    stream = out or sys.stdout
    if options.http and not is_loopback(options.host):
        print("error: --http is only allowed on a loopback host", file=sys.stderr)
        return 2
    server: uvicorn.Server | None = None

    def on_signal(signum: int, frame: FrameType | None) -> None:
        # uvicorn handles SIGINT/SIGTERM while it serves and re-raises them once it has shut
        # down; any stop signal that reaches this handler ends the run through `finally`.
        if server is not None and server.started and not server.should_exit:
            server.handle_exit(signum, frame)
        else:
            raise _Stopped(signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in STOP_SIGNALS}
    stopped_by: int | None = None
    cleanup: list[Callable[[], None]] = []
    try:
        try:
            store = Store(options.db)
        except StoreVersionError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        cleanup.append(store.close)
        cleanup.append(lambda: attachments.close(store))  # an in-memory store's files
        credentials = store.ensure_seeded()
        sock = _bind(options.host, options.port)
        cleanup.append(sock.close)
        port = sock.getsockname()[1]
        url_host = f"[{options.host}]" if ":" in options.host else options.host
        transports: dict[tuple[str, int], asyncio.Transport] = {}
        app = SandboxApp(
            store,
            transports,
            body_timeout=options.body_timeout,
            token_ttl=options.token_ttl,
            time_scale=options.time_scale,
            limits=options.limits,
            latency=options.latency,
            attachment_max_bytes=options.attachment_max_bytes,
        )
        kwargs: dict[str, Any] = {}
        ca_file: Path | None = None
        if not options.http:
            context, ca_file = _tls(options.host, options.ca_file, cleanup)
            kwargs["ssl_context_factory"] = lambda _config, _default: context
        scheme = "http" if options.http else "https"
        config = uvicorn.Config(
            app,
            http=tracking_protocol(transports, options.header_timeout, options.max_connections),
            ws="none",
            lifespan="on",
            log_level="warning",
            access_log=False,
            server_header=False,
            timeout_graceful_shutdown=10,
            timeout_keep_alive=options.keep_alive_timeout,
            limit_concurrency=options.max_connections,
            h11_max_incomplete_event_size=MAX_HEADER_BYTES,
            **kwargs,
        )
        server = uvicorn.Server(config)
        root_url = f"{scheme}://{url_host}:{port}"

        def announce() -> None:
            for line in ready_lines(root_url, credentials, ca_file):
                print(line, file=stream)
            stream.flush()

        asyncio.run(_serve(server, sock, announce))
    except _Stopped as stop:
        stopped_by = stop.signum
    finally:
        for step in reversed(cleanup):
            step()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if stopped_by is not None:
        signal.signal(stopped_by, signal.SIG_DFL)
        signal.raise_signal(stopped_by)
    return 0
