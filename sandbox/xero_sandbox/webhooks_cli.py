"""``xero-sandbox webhooks add|list|enable|resend|remove``: an app's webhooks on a running
sandbox, over its loopback-only ``/_sandbox/webhooks`` endpoints.

The sandbox and the app come from the variables ``xero-sandbox serve`` printed
(``XERO_BASE_URL``, ``XERO_CLIENT_ID``, ``XERO_CLIENT_SECRET``, ``XERO_CA_BUNDLE``) or from
the options. ``add`` prints ``export XERO_WEBHOOK_KEY=...`` (the signing key) and
``export XERO_WEBHOOK_ID=...``.
"""

from __future__ import annotations

import json
import shlex
import ssl
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import click
import httpx

from .webhooks import ADMIN_PREFIX, CATEGORIES


def _root(base_url: str) -> str:
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise click.UsageError(f"--sandbox must be the sandbox's URL, not {base_url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def _options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(
        (
            click.option(
                "--sandbox",
                "sandbox_url",
                envvar="XERO_BASE_URL",
                show_envvar=True,
                required=True,
                help="The running sandbox (any of its URLs; `serve` prints XERO_BASE_URL).",
            ),
            click.option("--client-id", envvar="XERO_CLIENT_ID", show_envvar=True, required=True),
            click.option(
                "--client-secret", envvar="XERO_CLIENT_SECRET", show_envvar=True, required=True
            ),
            click.option(
                "--ca-bundle",
                envvar="XERO_CA_BUNDLE",
                show_envvar=True,
                type=click.Path(dir_okay=False, exists=True),
                help="The sandbox's CA bundle (HTTPS).",
            ),
        )
    ):
        command = option(command)
    return command


def _call(
    method: str,
    path: str,
    sandbox_url: str,
    client_id: str,
    client_secret: str,
    ca_bundle: str | None,
    body: dict[str, Any] | None = None,
) -> dict[str, Any]:
    verify: ssl.SSLContext | bool = (
        ssl.create_default_context(cafile=ca_bundle) if ca_bundle else True
    )
    url = _root(sandbox_url) + ADMIN_PREFIX + path
    try:
        with httpx.Client(verify=verify, timeout=60.0) as http:
            answer = http.request(method, url, json=body, auth=(client_id, client_secret))
    except httpx.HTTPError as exc:
        raise click.ClickException(
            f"the sandbox at {_root(sandbox_url)} did not answer: {exc}"
        ) from None
    try:
        document = answer.json()
    except ValueError:
        document = {"error": answer.text[:300]}
    if answer.status_code >= 400:
        raise click.ClickException(str(document.get("error", document)))
    return dict(document)


@click.group("webhooks")
def webhooks() -> None:
    """An app's webhooks on a running sandbox: add one (after Xero's intent-to-receive
    check), list them with their deliveries, re-enable, resend a delivery, remove."""


@webhooks.command("add")
@click.option("--url", required=True, help="Where to POST the events (http:// is accepted).")
@click.option(
    "--category",
    "categories",
    multiple=True,
    type=click.Choice(CATEGORIES, case_sensitive=False),
    help="Only these categories (repeat; default: all).",
)
@click.option(
    "--key",
    default=None,
    help="A signing key your receiver already has (sandbox only; Xero always makes one):"
    " the check then runs at once.",
)
@_options
def add(
    url: str,
    categories: tuple[str, ...],
    key: str | None,
    sandbox_url: str,
    client_id: str,
    client_secret: str,
    ca_bundle: str | None,
) -> None:
    """Subscribe URL to the app's events; print the signing key and the webhook's id
    (`export XERO_WEBHOOK_KEY=...` and `export XERO_WEBHOOK_ID=...`).

    As at Xero, the new webhook waits for the intent-to-receive check (PENDING): give your
    receiver the key, then run `xero-sandbox webhooks enable ID`. The sandbox sends payloads
    without events, some signed wrongly on purpose: the URL must answer 200 to the good ones
    and 401 to the bad ones, with empty bodies, within 5 seconds, or it is refused with the
    reason. With --key (a key your receiver already has) the check runs now, and the URL is
    refused (nothing added) unless it passes.
    """
    body: dict[str, Any] = {"url": url}
    if categories:
        body["categories"] = [c.upper() for c in categories]
    if key is not None:
        body["key"] = key
    found = _call("POST", "", sandbox_url, client_id, client_secret, ca_bundle, body)
    click.echo(f"export XERO_WEBHOOK_KEY={shlex.quote(str(found['key']))}")
    click.echo(f"export XERO_WEBHOOK_ID={shlex.quote(str(found['subscription_id']))}")
    state = f"{found['url']}: {', '.join(found['categories'])} ({found['status']})"
    click.echo(f"# {state}", err=True)
    if found["status"] != "ACTIVE":
        click.echo(
            "# pending: give the receiver XERO_WEBHOOK_KEY, then run:"
            f" xero-sandbox webhooks enable {found['subscription_id']}",
            err=True,
        )


@webhooks.command("list")
@click.option("--json", "as_json", is_flag=True, help="The whole answer as JSON.")
@_options
def list_command(
    as_json: bool, sandbox_url: str, client_id: str, client_secret: str, ca_bundle: str | None
) -> None:
    """The app's webhooks and their recent deliveries (newest first)."""
    found = _call("GET", "", sandbox_url, client_id, client_secret, ca_bundle)
    if as_json:
        click.echo(json.dumps(found, indent=1))
        return
    for hook in found["webhooks"]:
        reason = f" ({hook['reason']})" if hook.get("reason") else ""
        click.echo(f"{hook['subscription_id']}  {hook['status']}  {hook['url']}{reason}")
        for d in hook["deliveries"]:
            error = f"  {d['last_error']}" if d["last_error"] else ""
            click.echo(
                f"  #{d['delivery_id']}  {d['status']:<9}  events {d['first_event_sequence']}"
                f"-{d['last_event_sequence']}  attempts {d['attempts']}{error}"
            )


@webhooks.command("enable")
@click.argument("webhook_id")
@_options
def enable(
    webhook_id: str, sandbox_url: str, client_id: str, client_secret: str, ca_bundle: str | None
) -> None:
    """Re-enable a disabled webhook (the intent-to-receive check runs again)."""
    found = _call("POST", f"/{webhook_id}/enable", sandbox_url, client_id, client_secret, ca_bundle)
    click.echo(f"{found['subscription_id']}  {found['status']}")


@webhooks.command("resend")
@click.argument("webhook_id")
@click.argument("delivery_id", type=int)
@_options
def resend(
    webhook_id: str,
    delivery_id: int,
    sandbox_url: str,
    client_id: str,
    client_secret: str,
    ca_bundle: str | None,
) -> None:
    """Send a delivery again now (same payload and signature)."""
    path = f"/{webhook_id}/deliveries/{delivery_id}/resend"
    found = _call("POST", path, sandbox_url, client_id, client_secret, ca_bundle)
    click.echo(f"#{found['delivery_id']}  {found['status']}")


@webhooks.command("remove")
@click.argument("webhook_id")
@_options
def remove(
    webhook_id: str, sandbox_url: str, client_id: str, client_secret: str, ca_bundle: str | None
) -> None:
    """Delete a webhook and its deliveries."""
    _call("DELETE", f"/{webhook_id}", sandbox_url, client_id, client_secret, ca_bundle)
    click.echo(f"removed {webhook_id}")
