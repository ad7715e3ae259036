"""Running the sandbox under uvicorn: TLS set-up, listening socket and the ready lines."""

from __future__ import annotations

import asyncio
import ipaddress
import shutil
import socket
import ssl
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trustme
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from .app import API_PREFIX, SandboxApp
from .store import Credentials, Store

LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True)
class ServeOptions:
    """Options of ``xero-sandbox serve``."""

    host: str = "127.0.0.1"
    port: int = 0
    db: Path | None = None
    http: bool = False
    ca_file: Path | None = None


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def tracking_protocol(registry: dict[tuple[str, int], asyncio.Transport]) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol, keeping ``registry[client address] = transport`` for open connections."""

    class TrackingH11Protocol(H11Protocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            if self.client is not None:
                registry[self.client] = transport

        def shutdown(self) -> None:
            # An idle keep-alive connection is dropped at once: a TLS close would wait for
            # the client's close_notify and hold up the graceful shutdown.
            if self.cycle is None or self.cycle.response_complete:
                self.transport.abort()
            else:
                super().shutdown()

        def connection_lost(self, exc: Exception | None) -> None:
            if self.client is not None:
                registry.pop(self.client, None)
            super().connection_lost(exc)

    return TrackingH11Protocol


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _tls(host: str, ca_file: Path | None) -> tuple[ssl.SSLContext, Path]:
    """A server context with a certificate from a fresh private CA, and the CA bundle file."""
    ca = trustme.CA(organization_name="Xero sandbox")
    names = sorted({"127.0.0.1", "::1", "localhost", host})
    cert = ca.issue_cert(*names)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    cert.configure_cert(context)
    if ca_file is None:
        ca_file = Path(tempfile.mkdtemp(prefix="xero-sandbox-")) / "ca.pem"
    ca_file.parent.mkdir(parents=True, exist_ok=True)
    ca.cert_pem.write_to_path(str(ca_file))
    return context, ca_file


def ready_lines(base_url: str, credentials: Credentials, ca_file: Path | None) -> list[str]:
    """The ``NAME=value`` lines printed once the server accepts connections."""
    lines = [
        f"XERO_BASE_URL={base_url}",
        # the `xero` command line speaks 2.0 by default; these point its 1.0 commands here
        "XERO_API_VERSION=1.0",
        f"XERO_V1_BASE_URL={base_url}",
        f"XERO_API_KEY={credentials.api_key}",
        f"XERO_CUSTOMER_KEY={credentials.customer_key}",
    ]
    if ca_file is not None:
        lines.append(f"XERO_CA_BUNDLE={ca_file}")
    return lines


async def _serve(server: uvicorn.Server, sock: socket.socket, announce: Callable[[], None]) -> None:
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not task.done():
        await asyncio.sleep(0.02)
    if server.started:
        announce()
    await task


def serve(options: ServeOptions, out: Any = None) -> int:
    """Run until SIGINT/SIGTERM; returns the exit status."""
    stream = out or sys.stdout
    if options.http and not is_loopback(options.host):
        print("error: --http is only allowed on a loopback host", file=sys.stderr)
        return 2
    store = Store(options.db)
    credentials = store.ensure_seeded()
    sock = _bind(options.host, options.port)
    port = sock.getsockname()[1]
    url_host = f"[{options.host}]" if ":" in options.host else options.host
    transports: dict[tuple[str, int], asyncio.Transport] = {}
    app = SandboxApp(store, transports)
    kwargs: dict[str, Any] = {}
    ca_file: Path | None = None
    if not options.http:
        context, ca_file = _tls(options.host, options.ca_file)
        kwargs["ssl_context_factory"] = lambda _config, _default: context
    scheme = "http" if options.http else "https"
    config = uvicorn.Config(
        app,
        http=tracking_protocol(transports),
        ws="none",
        lifespan="on",
        log_level="warning",
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=10,
        **kwargs,
    )
    server = uvicorn.Server(config)

    def announce() -> None:
        for line in ready_lines(f"{scheme}://{url_host}:{port}{API_PREFIX}", credentials, ca_file):
            print(line, file=stream)
        stream.flush()

    try:
        asyncio.run(_serve(server, sock, announce))
    finally:
        sock.close()
        store.close()
        if ca_file is not None and options.ca_file is None:
            shutil.rmtree(ca_file.parent, ignore_errors=True)
    return 0
