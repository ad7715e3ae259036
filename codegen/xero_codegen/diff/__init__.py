"""``xero-codegen diff`` and ``drift``: what a schema change does to the wire, the Python
package and the CLI, and what recorded answers hold that the schemas do not know.

- :mod:`.contract`: the one adapter from the generator's IR to a comparable contract;
- :mod:`.rules`: the rules (stable ids, levels, layers) and :func:`~.rules.compare`;
- :mod:`.report`: text, markdown and JSON renderers (``report.schema.json``);
- :mod:`.sources`: folders and ``git:REV:path`` sides; :mod:`.guard`: the release guard.
"""

from __future__ import annotations

from pathlib import Path

from .contract import load_contract
from .report import Report
from .rules import compare
from .sources import materialize

__all__ = ["diff_sources"]


def diff_sources(old: str, new: str, root: Path, package_version: str | None = None) -> Report:
    """The report of ``old`` -> ``new`` (each a folder or ``git:REV:path``)."""
    with materialize(old, root) as old_dir, materialize(new, root) as new_dir:
        a, b = load_contract(old_dir), load_contract(new_dir)
    return Report(
        old=old,
        new=new,
        old_version=a.version,
        new_version=b.version,
        changes=compare(a, b),
        package_version=package_version,
    )
