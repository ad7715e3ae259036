"""``xero-codegen``: regenerate the SDK package from the schemas, or check it for drift."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from .ir import ManifestError
from .pipeline import Build, GenerationError, build, diff, existing_files, write


def _default_root() -> Path:
    here = Path.cwd()
    for candidate in (here, *here.parents):
        if (candidate / "schemas").is_dir() and (candidate / "codegen").is_dir():
            return candidate
    return here


root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Repository root holding schemas/ and generated/ (found from the working directory by default).",
)


@click.group()
def main() -> None:
    """Generate the xero_customer_api package from schemas/ (XSDs + manifest)."""


def _build(root: Path) -> Build:
    try:
        return build(root)
    except (ManifestError, GenerationError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


@main.command()
@root_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write the package into (default: <root>/generated).",
)
def generate(root: Path | None, out: Path | None) -> None:
    """Rewrite generated/ from schemas/."""
    root = (root or _default_root()).resolve()
    result = _build(root)
    target = out or root / "generated"
    write(result, target)
    endpoints = sum(len(api.endpoints) for api in result.apis)
    versions = ", ".join(api.version for api in result.apis)
    click.echo(f"generated {len(result.files)} files for API {versions} ({endpoints} endpoints)")


@main.command()
@root_option
def check(root: Path | None) -> None:
    """Regenerate into a temporary folder; fail naming every file that differs."""
    root = (root or _default_root()).resolve()
    result = _build(root)
    with tempfile.TemporaryDirectory() as scratch:
        write(result, Path(scratch))
        expected = existing_files(Path(scratch))
    drift = diff(expected, existing_files(root / "generated"))
    if drift.clean:
        click.echo(f"generated/ is up to date ({len(expected)} files)")
        return
    for name in drift.differ:
        click.echo(f"differs: generated/{name}", err=True)
    for name in drift.missing:
        click.echo(f"missing: generated/{name}", err=True)
    for name in drift.extra:
        click.echo(f"extra:   generated/{name}", err=True)
    click.echo("generated/ has drifted from schemas/ and codegen/: run `make generate`", err=True)
    sys.exit(1)
