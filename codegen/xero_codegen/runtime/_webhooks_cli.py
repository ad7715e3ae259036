"""``xero webhooks listen``: a local receiver of Xero's webhooks, for development.

It listens on ``http://HOST:PORT/PATH`` (standard library HTTP server, one thread per
request) and, for each request:

- with a signing key (``--key``, ``XERO_WEBHOOK_KEY``, or the one ``--sandbox`` got),
  checks the signature as :func:`xero_customer_api.webhooks.handle` does: the
  intent-to-receive check is answered here (200 or 401, empty body), and each verified
  event is printed (a line each, or JSON lines with ``--json``); a bad signature is refused
  with 401 and reported on standard error;
- with ``--forward-to URL``, passes each event delivery on to URL unchanged (the raw body,
  ``x-xero-signature``, ``content-type``), so that the app's own verification runs, and
  answers with the app's status and body. Without a key, the intent-to-receive requests
  are forwarded too (the app answers them).

``--sandbox`` registers the listener as a webhook of the app (``XERO_CLIENT_ID``,
``XERO_CLIENT_SECRET``) on the running sandbox (``XERO_BASE_URL``, ``XERO_CA_BUNDLE``),
passes the sandbox's intent-to-receive check with the key it was given, prints
``export XERO_WEBHOOK_KEY=...`` on standard error, and removes the webhook when it stops.
"""

from __future__ import annotations

import contextlib
import json
import shlex
import signal
import ssl
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import click
import httpx

from . import _webhooks as wh

__all__ = ["Listener", "webhooks"]

#: The sandbox's endpoints for an app's webhooks (``xero-sandbox``).
SANDBOX_WEBHOOKS = "/_sandbox/webhooks"
#: Headers passed on with ``--forward-to`` (besides the body).
FORWARDED = ("content-type", "x-xero-signature", "user-agent")


def event_line(event: wh.WebhookEvent, as_json: bool) -> str:
    """How ``listen`` prints one event."""
    if as_json:
        return json.dumps(
            {
                "event_category": event.event_category,
                "event_type": event.event_type,
                "resource_id": event.resource_id,
                "resource_url": event.resource_url,
                "tenant_id": event.tenant_id,
                "tenant_type": event.tenant_type,
                "event_date_utc": event.event_date_utc.isoformat(),
                "data": dict(event.data.raw) if event.data is not None else None,
            }
        )
    when = event.event_date_utc.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
    extra = ""
    if event.data is not None:
        extra = f"  {event.data.type or ''} {event.data.status or ''}".rstrip()
    return (
        f"{when} UTC  {event.event_category:<11} {event.event_type:<7} {event.resource_id}"
        f"  tenant {event.tenant_id}{extra}"
    )


class Listener:
    """The receiving side of ``listen``: decides the answer to one request and prints."""

    def __init__(
        self,
        *,
        key: str | None,
        forward_to: str | None,
        as_json: bool,
        verify: ssl.SSLContext | bool = True,
        max_events: int | None = None,
    ) -> None:
        self.key = key
        self.forward_to = forward_to
        self.as_json = as_json
        self.max_events = max_events
        self.seen = 0
        self.done = threading.Event()
        self._lock = threading.Lock()
        self._http = httpx.Client(verify=verify, timeout=5.0) if forward_to else None

    def close(self) -> None:
        """Release the forwarding client."""
        if self._http is not None:
            self._http.close()

    def _out(self, text: str) -> None:
        with self._lock:
            click.echo(text)

    def _err(self, text: str) -> None:
        with self._lock:
            click.echo(text, err=True)

    def answer(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        """The status and body to answer a POST with."""
        payload: wh.WebhookPayload | None = None
        if self.key is not None:
            kept: list[wh.WebhookPayload] = []
            response = wh.handle(body, headers, self.key, kept.append)
            if response.status == 401:
                why = "no signature" if not wh.header(headers) else "bad signature"
                self._err(f"# refused (401): {why}")
                return 401, b""
            if response.status != 200 or not kept:
                if response.status == 200:
                    self._err("# intent to receive: answered 200 (signature verified)")
                else:
                    self._err(f"# answered {response.status}: the body is not a webhook payload")
                return response.status, b""
            payload = kept[0]
        if self.forward_to is not None:
            status, answer = self._forward(body, headers)
        else:
            status, answer = 200, b""
        if payload is not None:
            self._print(payload)
        elif self.forward_to is not None:
            with contextlib.suppress(wh.WebhookPayloadError):
                unverified = wh.decode_payload(body)
                self._err("# not verified (no --key): passed on as received")
                self._print(unverified)
        return status, answer

    def _print(self, payload: wh.WebhookPayload) -> None:
        for event in payload.events:
            self._out(event_line(event, self.as_json))
        with self._lock:
            self.seen += len(payload.events)
            if self.max_events is not None and self.seen >= self.max_events:
                self.done.set()

    def _forward(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        assert self._http is not None and self.forward_to is not None
        passed = {name: headers[name] for name in FORWARDED if name in headers}
        try:
            answer = self._http.post(self.forward_to, content=body, headers=passed)
        except httpx.HTTPError as exc:
            self._err(f"# could not forward to {self.forward_to}: {type(exc).__name__}: {exc}")
            return 502, b""
        self._err(f"# forwarded to {self.forward_to}: {answer.status_code}")
        return answer.status_code, answer.content


def _handler_class(listener: Listener, path: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "xero-webhooks-listen"
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            if urlsplit(self.path).path.rstrip("/") != path.rstrip("/"):
                self._send(404, b"")
                return
            try:
                length = int(self.headers.get("content-length") or "0")
            except ValueError:
                self._send(411, b"")
                return
            if length < 0 or length > wh.MAX_BODY:
                self._send(413, b"")
                return
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                status, answer = listener.answer(body, headers)
            except Exception as exc:  # one bad request must not stop the listener
                listener._err(f"# error: {type(exc).__name__}: {exc}")
                status, answer = 500, b""
            self._send(status, answer)

        def do_GET(self) -> None:
            self._send(405, b"")

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the listener prints events, not access lines

    return Handler


@contextlib.contextmanager
def serving(listener: Listener, host: str, port: int, path: str) -> Iterator[str]:
    """Serve *listener* in a background thread; yields its URL."""
    try:
        server = ThreadingHTTPServer((host, port), _handler_class(listener, path))
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); --port 0 picks a free port"
        ) from None
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="xero-webhooks-listen", daemon=True)
    thread.start()
    shown = f"[{host}]" if ":" in host else host
    try:
        yield f"http://{shown}:{server.server_address[1]}{path}"
    finally:
        server.shutdown()
        server.server_close()


def _sandbox_call(
    http: httpx.Client, root: str, method: str, path: str, auth: tuple[str, str], body: Any = None
) -> dict[str, Any]:
    try:
        answer = http.request(method, root + SANDBOX_WEBHOOKS + path, json=body, auth=auth)
    except httpx.HTTPError as exc:
        raise click.ClickException(f"the sandbox at {root} did not answer: {exc}") from None
    try:
        document = answer.json()
    except ValueError:
        document = {"error": answer.text[:200]}
    if answer.status_code >= 400:
        raise click.ClickException(f"the sandbox refused: {document.get('error', document)}")
    return dict(document)


def _verify(ca_bundle: str | None) -> ssl.SSLContext | bool:
    return ssl.create_default_context(cafile=ca_bundle) if ca_bundle else True


@click.group("webhooks")
def webhooks() -> None:
    """Receive Xero's webhooks on this machine (development)."""


@webhooks.command("listen")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8765,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port (0: a free one).",
)
@click.option("--path", default="/xero/webhooks", show_default=True, help="The URL path.")
@click.option(
    "--key",
    envvar="XERO_WEBHOOK_KEY",
    show_envvar=True,
    help="The webhook's signing key (verify, answer the handshake, print events).",
)
@click.option(
    "--forward-to",
    metavar="URL",
    help="Pass each delivery on to your app, unchanged; answer with its status.",
)
@click.option("--json", "as_json", is_flag=True, help="Print events as JSON lines.")
@click.option(
    "--sandbox",
    "use_sandbox",
    is_flag=True,
    help="Register as a webhook of the app on the running sandbox (XERO_BASE_URL,"
    " XERO_CLIENT_ID, XERO_CLIENT_SECRET); removed on exit.",
)
@click.option(
    "--category",
    "categories",
    multiple=True,
    help="With --sandbox: only these categories (CONTACT, INVOICE, CREDITNOTE; repeat).",
)
@click.option(
    "--max-events",
    type=click.IntRange(min=1),
    default=None,
    help="Stop after printing this many events (scripts, tests).",
)
@click.pass_context
def listen(
    ctx: click.Context,
    host: str,
    port: int,
    path: str,
    key: str | None,
    forward_to: str | None,
    as_json: bool,
    use_sandbox: bool,
    categories: tuple[str, ...],
    max_events: int | None,
) -> None:
    """Receive webhooks locally: print each verified event, answer Xero's intent-to-receive
    check, and optionally pass deliveries on to your app (--forward-to) or register with
    the local sandbox (--sandbox). Stop with Ctrl-C.

    \b
    Examples:
      xero webhooks listen --sandbox                      # events of the sandbox, printed
      xero webhooks listen --sandbox --json | jq .        # as JSON lines
      xero webhooks listen --key "$XERO_WEBHOOK_KEY" --forward-to http://127.0.0.1:8000/hooks
    """
    settings = getattr(ctx.find_root().obj, "settings", None)
    if not path.startswith("/"):
        path = "/" + path
    if not use_sandbox and key is None and forward_to is None:
        raise click.UsageError("give --key (or XERO_WEBHOOK_KEY), --forward-to or --sandbox")
    if forward_to is not None and urlsplit(forward_to).scheme not in ("http", "https"):
        raise click.UsageError("--forward-to must be an http:// or https:// URL")
    ca_bundle = getattr(settings, "ca_bundle", None)
    listener = Listener(
        key=key, forward_to=forward_to, as_json=as_json, max_events=max_events, verify=True
    )
    try:
        with serving(listener, host, port, path) as url:
            if use_sandbox:
                with _registered(settings, url, categories, ca_bundle, listener):
                    _wait(listener)
            else:
                click.echo(f"# listening on {url}", err=True)
                _wait(listener)
    finally:
        listener.close()


@contextlib.contextmanager
def _registered(
    settings: Any, url: str, categories: tuple[str, ...], ca_bundle: str | None, listener: Listener
) -> Iterator[None]:
    base = getattr(settings, "base_url", None)
    client_id = getattr(settings, "client_id", None)
    client_secret = getattr(settings, "client_secret", None)
    if not base or not client_id or not client_secret:
        raise click.UsageError(
            "--sandbox needs the sandbox's XERO_BASE_URL, XERO_CLIENT_ID and XERO_CLIENT_SECRET"
            " (paste the lines `make sandbox` printed)"
        )
    parts = urlsplit(base)
    root = f"{parts.scheme}://{parts.netloc}"
    auth = (str(client_id), str(client_secret))
    with httpx.Client(verify=_verify(ca_bundle), timeout=60.0) as http:
        body: dict[str, Any] = {"url": url}
        if categories:
            body["categories"] = [c.upper() for c in categories]
        hook = _sandbox_call(http, root, "POST", "", auth, body)
        if listener.key is None:
            listener.key = str(hook["key"])
        elif listener.key != hook["key"]:
            click.echo("# --key is not this webhook's: using the sandbox's key", err=True)
            listener.key = str(hook["key"])
        hook_id = str(hook["subscription_id"])
        try:
            _sandbox_call(http, root, "POST", f"/{hook_id}/enable", auth)
            click.echo(f"export XERO_WEBHOOK_KEY={shlex.quote(listener.key)}", err=True)
            click.echo(
                f"# listening on {url}: webhook {hook_id} of the sandbox at {root} is ACTIVE"
                " (removed on exit)",
                err=True,
            )
            yield
        finally:
            with contextlib.suppress(click.ClickException):
                _sandbox_call(http, root, "DELETE", f"/{hook_id}", auth)


def _wait(listener: Listener) -> None:
    """Until Ctrl-C, SIGTERM or --max-events; then the webhook is removed (``finally``)."""
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda *_: listener.done.set())
    try:
        while not listener.done.wait(0.2):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    click.echo("# stopped", err=True)
    sys.stdout.flush()
