"""Property-based fuzzing of response bodies for every endpoint: nothing escapes the SDK's
error tree. Each call either succeeds or raises a XeroError subclass (warnings count as
escapes: pytest turns them into errors).

``make fuzz`` runs FUZZ_EXAMPLES=5000 examples per endpoint; the default keeps ``make test``
fast.
"""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from xero_customer_api import XeroError
from xero_customer_api.v1_0 import XeroClient

from tests.runtime.helpers import API_KEY, BASE_URL, CUSTOMER_KEY, ENDPOINTS, SECRETS

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)

TAGS = [
    "Response", "Errors", "Error", "Description", "Exception", "ExceptionType", "Message", "ID", "Status",
    "ProviderName", "DateTimeUTC", "Contacts", "Contact", "ContactID", "ContactNumber", "ContactStatus", "Name",
    "EmailAddress", "Addresses", "Address", "AddressType", "City", "Phones", "Phone", "PhoneType",
    "UpdatedDateUTC", "Invoices", "Invoice", "InvoiceType", "InvoiceID", "InvoiceDate", "DueDate",
    "InvoiceNumber", "SubTotal", "TotalTax", "Total", "InvoiceStatus", "LineItems", "LineItem", "Quantity",
    "UnitAmount", "TaxAmount", "LineAmount", "TaxType", "AccountCode", "Tracking", "TrackingCategory", "Option",
    "Options", "Payments", "Payment", "Date", "Amount", "Accounts", "Account", "Code", "Type", "Unknown",
]  # fmt: skip
TEXTS = st.one_of(
    st.sampled_from(
        [
            "OK",
            "ACCREC",
            "ACTIVE",
            "NEWVALUE",
            "12.50",
            "abc",
            "1E+400",
            "NaN",
            "-0",
            "true",
            "2024-03-01T00:00:00",
            "2024-02-30T00:00:00",
            "2024-03-01T09:30:00.1234567Z",
            "9999-99-99",
            "6f1d2c3b-4a59-4e8f-9a0b-1c2d3e4f5a6b",
            "Xero.API.Library.Exceptions.ObjectDoesNotExistException",
            "",
            " ",
            "&amp;",
            "&#0;",
            "&#x1F600;",
        ]
    ),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=20).map(
        lambda t: t.replace("&", "&amp;").replace("<", "&lt;")
    ),
)


def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, inner: f"<{tag}>{''.join(inner)}</{tag}>",
        st.sampled_from(TAGS),
        st.lists(children, max_size=4),
    )


TREES = st.recursive(TEXTS, element, max_leaves=30)
DOCS = st.builds(
    lambda inner: f"<Response>{inner}</Response>".encode(), st.lists(TREES, max_size=6).map("".join)
)


def mutate(body: bytes) -> st.SearchStrategy[bytes]:
    n = len(body)
    index = st.integers(0, n)
    return st.one_of(
        index.map(lambda i: body[:i]),  # truncated
        st.tuples(index, st.binary(min_size=1, max_size=8)).map(
            lambda t: body[: t[0]] + t[1] + body[t[0] :]
        ),
        st.tuples(index, st.integers(1, 40)).map(lambda t: body[: t[0]] + body[t[0] + t[1] :]),
        st.tuples(index, TREES).map(
            lambda t: body[: t[0]] + t[1].encode("utf-8", "surrogatepass") + body[t[0] :]
        ),
        st.tuples(st.sampled_from(TAGS), st.sampled_from(TAGS)).map(
            lambda t: body.replace(f"<{t[0]}>".encode(), f"<{t[1]}>".encode(), 1)
        ),
    )


def bodies(valid: bytes) -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.just(valid),
        mutate(valid),
        DOCS.map(lambda d: d.decode("utf-8", "surrogatepass").encode("utf-8", "replace")),
        st.binary(max_size=300),
        st.sampled_from(
            [b"", b"<", b"<html><body>x</body></html>", b"\xef\xbb\xbf<Response/>", b"\x00" * 10]
        ),
    )


STATUSES = st.sampled_from(
    [200, 200, 200, 200, 201, 204, 302, 400, 401, 403, 404, 405, 429, 500, 502, 503, 504]
)
CONTENT_TYPES = st.sampled_from(
    [
        "text/xml; charset=utf-8",
        "application/xml",
        "text/html",
        "text/plain",
        "",
        "text/xml; charset=utf-16",
    ]
)
HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "retry-after": st.sampled_from(
            ["1", "0", "-1", "nan", "inf", "1e309", "x", "Wed, 21 Oct 2015 07:28:00 GMT"]
        ),
        "content-encoding": st.sampled_from(["gzip", "deflate", "br", "identity", "bogus"]),
    },
)


@pytest.mark.parametrize(
    ("name", "method", "valid", "call"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS]
)
def test_nothing_escapes_the_error_tree(name: str, method: str, valid: bytes, call: Any) -> None:
    answer: dict[str, Any] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {k: v for k, v in answer["headers"].items()}
        if answer["content_type"]:
            headers["content-type"] = answer["content_type"]
        return httpx.Response(answer["status"], headers=headers, content=answer["body"])

    client = XeroClient(
        api_key=API_KEY,
        customer_key=CUSTOMER_KEY,
        base_url=BASE_URL,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        max_retries=0,
    )

    @FUZZ
    @given(
        status=STATUSES,
        content_type=CONTENT_TYPES,
        headers=HEADERS,
        body=bodies(valid),
        strict=st.booleans(),
    )
    def run(
        status: int, content_type: str, headers: dict[str, str], body: bytes, strict: bool
    ) -> None:
        answer.update(status=status, content_type=content_type, headers=headers, body=body)
        client.strict = strict
        try:
            call(client)
        except XeroError as exc:
            assert not any(s in str(exc) for s in SECRETS)

    with client:
        run()
