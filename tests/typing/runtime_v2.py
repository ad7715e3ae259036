"""mypy --strict over the 2.0 runtime's public names (auth, tenants, errors, limits, where).

Never run; ``make check`` type-checks it (``assert_type`` pins every return type).
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any, assert_type

from lxml import etree
from xero_customer_api import (
    ApiExceptionElement,
    AsyncXeroClient,
    AuthenticationError,
    AuthorizationRequest,
    BatchItem,
    BatchResult,
    Connection,
    PermissionDeniedError,
    RateLimit,
    RateLimitError,
    ValidationError,
    Where,
    XeroClient,
    XeroToken,
    aexchange_code,
    all_of,
    any_of,
    authorization_url,
    exchange_code,
    field,
    revoke_token,
)
from xero_customer_api.v2_0 import models


def persist(token: dict[str, Any]) -> None:
    print(sorted(token))


def sync_use() -> None:
    start = authorization_url(
        client_id="id", redirect_uri="https://a.test/cb", scopes=["offline_access"]
    )
    assert_type(start, AuthorizationRequest)
    assert_type(start.code_verifier, str)
    token = exchange_code(
        client_id="id",
        redirect_uri="https://a.test/cb",
        code_verifier=start.code_verifier,
        code="c",
    )
    assert_type(token, XeroToken)
    assert_type(token["access_token"], str)
    with XeroClient(
        client_id="id", client_secret="s", token=token, on_token_refresh=persist
    ) as client:
        assert_type(client.connections(), list[Connection])
        other = client.with_options(tenant_id=uuid.UUID("4c76ffb5-02e7-47c5-9a86-b0a5a35d1682"))
        assert_type(other, XeroClient)
        raw = other.contacts.with_raw_response.list(tenant_id="t2")
        assert_type(raw.rate_limit, RateLimit)
        anything = client.request("GET", "Contacts", params={"page": 1})
        assert_type(anything.parsed, etree._Element | bytes)
        assert_type(client.disconnect(uuid.uuid4()), None)
        assert_type(client.revoke_token(), None)
        assert_type(revoke_token(client_id="id", token=token), None)
        assert_type(raw.rate_limit.day_remaining, int | None)
        expression = field("Type").eq("ACCREC") & (
            field("Date").ge(datetime.date(2026, 1, 1))
            | field("Contact.ContactID").eq(uuid.uuid4())
        )
        assert_type(expression, Where)
        assert_type(all_of(expression, field("Total").gt(Decimal("1"))), Where)
        assert_type(any_of(field("Name").contains("x")), Where)
        other.invoices.list(where=expression)
        result = other.contacts.save_many([models.Contact(name="a")], summarize_errors=False)
        assert_type(result, BatchResult[models.Contact])
        first = result.items[0]
        assert_type(first, BatchItem[models.Contact])
        assert_type(first.item, models.Contact)
        assert_type(first.validation_errors, list[str])
        assert_type(result.failed, list[BatchItem[models.Contact]])
    try:
        XeroClient(access_token="t", tenant_id="t").accounts.list()
    except ValidationError as exc:
        assert_type(exc.error_number, int | None)
        assert_type(exc.elements, tuple[ApiExceptionElement, ...])
        assert_type(exc.elements[0].validation_errors, tuple[str, ...])
    except AuthenticationError as exc:
        assert_type(exc.detail, str | None)
    except PermissionDeniedError as exc:
        assert_type(exc.rate_limit, RateLimit)
    except RateLimitError as exc:
        assert_type(exc.problem, str | None)
        assert_type(exc.retry_after, float | None)


async def async_use() -> None:
    token = await aexchange_code(
        client_id="id", redirect_uri="https://a.test/cb", code_verifier="v", code="c"
    )

    async def apersist(token: dict[str, Any]) -> None:
        print(sorted(token))

    async with AsyncXeroClient(client_id="id", token=token, on_token_refresh=apersist) as client:
        assert_type(await client.connections(), list[Connection])
        assert_type(client.with_options(tenant_id="t"), AsyncXeroClient)
