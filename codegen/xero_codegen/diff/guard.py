"""The release guard of ``make check``: a breaking schema change needs a version bump and a
changelog entry.

The working tree's ``schemas/*/`` are compared with the same folders at the last release tag
(``v*``), or at ``main`` when there is no tag. A breaking change passes only when
``pyproject.toml``'s version is bumped at least as semver asks (pre-1.0: the minor number)
and ``CHANGELOG.md`` has a ``## [NEW VERSION]`` section. When neither a tag nor ``main``
resolves (a shallow clone, say), the guard says so and skips.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .contract import load_contract
from .rules import Change, compare, suggested_bump
from .sources import git, materialize, resolves


@dataclass
class GuardResult:
    base: str | None
    ok: bool
    lines: list[str] = field(default_factory=list)
    breaking: list[tuple[str, Change]] = field(default_factory=list)  # (version folder, change)


def release_base(root: Path) -> str | None:
    """The last release tag reachable from HEAD, else ``main``, else None."""
    tag = git(root, "describe", "--tags", "--abbrev=0", "--match", "v[0-9]*", "HEAD")
    if tag.returncode == 0 and tag.stdout.strip():
        return tag.stdout.decode().strip()
    return "main" if resolves(root, "main") else None


def _version(text: str) -> str:
    return str(tomllib.loads(text).get("project", {}).get("version", "0"))


def _parts(version: str) -> tuple[int, int, int]:
    numbers = [int(x) for x in re.findall(r"\d+", version)[:3]]
    numbers += [0] * (3 - len(numbers))
    return numbers[0], numbers[1], numbers[2]


def _bumped_enough(before: str, after: str, bump: str) -> bool:
    a, b = _parts(before), _parts(after)
    if bump == "major":
        return b[0] > a[0]
    if bump == "minor":
        return b[:2] > a[:2]
    return b > a


def check_release(root: Path, base: str | None = None) -> GuardResult:
    """Compare ``root``'s schemas with ``base`` (default :func:`release_base`)."""
    base = base or release_base(root)
    if base is None:
        return GuardResult(
            None, True, ["release guard skipped: no release tag (v*) and no main branch resolve"]
        )
    result = GuardResult(base, True)
    listing = git(root, "ls-tree", "-d", "--name-only", f"{base}:schemas")
    old_versions = set(listing.stdout.decode().split()) if listing.returncode == 0 else set()
    new_versions = {p.parent.name for p in (root / "schemas").glob("*/manifest.toml")}
    changes: list[Change] = []
    for version in sorted(old_versions - new_versions):
        result.lines.append(f"schemas/{version}: removed since {base} (breaking)")
        result.ok = False
    for version in sorted(new_versions):
        if version not in old_versions:
            result.lines.append(f"schemas/{version}: new since {base}")
            continue
        with materialize(f"git:{base}:schemas/{version}", root) as old_dir:
            found = compare(load_contract(old_dir), load_contract(root / "schemas" / version))
        changes.extend(found)
        for change in found:
            if change.level == "breaking":
                result.breaking.append((version, change))
        result.lines.append(
            f"schemas/{version}: {len(found)} changes since {base}, "
            f"{sum(c.level == 'breaking' for c in found)} breaking"
        )
    if not result.breaking and result.ok:
        return result
    before = _version(git(root, "show", f"{base}:pyproject.toml").stdout.decode())
    after = _version((root / "pyproject.toml").read_text(encoding="utf-8"))
    needed = suggested_bump([c for _, c in result.breaking] or changes, before)
    for version, change in result.breaking[:20]:
        result.lines.append(f"  breaking in schemas/{version}: {change.id} {change.subject}")
    if not _bumped_enough(before, after, needed):
        result.ok = False
        result.lines.append(
            f"pyproject.toml version {after} is not a {needed} bump of {before} ({base}): "
            "breaking changes need one"
        )
    changelog = root / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8") if changelog.is_file() else ""
    if not re.search(rf"^## \[{re.escape(after)}\]", text, re.MULTILINE):
        result.ok = False
        result.lines.append(f"CHANGELOG.md has no '## [{after}]' section for the breaking changes")
    return result
