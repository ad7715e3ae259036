"""Helpers of the diff tests: copies of the tiny API version with small edits."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from xero_codegen.diff.contract import Contract, load_contract

TINY = Path(__file__).with_name("tiny")
ROOT = Path(__file__).resolve().parents[2]

Edit = tuple[str, str, str]  # (file below the version folder, old text, new text)


def edited_copy(target: Path, edits: Sequence[Edit], source: Path = TINY) -> Path:
    """A copy of ``source`` at ``target`` with each edit applied exactly once."""
    shutil.copytree(source, target)
    for rel, old, new in edits:
        path = target / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{rel}: {old!r} found {text.count(old)} times"
        path.write_text(text.replace(old, new), encoding="utf-8")
    return target


_cache: dict[Path, Contract] = {}


def tiny_contract() -> Contract:
    if TINY not in _cache:
        _cache[TINY] = load_contract(TINY)
    return _cache[TINY]
