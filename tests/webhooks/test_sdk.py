"""xero_customer_api.webhooks: signatures (vectors computed here with hmac, and by openssl),
tampered, re-encoded, wrong key, missing, empty, 10 MB; typed payloads; handle()."""

from __future__ import annotations

import base64
import copy
import datetime
import hashlib
import hmac
import json
import pickle
import shutil
import subprocess
import time
from typing import Any

import pytest
from xero_customer_api import XeroError
from xero_customer_api import webhooks as wh

from .support import xero_signature

KEY = "Xm6Yo0d2bC8VYHgHVP0rO0lR5A4Y8hG2n3nY0rT7a9q+YrTqQ8hR0yJ1bZ2KxQ7cW3n4M5p6Q7r8S9t0U1v2W3=="
TENANT = "c2cc9b6e-9458-4c7d-93cc-f02b81b0594f"


def payload(events: list[dict[str, Any]] | None = None, first: int = 1, last: int = 1) -> bytes:
    document = {
        "events": events if events is not None else [contact_event()],
        "firstEventSequence": first,
        "lastEventSequence": last,
        "entropy": "S0m3r4Nd0mt3xt",
    }
    return json.dumps(document, separators=(",", ":")).encode()


def contact_event(**changes: Any) -> dict[str, Any]:
    event = {
        "resourceUrl": "https://api.xero.com/api.xro/2.0/Contacts/717f2bfc-c6d4-41fd-b238-3f2f0c0cf777",
        "resourceId": "717f2bfc-c6d4-41fd-b238-3f2f0c0cf777",
        "eventDateUtc": "2024-06-21T01:15:39.902",
        "eventType": "UPDATE",
        "eventCategory": "CONTACT",
        "tenantId": TENANT,
        "tenantType": "ORGANISATION",
    }
    event.update(changes)
    return event


# ----------------------------------------------------------------------------- signatures


@pytest.mark.parametrize(
    ("key", "body"),
    [
        (KEY, payload()),
        ("short", b"{}"),
        ("k\u00e9y-\u00fcnicode", '{"name": "M\u0101ori \u00e9t\u00e9"}'.encode()),
        (KEY, b""),
        (KEY, bytes(range(256)) * 4),
    ],
)
def test_signature_vectors_computed_independently(key: str, body: bytes) -> None:
    expected = base64.b64encode(hmac.new(key.encode(), body, hashlib.sha256).digest()).decode()
    assert wh.sign(body, key) == expected
    assert wh.verify_signature(body, expected, key)
    assert wh.verify_signature(bytearray(body), f"  {expected} ", key.encode())


def test_signature_matches_openssl() -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    body = payload()
    digest = subprocess.run(
        [openssl, "dgst", "-sha256", "-hmac", KEY, "-binary"],
        input=body,
        capture_output=True,
        check=True,
    ).stdout
    assert wh.verify_signature(body, base64.b64encode(digest).decode(), KEY)


def test_a_tampered_body_fails() -> None:
    body = payload()
    signature = xero_signature(body, KEY)
    for tampered in (
        body.replace(b"UPDATE", b"CREATE"),
        body + b" ",
        b" " + body,
        body[:-1],
        body.replace(b"902", b"903"),
    ):
        assert not wh.verify_signature(tampered, signature, KEY)
        with pytest.raises(wh.WebhookSignatureError) as caught:
            wh.parse(tampered, signature, KEY)
        assert not caught.value.missing


def test_re_encoded_json_fails_the_raw_bytes_pass() -> None:
    body = payload()
    signature = xero_signature(body, KEY)
    for again in (
        json.dumps(json.loads(body)).encode(),  # Python's spacing
        json.dumps(json.loads(body), indent=2).encode(),
        json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode(),
    ):
        assert again != body
        assert not wh.verify_signature(again, signature, KEY)
    assert wh.parse(body, signature, KEY).events[0].event_type == "UPDATE"


def test_a_wrong_key_fails() -> None:
    body = payload()
    assert not wh.verify_signature(body, xero_signature(body, KEY + "x"), KEY)
    assert not wh.verify_signature(body, xero_signature(body, KEY), KEY[:-1])
    with pytest.raises(wh.WebhookSignatureError):
        wh.parse(body, xero_signature(body, "another key"), KEY)


@pytest.mark.parametrize("signature", [None, "", "   "])
def test_a_missing_signature_is_refused(signature: str | None) -> None:
    assert not wh.verify_signature(payload(), signature, KEY)
    with pytest.raises(wh.WebhookSignatureError) as caught:
        wh.parse(payload(), signature, KEY)
    assert caught.value.missing
    assert wh.handle(payload(), {}, KEY, pytest.fail) == (401, [], b"")


@pytest.mark.parametrize(
    "signature", ["not base64!", "\u00e9\u00e9\u00e9", "AAAA", "=" * 44, "a" * 10_000]
)
def test_malformed_signatures_are_false_not_errors(signature: str) -> None:
    assert not wh.verify_signature(payload(), signature, KEY)


def test_an_empty_body() -> None:
    assert wh.verify_signature(b"", xero_signature(b"", KEY), KEY)
    with pytest.raises(wh.WebhookPayloadError):
        wh.parse(b"", xero_signature(b"", KEY), KEY)  # signed, but not a payload
    assert (
        wh.handle(b"", {"x-xero-signature": xero_signature(b"", KEY)}, KEY, pytest.fail)[0] == 400
    )
    assert (
        wh.handle(b"", {"x-xero-signature": xero_signature(b"x", KEY)}, KEY, pytest.fail)[0] == 401
    )


def test_ten_megabyte_bodies() -> None:
    events = [
        contact_event(resourceId=f"{i:08d}-0000-0000-0000-000000000000") for i in range(40_000)
    ]
    body = payload(events, 1, len(events))
    assert len(body) > 10 * 1024 * 1024
    signature = xero_signature(body, KEY)
    started = time.perf_counter()
    assert wh.verify_signature(body, signature, KEY)
    parsed = wh.parse(body, signature, KEY)
    assert len(parsed.events) == 40_000 and parsed.last_event_sequence == 40_000
    assert time.perf_counter() - started < 10
    tampered = body[:-2] + b" }"
    assert not wh.verify_signature(tampered, signature, KEY)
    assert not wh.verify_signature(body[: len(body) // 2], signature, KEY)


def test_programming_errors_are_webhook_errors_without_the_key() -> None:
    with pytest.raises(wh.WebhookError, match="key is empty"):
        wh.verify_signature(b"{}", "x", "")
    with pytest.raises(wh.WebhookError, match="raw request bytes"):
        wh.verify_signature("{}", "x", KEY)  # type: ignore[arg-type]
    with pytest.raises(wh.WebhookError):
        wh.asgi_app("", print)
    with pytest.raises(wh.WebhookError):
        wh.wsgi_app(b"", print)


def test_errors_are_in_the_tree_pickle_and_never_show_the_key() -> None:
    body = payload()
    good = xero_signature(body, KEY)
    caught: list[XeroError] = []
    for call in (
        lambda: wh.parse(body, xero_signature(body, "other"), KEY),
        lambda: wh.parse(body, None, KEY),
        lambda: wh.parse(b"[1]", xero_signature(b"[1]", KEY), KEY),
    ):
        with pytest.raises(XeroError) as info:
            call()
        caught.append(info.value)
    for error in caught:
        for text in (str(error), repr(error), error.message):
            assert KEY not in text and good not in text
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error) and str(again) == str(error)
        assert copy.copy(error).args == error.args
    assert isinstance(caught[2], ValueError)
    assert wh.WebhookSignatureError.__module__ == "xero_customer_api.webhooks"
    assert "xero_customer_api.webhooks.WebhookSignatureError" in repr(type(caught[0]))


# ----------------------------------------------------------------------------- payloads


def test_parse_the_spec_example() -> None:
    body = payload()
    parsed = wh.parse(body, xero_signature(body, KEY), KEY)
    assert not parsed.is_intent_to_receive
    assert (parsed.first_event_sequence, parsed.last_event_sequence) == (1, 1)
    assert parsed.entropy == "S0m3r4Nd0mt3xt"
    (event,) = parsed.events
    assert event.resource_url.endswith("/Contacts/717f2bfc-c6d4-41fd-b238-3f2f0c0cf777")
    assert event.resource_id == "717f2bfc-c6d4-41fd-b238-3f2f0c0cf777"
    assert event.event_date_utc == datetime.datetime(
        2024, 6, 21, 1, 15, 39, 902_000, tzinfo=datetime.UTC
    )
    assert event.event_date_utc.tzinfo is not None
    assert (
        event.event_type == wh.EventType.UPDATE and event.event_category == wh.EventCategory.CONTACT
    )
    assert event.tenant_id == TENANT and event.tenant_type == wh.TenantType.ORGANISATION
    assert event.data is None
    assert event.dedupe_key == (TENANT, event.resource_id, "2024-06-21T01:15:39.902000+00:00")


def test_credit_note_events_carry_their_data_block() -> None:
    event = contact_event(
        resourceUrl="https://api.xero.com/api.xro/2.0/CreditNotes/55d84274-a3da-4829-a7c0-0cab601b95cc",
        resourceId="55d84274-a3da-4829-a7c0-0cab601b95cc",
        eventCategory="CREDITNOTE",
        eventType="CREATE",
        eventDateUtc="2025-12-02T00:44:09.923",
        data={"Type": "ACCPAYCREDIT", "Status": "DRAFT", "Later": 1},
    )
    body = payload([event], 76, 76)
    (parsed,) = wh.parse(body, xero_signature(body, KEY), KEY).events
    assert parsed.event_category == "CREDITNOTE"
    assert parsed.data is not None
    assert (parsed.data.type, parsed.data.status) == ("ACCPAYCREDIT", "DRAFT")
    assert parsed.data.raw["Later"] == 1


def test_unknown_categories_types_and_fields_are_kept_case_blind() -> None:
    events = [
        contact_event(eventCategory="PAYMENT", eventType="DELETE", extra={"x": 1}),
        contact_event(eventType="Update", tenantType="Application"),
    ]
    body = payload(events, 5, 6)
    first, second = wh.parse(body, xero_signature(body, KEY), KEY).events
    assert (first.event_category, first.event_type) == ("PAYMENT", "DELETE")
    assert first.raw["extra"] == {"x": 1}
    assert second.event_type == "UPDATE" and second.tenant_type == "APPLICATION"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-06-21T01:15:39.902", datetime.datetime(2024, 6, 21, 1, 15, 39, 902_000)),
        ("2024-06-21T01:15:39", datetime.datetime(2024, 6, 21, 1, 15, 39)),
        ("2024-06-21T01:15:39.9021234", datetime.datetime(2024, 6, 21, 1, 15, 39, 902_123)),
        ("2024-06-21T01:15:39.902Z", datetime.datetime(2024, 6, 21, 1, 15, 39, 902_000)),
        ("2024-06-21T13:15:39.902+12:00", datetime.datetime(2024, 6, 21, 1, 15, 39, 902_000)),
    ],
)
def test_event_dates_are_aware_utc(text: str, expected: datetime.datetime) -> None:
    body = payload([contact_event(eventDateUtc=text)])
    (event,) = wh.parse(body, xero_signature(body, KEY), KEY).events
    assert event.event_date_utc == expected.replace(tzinfo=datetime.UTC)
    assert event.event_date_utc.utcoffset() == datetime.timedelta(0)


def test_the_intent_to_receive_payload() -> None:
    body = payload([], 0, 0)
    parsed = wh.parse(body, xero_signature(body, KEY), KEY)
    assert parsed.is_intent_to_receive and parsed.events == ()
    assert (parsed.first_event_sequence, parsed.last_event_sequence) == (0, 0)


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"events": [{**contact_event(), "resourceId": None}]}, "events[0].resourceId"),
        (
            {"events": [contact_event(), {**contact_event(), "eventDateUtc": "yesterday"}]},
            "events[1].eventDateUtc",
        ),
        ({"events": [contact_event(), 3]}, "events[1]"),
        ({"events": "x"}, "events"),
        ({"events": [], "firstEventSequence": "1"}, "firstEventSequence"),
        ({"events": [], "lastEventSequence": True}, "lastEventSequence"),
        ({"events": [], "entropy": None}, "entropy"),
        ({"events": [{**contact_event(), "data": [1]}]}, "events[0].data"),
    ],
)
def test_payload_errors_name_the_field(document: dict[str, Any], field: str) -> None:
    full = {"firstEventSequence": 1, "lastEventSequence": 1, "entropy": "E", **document}
    full = {k: v for k, v in full.items() if not (k == "entropy" and v is None)}
    body = json.dumps(full).encode()
    with pytest.raises(wh.WebhookPayloadError) as caught:
        wh.parse(body, xero_signature(body, KEY), KEY)
    assert caught.value.field == field
    assert field in str(caught.value)


def test_deeply_nested_json_is_a_payload_error() -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(wh.WebhookPayloadError):
        wh.parse(body, xero_signature(body, KEY), KEY)


# ----------------------------------------------------------------------------- handle


def test_handle_calls_on_events_only_for_verified_payloads_with_events() -> None:
    calls: list[wh.WebhookPayload] = []
    body = payload()
    signed = {"X-Xero-Signature": xero_signature(body, KEY)}
    assert wh.handle(body, signed, KEY, calls.append) == (200, [], b"")
    assert [p.events[0].resource_id for p in calls] == ["717f2bfc-c6d4-41fd-b238-3f2f0c0cf777"]
    # as ASGI header pairs, in bytes
    pairs = [
        (b"content-type", b"application/json"),
        (b"x-xero-signature", signed["X-Xero-Signature"].encode()),
    ]
    assert wh.handle(body, pairs, KEY, calls.append).status == 200
    assert len(calls) == 2
    # tampered, wrong key, no header: 401, on_events not called
    assert wh.handle(body + b"\n", signed, KEY, calls.append).status == 401
    assert (
        wh.handle(body, {"x-xero-signature": xero_signature(body, "k")}, KEY, calls.append).status
        == 401
    )
    assert wh.handle(body, {"content-type": "application/json"}, KEY, calls.append).status == 401
    assert len(calls) == 2


def test_handle_answers_the_intent_to_receive_check() -> None:
    body = payload([], 0, 0)
    assert wh.handle(body, {"x-xero-signature": xero_signature(body, KEY)}, KEY, pytest.fail) == (
        200,
        [],
        b"",
    )
    bad = {"x-xero-signature": xero_signature(body, "not the key")}
    assert wh.handle(body, bad, KEY, pytest.fail) == (401, [], b"")


def test_handle_answers_500_when_on_events_fails(caplog: pytest.LogCaptureFixture) -> None:
    def broken(payload: wh.WebhookPayload) -> None:
        raise RuntimeError("queue is down")

    body = payload()
    response = wh.handle(body, {"x-xero-signature": xero_signature(body, KEY)}, KEY, broken)
    assert response == (500, [], b"")
    assert "queue is down" in caplog.text and KEY not in caplog.text


def test_handle_refuses_an_async_callback() -> None:
    async def queue(payload: wh.WebhookPayload) -> None:
        pass

    body = payload()
    assert (
        wh.handle(body, {"x-xero-signature": xero_signature(body, KEY)}, KEY, queue).status == 500
    )
