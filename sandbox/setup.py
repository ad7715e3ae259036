"""Build hook of the xero-sandbox distribution: its wheel carries the repository's XSDs.

The XSDs have one source, ``../schemas`` (the SDK is generated from them too). Building a wheel
copies every ``schemas/**/*.xsd`` into ``xero_sandbox/schemas/`` of the build, and an sdist
carries the same copy, so a wheel built from the sdist finds them in the package itself. An
editable install needs no copy: ``xero_sandbox.xsd.schema_dir`` falls back to the checkout.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist
from setuptools.errors import SetupError

HERE = Path(__file__).resolve().parent
REPO_SCHEMAS = HERE.parent / "schemas"
PACKED = Path("xero_sandbox") / "schemas"


def _copy_schemas(target: Path) -> None:
    """Copy the repository's XSDs under *target* (a no-op when building from an sdist)."""
    if not REPO_SCHEMAS.is_dir():
        if not (HERE / PACKED).is_dir():
            raise SetupError(f"no XSDs: neither {REPO_SCHEMAS} nor {HERE / PACKED} exists")
        return  # an unpacked sdist: package data already holds them
    files = sorted(REPO_SCHEMAS.rglob("*.xsd"))
    if not files:
        raise SetupError(f"no XSDs under {REPO_SCHEMAS}")
    for source in files:
        destination = target / source.relative_to(REPO_SCHEMAS)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)


class BuildPyWithSchemas(build_py):
    """build_py, then the XSDs into the build's ``xero_sandbox/schemas``."""

    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            _copy_schemas(Path(self.build_lib) / PACKED)


class SdistWithSchemas(sdist):
    """sdist, with the XSDs inside the package so the sdist builds on its own."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        _copy_schemas(Path(base_dir) / PACKED)


setup(cmdclass={"build_py": BuildPyWithSchemas, "sdist": SdistWithSchemas})
