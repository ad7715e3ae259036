"""The two sides of a diff: a folder, or ``git:REV:path`` (that folder at a git revision).

A git side is extracted with ``git archive`` into a temporary folder that lives as long as
the ``with`` block; nothing in the working tree is touched.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path


class SourceError(ValueError):
    """A side of the diff cannot be read (no such folder, revision or path)."""


def git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)


def resolves(root: Path, rev: str) -> bool:
    """Whether ``rev`` names a commit in the repository at ``root``."""
    return git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode == 0


@contextlib.contextmanager
def materialize(spec: str, root: Path) -> Iterator[Path]:
    """The folder ``spec`` names, extracting ``git:REV:path`` (relative to ``root``) first."""
    if not spec.startswith("git:"):
        folder = Path(spec)
        if not folder.is_absolute():
            folder = Path.cwd() / folder
        if not (folder / "manifest.toml").is_file():
            raise SourceError(f"{spec}: not an API version folder (no manifest.toml)")
        yield folder
        return
    rev, sep, path = spec[len("git:") :].rpartition(":")
    if not sep or not rev or not path:
        raise SourceError(f"{spec}: expected git:REV:path, e.g. git:main:schemas/v1.0")
    path = path.strip("/")
    top = git(root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise SourceError(f"{spec}: {root} is not inside a git repository")
    if not resolves(root, rev):
        raise SourceError(f"{spec}: git revision {rev!r} does not resolve")
    archive = git(Path(top.stdout.decode().strip()), "archive", "--format=tar", rev, "--", path)
    if archive.returncode != 0:
        message = archive.stderr.decode(errors="replace").strip()
        raise SourceError(f"{spec}: {path} is not in {rev}: {message}")
    with tempfile.TemporaryDirectory(prefix="xero-diff-") as scratch:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(scratch, filter="data")
        folder = Path(scratch) / path
        if not (folder / "manifest.toml").is_file():
            raise SourceError(f"{spec}: no manifest.toml under {path} at {rev}")
        yield folder
