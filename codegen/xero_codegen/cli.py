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


# ------------------------------------------------------------------ diff, drift, release guard


def _package_version(root: Path) -> str | None:
    import tomllib

    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        return None
    return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])


@main.command(name="diff")
@click.argument("old")
@click.argument("new")
@root_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "dangerous"]),
    default=None,
    help="Exit 1 when a change of this level (or worse) is found.",
)
def diff_command(
    old: str, new: str, root: Path | None, output_format: str, fail_on: str | None
) -> None:
    """Compare two schema trees: OLD and NEW are folders (schemas/v1.0) or git:REV:path.

    Every change is printed with its rule id, level (breaking, dangerous, safe), the layers
    it affects (wire, python, cli) and the Python and CLI names it touches. Exit status: 0,
    1 when --fail-on is met, 2 when a side cannot be read.
    """
    from .diff import diff_sources
    from .diff.contract import ContractError
    from .diff.report import RENDERERS
    from .diff.rules import LEVELS
    from .diff.sources import SourceError

    root = (root or _default_root()).resolve()
    try:
        report = diff_sources(old, new, root, _package_version(root))
    except (SourceError, ContractError, ManifestError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(RENDERERS[output_format](report), nl=False)
    if fail_on and report.worst and LEVELS.index(report.worst) >= LEVELS.index(fail_on):
        sys.exit(1)


@main.command(name="release-check")
@root_option
@click.option(
    "--base", default=None, help="Compare with this revision (default: last v* tag, else main)."
)
def release_check(root: Path | None, base: str | None) -> None:
    """Fail when a breaking schema change since the last release has no version bump in
    pyproject.toml and no CHANGELOG.md entry (run by `make check`)."""
    from .diff.guard import check_release

    root = (root or _default_root()).resolve()
    result = check_release(root, base)
    for line in result.lines:
        click.echo(line, err=not result.ok)
    if not result.ok:
        click.echo("release guard failed: bump the version and add a CHANGELOG.md entry", err=True)
        sys.exit(1)
    click.echo(
        f"release guard ok (against {result.base})" if result.base else "release guard skipped"
    )


@main.command(name="drift")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@root_option
@click.option(
    "--schemas",
    "schema_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="The API version to check against (default: the one the recorded paths name, else the one under schemas/ that fits best).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--patch",
    "patch_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write every proposed XSD change as one patch (for `git apply`).",
)
def drift_command(
    files: tuple[Path, ...],
    root: Path | None,
    schema_dir: Path | None,
    output_format: str,
    patch_file: Path | None,
) -> None:
    """Report what recorded answers hold that the XSDs do not know, with XSD patches.

    FILES are XML documents (recorded answers) or the partner console's JSON export
    (GET /console/export?apiKey=KEY on the sandbox). Exit status: 0 when the schemas know
    everything, 1 when there are findings, 2 when a file cannot be read.
    """
    import json

    from .diff.drift import DriftError, DriftReport, drift, recorded_version

    root = (root or _default_root()).resolve()
    try:
        named = recorded_version(files) if schema_dir is None else None
        if named is not None and (root / "schemas" / f"v{named}" / "manifest.toml").is_file():
            schema_dir = root / "schemas" / f"v{named}"  # the version the recorded paths name
        if schema_dir is not None:
            report = drift(list(files), schema_dir, root)
        else:
            candidates = sorted((root / "schemas").glob("*/manifest.toml"))
            if not candidates:
                raise DriftError(f"no API versions under {root / 'schemas'}: give --schemas")
            reports: list[DriftReport] = [drift(list(files), c.parent, root) for c in candidates]
            report = min(reversed(reports), key=lambda r: len(r.findings) + 10 * len(r.unread))
    except (DriftError, ManifestError, OSError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    if output_format == "json":
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(report.to_text(), nl=False)
    if patch_file is not None:
        patch_file.write_text(report.patch, encoding="utf-8")
    if report.findings:
        sys.exit(1)


@main.command(name="docs")
@root_option
@click.option("--check", is_flag=True, help="Fail naming every generated page that differs.")
def docs_command(root: Path | None, check: bool) -> None:
    """Write the generated pages of the documentation site (docs/reference/, docs/errors.md,
    the upgrade guide, mkdocs.yml) from schemas/ and the runtime; --check only compares."""
    from .diff.contract import ContractError
    from .docs import build_docs, existing_docs, write_docs

    root = (root or _default_root()).resolve()
    try:
        files = build_docs(root)
    except (ContractError, ManifestError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    if not check:
        write_docs(root, files)
        click.echo(f"wrote {len(files)} documentation files")
        return
    on_disk = existing_docs(root)
    problems = [f"differs: {n}" for n in sorted(files) if n in on_disk and on_disk[n] != files[n]]
    problems += [f"missing: {n}" for n in sorted(set(files) - set(on_disk))]
    problems += [f"extra:   {n}" for n in sorted(set(on_disk) - set(files))]
    if not problems:
        click.echo(f"docs are up to date ({len(files)} files)")
        return
    for line in problems:
        click.echo(line, err=True)
    click.echo("the generated docs have drifted: run `make generate`", err=True)
    sys.exit(1)


@main.command(name="coverage")
@root_option
@click.option(
    "--openapi",
    "openapi",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    required=True,
    help="Xero's OpenAPI description (xero_accounting.yaml, YAML or JSON).",
)
@click.option(
    "--api-version",
    "version",
    default=None,
    help="API version of schemas/v<version>/ (default: the newest with a manifest).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
    show_default=True,
)  # fmt: skip
def coverage_command(root: Path | None, openapi: Path, version: str | None, fmt: str) -> None:
    """Compare the manifest and XSDs with Xero's OpenAPI description: operations covered,
    left out (with why) and missing; parameters, fields and enumeration values either lacks."""
    from .coverage import CoverageError, compare, load_openapi, newest_version, render

    schemas = (root or _default_root()).resolve() / "schemas"
    schema_dir = schemas / f"v{version or newest_version(schemas)}"
    try:
        click.echo(render(compare(schema_dir, load_openapi(openapi)), fmt), nl=False)
    except CoverageError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
