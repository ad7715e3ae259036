"""Property-based fuzzing of 2.0 answers (mutated fixtures, random trees, ApiException and JSON
bodies, any status): each call either succeeds or raises a XeroError subclass, and no token
shows in the error. ``make fuzz`` raises the number of examples (FUZZ_EXAMPLES)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from xero_customer_api import XeroError
from xero_customer_api.v2_0 import XeroClient

from tests.fuzz.test_fuzz_responses import CONTENT_TYPES, FUZZ, HEADERS, STATUSES, bodies
from tests.v2.conftest import FIXTURES
from tests.v2.test_wire import CASES, TENANT, TOKEN

FUZZED = {
    "contacts.list",
    "contacts.get/number",
    "contacts.save_many",
    "invoices.get/id",
    "invoices.create_many",
    "accounts.delete",
    "tracking_categories.create_option",
    "payments.delete",
}
ERRORS = [
    (FIXTURES / "responses/api_exception/validation_invoice_echo.xml").read_bytes(),
    (FIXTURES / "responses/api_exception/utf16_declared.xml").read_bytes(),
    b'{"Type":null,"Title":"Unauthorized","Status":401,"Detail":"TokenExpired: x"}',
    b'{"title":"Forbidden","status":403,"detail":"AuthenticationUnsuccessful"}',
]


@pytest.mark.parametrize("case", [c for c in CASES if c.id in FUZZED], ids=lambda c: c.id)
def test_nothing_escapes_the_error_tree(case: Any) -> None:
    valid = (FIXTURES / "responses" / case.fixture).read_bytes()
    answer: dict[str, Any] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        headers = dict(answer["headers"])
        if answer["content_type"]:
            headers["content-type"] = answer["content_type"]
        return httpx.Response(answer["status"], headers=headers, content=answer["body"])

    client = XeroClient(
        access_token=TOKEN,
        tenant_id=TENANT,
        base_url="https://xero.invalid/api.xro/2.0/",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        max_retries=0,
    )

    @FUZZ
    @given(
        status=STATUSES,
        content_type=CONTENT_TYPES,
        headers=HEADERS,
        body=st.one_of(bodies(valid), st.sampled_from(ERRORS).flatmap(bodies)),
        strict=st.booleans(),
    )
    def run(
        status: int, content_type: str, headers: dict[str, str], body: bytes, strict: bool
    ) -> None:
        answer.update(status=status, content_type=content_type, headers=headers, body=body)
        client.strict = strict
        try:
            case.call(client)
        except XeroError as exc:
            assert TOKEN not in str(exc) and TOKEN not in repr(exc)

    with client:
        run()
