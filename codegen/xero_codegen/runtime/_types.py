"""Small shared types: the NOT_GIVEN sentinel and per-call option types."""

from __future__ import annotations

from typing import Final, Literal, TypeAlias

import httpx

__all__ = ["NOT_GIVEN", "NotGiven", "TimeoutTypes"]


class NotGiven:
    """Marks a per-call option that was not given (distinct from ``None``)."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

TimeoutTypes: TypeAlias = "float | httpx.Timeout | None"
