"""Reading an API version's manifest: ``manifest.toml`` plus one file per resource.

``schemas/vX.Y/manifest.toml`` holds what the whole version shares (``[api]``, ``[renames]``,
``[checks]``). Each resource may be a file of its own, ``schemas/vX.Y/resources/<name>.toml``,
so that a resource is one readable unit: its top-level keys are the resource's own table
(``doc = "..."``) and its ``[[endpoints]]`` leave out ``resource =`` (the file's stem is the
resource). The result is the one dictionary the generator, the diff tool and the tests read,
the same as if everything were written in ``manifest.toml``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

MANIFEST = "manifest.toml"
RESOURCE_DIR = "resources"


class ManifestFileError(ValueError):
    """A manifest file cannot be read or merged (the file and the problem named)."""


def load_manifest(schema_dir: Path) -> dict[str, Any]:
    """The merged manifest of the API version in ``schema_dir``."""
    path = schema_dir / MANIFEST
    manifest = _read(path)
    resources: dict[str, Any] = manifest.setdefault("resources", {})
    endpoints: list[dict[str, Any]] = manifest.setdefault("endpoints", [])
    folder = schema_dir / RESOURCE_DIR
    for file in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        name = file.stem
        data = _read(file)
        own = data.pop("endpoints", [])
        if name in resources:
            raise ManifestFileError(f"{file}: resource {name!r} is also declared in {MANIFEST}")
        resources[name] = data
        for endpoint in own:
            given = endpoint.setdefault("resource", name)
            if given != name:
                raise ManifestFileError(
                    f"{file}: an endpoint names resource {given!r}; in this file it is {name!r}"
                )
            endpoints.append(endpoint)
    return manifest


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ManifestFileError(f"{path}: {exc}") from exc
