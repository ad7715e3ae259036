"""How a call proves who it is for.

API 1.0 sends the partner key (``apiKey``) and the organisation's customer key (``xeroKey``)
as the first two query parameters of every call. A later API version that authenticates
with headers (OAuth bearer token plus a tenant header) adds a strategy here with the same
two methods.
"""

from __future__ import annotations

from ._secrets import register_secret

__all__ = ["AUTH_SCHEMES", "MIN_KEY_LENGTH", "QueryKeyAuth", "key_problem"]

MIN_KEY_LENGTH = 16
"""The shortest partner or customer key accepted. Xero's keys are 30 upper-case letters and
digits; anything much shorter cannot be one, and a short string could not be redacted from
logs without masking ordinary words."""


def key_problem(label: str, value: object) -> str | None:
    """Why ``value`` cannot be a Xero key (``label`` names it), or None. Never shows it."""
    if not isinstance(value, str) or not value.strip():
        return f"{label} must be a non-empty string"
    key = value.strip()
    if len(key) < MIN_KEY_LENGTH:
        return (
            f"{label} is too short to be a Xero key ({len(key)} characters; Xero's keys are 30, "
            f"at least {MIN_KEY_LENGTH} are required)"
        )
    if not key.isascii() or not key.isprintable() or any(c.isspace() for c in key):
        return f"{label} cannot be a Xero key: only printable ASCII without spaces is allowed"
    return None


class QueryKeyAuth:
    """The 1.0 scheme: ``apiKey`` and ``xeroKey`` in the query string."""

    __slots__ = ("_api_key", "_customer_key")

    def __init__(self, *, api_key: str, customer_key: str) -> None:
        self._api_key = api_key
        self._customer_key = customer_key
        register_secret(api_key)
        register_secret(customer_key)

    def query_params(self) -> list[tuple[str, str | None]]:
        """The parameters that go first in every query string."""
        return [("apiKey", self._api_key), ("xeroKey", self._customer_key)]

    def headers(self) -> dict[str, str]:
        """Extra request headers (none for 1.0)."""
        return {}

    def __repr__(self) -> str:
        return "QueryKeyAuth(api_key='***', customer_key='***')"


AUTH_SCHEMES: dict[str, type[QueryKeyAuth]] = {"query-keys": QueryKeyAuth}
"""The manifest's ``auth`` value (a client's ``_auth_style``) -> its scheme."""
