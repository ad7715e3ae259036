"""Exact decimal arithmetic shared by every API version (amounts are never floats).

Xero held amounts in .NET's System.Decimal (a 96-bit integer scaled by 10^-0..28): both
versions refuse amounts it cannot hold, round half up to cents to check totals, and add and
multiply without the default context's 28-digit rounding.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Context, Decimal

_TWO_DP = Decimal("0.01")
#: The largest amount System.Decimal holds.
DECIMAL_MAX = Decimal(2**96 - 1)
#: Enough precision to round any System.Decimal (29 digits) and products of two of them.
WIDE = Context(prec=80, rounding=ROUND_HALF_UP)


def round2(value: Decimal) -> Decimal:
    """Round half up to cents, the precision the totals are checked at."""
    return value.quantize(_TWO_DP, context=WIDE)


def quantize(value: Decimal, places: int) -> Decimal:
    """*value* with exactly *places* decimal places (half up)."""
    return value.quantize(Decimal(1).scaleb(-places), context=WIDE)


def multiply(a: Decimal, b: Decimal) -> Decimal:
    """``a * b`` exactly (no rounding at the default 28 digits)."""
    return WIDE.multiply(a, b)


def total(values: Iterable[Decimal]) -> Decimal:
    """The exact sum of *values* (no rounding at the default 28 digits)."""
    result = Decimal(0)
    for value in values:
        result = WIDE.add(result, value)
    return result


def fits_decimal(value: Decimal) -> bool:
    """True if .NET's System.Decimal (what Xero parsed amounts into) can hold *value*."""
    return value.is_finite() and value.copy_abs() <= DECIMAL_MAX
