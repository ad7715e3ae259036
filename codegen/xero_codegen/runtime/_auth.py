"""How a call proves who it is for.

API 1.0 sends the partner key (``apiKey``) and the organisation's customer key (``xeroKey``)
as the first two query parameters of every call. A later API version that authenticates
with headers (OAuth bearer token plus a tenant header) adds a strategy here with the same
two methods.
"""

from __future__ import annotations

from ._secrets import register_secret

__all__ = ["AUTH_SCHEMES", "QueryKeyAuth"]


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
