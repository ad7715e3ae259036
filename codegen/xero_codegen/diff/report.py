"""Renderers of a diff report: text (terminal), markdown (reviews, docs) and JSON (tools).

The JSON shape is described by ``report.schema.json`` beside this module (tested).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .rules import LEVELS, Change, suggested_bump, worst

SCHEMA_PATH = Path(__file__).with_name("report.schema.json")
FORMAT_VERSION = 1
_SHOWN_SYMBOLS = 4


@dataclass(frozen=True)
class Report:
    old: str  # how the old side was named on the command line
    new: str
    old_version: str  # API version of each side (manifest api.version)
    new_version: str
    changes: list[Change]
    package_version: str | None = None  # the SDK's version, for the bump suggestion

    @property
    def counts(self) -> dict[str, int]:
        return {level: sum(c.level == level for c in self.changes) for level in LEVELS}

    @property
    def bump(self) -> str:
        return suggested_bump(self.changes, self.package_version)

    @property
    def worst(self) -> str | None:
        return worst(self.changes)


def to_json_data(report: Report) -> dict[str, Any]:
    return {
        "format": FORMAT_VERSION,
        "old": {"source": report.old, "api_version": report.old_version},
        "new": {"source": report.new, "api_version": report.new_version},
        "summary": {**report.counts, "worst": report.worst, "suggested_bump": report.bump},
        "changes": [
            {
                "id": c.id,
                "level": c.level,
                "layers": list(c.layers),
                "subject": c.subject,
                "message": c.message,
                "old": c.old,
                "new": c.new,
                "symbols": list(c.symbols),
            }
            for c in report.changes
        ],
    }


def render_json(report: Report) -> str:
    return json.dumps(to_json_data(report), indent=2, ensure_ascii=False) + "\n"


def _values(c: Change) -> str:
    if c.old is None and c.new is None:
        return ""
    short = [
        ("-" if v is None else (v if len(v) <= 60 else v[:57] + "...")) for v in (c.old, c.new)
    ]
    return f": {short[0]} -> {short[1]}"


def _symbols(c: Change) -> str:
    shown = ", ".join(c.symbols[:_SHOWN_SYMBOLS])
    more = len(c.symbols) - _SHOWN_SYMBOLS
    return shown + (f" (+{more} more)" if more > 0 else "")


def _summary_line(report: Report) -> str:
    counts = report.counts
    return (
        f"{len(report.changes)} changes: {counts['breaking']} breaking, "
        f"{counts['dangerous']} dangerous, {counts['safe']} safe; "
        f"suggested version bump: {report.bump}"
    )


def render_text(report: Report) -> str:
    lines = [
        f"xero-codegen diff {report.old} (API {report.old_version}) -> {report.new} (API {report.new_version})",
        _summary_line(report),
    ]
    for c in report.changes:
        layers = ",".join(c.layers) or "-"
        lines.append(f"{c.level:<9} {c.id:<32} [{layers}] {c.subject}: {c.message}{_values(c)}")
        if c.symbols:
            lines.append(f"{'':<10}touches {_symbols(c)}")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report) -> str:
    lines = [
        f"## `{report.old}` (API {report.old_version}) → `{report.new}` (API {report.new_version})",
        "",
        _summary_line(report) + ".",
        "",
    ]
    if not report.changes:
        return "\n".join([*lines, "No changes.", ""])
    for level in reversed(LEVELS):
        chosen = [c for c in report.changes if c.level == level]
        if not chosen:
            continue
        lines += [f"### {level.capitalize()} ({len(chosen)})", ""]
        lines += ["| change | subject | what | layers | touches |", "|---|---|---|---|---|"]
        for c in chosen:
            symbols = "<br>".join(f"`{_md(s)}`" for s in c.symbols[:_SHOWN_SYMBOLS])
            if len(c.symbols) > _SHOWN_SYMBOLS:
                symbols += f"<br>(+{len(c.symbols) - _SHOWN_SYMBOLS} more)"
            lines.append(
                f"| `{c.id}` | {_md(c.subject)} | {_md(c.message + _values(c))} | "
                f"{', '.join(c.layers)} | {symbols} |"
            )
        lines.append("")
    return "\n".join(lines)


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
