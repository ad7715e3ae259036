"""Command line: ``xero-sandbox serve``, ``xero-sandbox keys add-org|add-partner`` and
``xero-sandbox webhooks add|list|...``."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from . import seed, webhooks_cli
from .server import ServeOptions, serve
from .store import Store, StoreVersionError


def _open(db: Path) -> Store:
    try:
        return Store(db)
    except StoreVersionError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
def main() -> None:
    """A local sandbox of Xero's Customer API 1.0 and Accounting API 2.0 (with OAuth 2.0)."""


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=0,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port; 0 picks a free one.",
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite file (default: in memory).",
)
@click.option("--http", "plain_http", is_flag=True, help="Serve plain HTTP (loopback hosts only).")
@click.option(
    "--ca-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the CA bundle.",
)
@click.option(
    "--header-timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0.1, 3600),
    help="Seconds a connection has to send a request's headers (then it is closed).",
)
@click.option(
    "--idle-timeout",
    default=5,
    show_default=True,
    type=click.IntRange(1, 3600),
    help="Seconds an idle keep-alive connection stays open.",
)
@click.option(
    "--body-timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(0.1, 3600),
    help="Seconds a request has to send its body (then 408).",
)
@click.option(
    "--max-connections",
    default=256,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Open connections beyond which requests get 503.",
)
@click.option(
    "--token-ttl",
    default=1800,
    show_default=True,
    type=click.IntRange(1, 86_400),
    help="Seconds an OAuth 2.0 access token lives.",
)
@click.option(
    "--time-scale",
    default=1.0,
    show_default=True,
    type=click.FloatRange(1.0, 1_000_000.0),
    help="Shorten every 2.0 rate-limit window this many times (60: a minute lasts 1 s).",
)
@click.option("--no-limits", is_flag=True, help="Turn the 2.0 rate limits off.")
@click.option(
    "--latency",
    default=0.0,
    show_default=True,
    type=click.FloatRange(0.0, 60.0),
    help="Seconds every 2.0 API call takes, holding its in-progress slot, as Xero's calls do"
    " (so the 5-calls-in-progress limit bites); 0 answers at once.",
)
@click.option(
    "--attachment-max-bytes",
    default=None,
    type=click.IntRange(1, 2**40),
    envvar="XERO_SANDBOX_ATTACHMENT_MAX_BYTES",
    show_envvar=True,
    help="Largest attachment file accepted, in bytes (larger: Xero's 413);"
    " default 10485760 (10 MB, Xero's limit).",
)
def serve_command(
    host: str,
    port: int,
    db: Path | None,
    plain_http: bool,
    ca_file: Path | None,
    header_timeout: float,
    idle_timeout: int,
    body_timeout: float,
    max_connections: int,
    token_ttl: int,
    time_scale: float,
    no_limits: bool,
    latency: float,
    attachment_max_bytes: int | None,
) -> None:
    """Serve the Accounting API 2.0 (/api.xro/2.0/), the Customer API 1.0 (/api.xro/1.0/) and
    the OAuth 2.0 identity server (/connect/token, /identity/connect/authorize,
    /connect/revocation, /connections) and, once ready, print `export XERO_...=value` lines
    to paste into a shell and the partner console's URL. Runs until Ctrl-C (or SIGTERM); the
    temporary CA bundle is removed on exit."""
    options = ServeOptions(
        host=host,
        port=port,
        db=db,
        http=plain_http,
        ca_file=ca_file,
        header_timeout=header_timeout,
        keep_alive_timeout=idle_timeout,
        body_timeout=body_timeout,
        max_connections=max_connections,
        token_ttl=token_ttl,
        time_scale=time_scale,
        limits=not no_limits,
        latency=latency,
        attachment_max_bytes=attachment_max_bytes,
    )
    raise SystemExit(serve(options))


@main.group("keys")
def keys() -> None:
    """Manage partners, organisations and OAuth 2.0 apps in a sandbox database."""


@keys.command("add-org")
@click.option(
    "--db", required=True, type=click.Path(dir_okay=False, path_type=Path), help="SQLite file."
)
@click.option("--name", required=True, help="Name of the new organisation.")
@click.option(
    "--partner-key",
    default=None,
    help="Partner (apiKey) to link it to; default: the first partner.",
)
def add_org(db: Path, name: str, partner_key: str | None) -> None:
    """Create a seeded organisation and print its customer key (1.0's xeroKey) and its
    tenant id (2.0's xero-tenant-id) as `export XERO_CUSTOMER_KEY=...` and
    `export XERO_TENANT_ID=...` lines."""
    store = _open(db)
    try:
        store.ensure_seeded()
        try:
            key, tenant_id = store.add_org(name, partner_key)
        except KeyError as exc:
            raise click.ClickException("unknown partner key") from exc
    finally:
        store.close()
    click.echo(f"export XERO_CUSTOMER_KEY={shlex.quote(key)}")
    click.echo(f"export XERO_TENANT_ID={shlex.quote(tenant_id)}")


@keys.command("add-app")
@click.option(
    "--db", required=True, type=click.Path(dir_okay=False, path_type=Path), help="SQLite file."
)
@click.option("--name", default=f"{seed.APP_NAME} 2", show_default=True, help="App name.")
@click.option(
    "--partner-key",
    default=None,
    help="Partner (apiKey) the app belongs to; default: the first partner.",
)
@click.option(
    "--tenant-id",
    default=None,
    help="Organisation of its custom connection (client credentials); default: the partner's first.",
)
@click.option(
    "--pkce",
    is_flag=True,
    help="A PKCE app (mobile or desktop): no client secret and no custom connection; its"
    " authorizations need an S256 code_challenge.",
)
def add_app(
    db: Path, name: str, partner_key: str | None, tenant_id: str | None, pkce: bool
) -> None:
    """Create an OAuth 2.0 app and print its client id and secret as
    `export XERO_CLIENT_ID=...` and `export XERO_CLIENT_SECRET=...` lines (a PKCE app has
    no secret: only its client id is printed)."""
    store = _open(db)
    try:
        store.ensure_seeded()
        try:
            app = store.add_app(name, partner_key, tenant_id, pkce=pkce)
        except KeyError as exc:
            raise click.ClickException(str(exc).strip("'")) from exc
    finally:
        store.close()
    click.echo(f"export XERO_CLIENT_ID={shlex.quote(app.client_id)}")
    if app.client_secret:
        click.echo(f"export XERO_CLIENT_SECRET={shlex.quote(app.client_secret)}")


@keys.command("add-partner")
@click.option(
    "--db", required=True, type=click.Path(dir_okay=False, path_type=Path), help="SQLite file."
)
@click.option("--name", default=f"{seed.PARTNER_NAME} 2", show_default=True, help="Provider name.")
def add_partner(db: Path, name: str) -> None:
    """Create a partner and print its API key (apiKey)."""
    store = _open(db)
    try:
        store.ensure_seeded()
        key = store.add_partner(name)
    finally:
        store.close()
    click.echo(key)


main.add_command(webhooks_cli.webhooks)  # xero-sandbox webhooks add|list|enable|resend|remove
