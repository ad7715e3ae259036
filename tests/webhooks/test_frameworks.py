"""The guide's recipes (Starlette, FastAPI, Flask, Django) and the ASGI/WSGI adapters, each
run through that framework's own test client: good and bad signatures, the intent-to-receive
check, the raw body (re-encoding fails), 10 MB bodies."""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Iterator
from typing import Any

import pytest
from xero_customer_api import webhooks as wh

from .support import guide_blocks, xero_signature

# Starlette 1.x prefers its httpx fork for TestClient; plain httpx (the SDK's) still works.
pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")

KEY = "recipe-key-0123456789"
EVENT = {
    "resourceUrl": "https://api.xero.com/api.xro/2.0/Invoices/1c5d8b3a-8a5e-4b7b-9a0c-6b1f1f2f3f4f",
    "resourceId": "1c5d8b3a-8a5e-4b7b-9a0c-6b1f1f2f3f4f",
    "eventDateUtc": "2026-01-02T03:04:05.678",
    "eventType": "CREATE",
    "eventCategory": "INVOICE",
    "tenantId": "c2cc9b6e-9458-4c7d-93cc-f02b81b0594f",
    "tenantType": "ORGANISATION",
}


def body_of(events: list[dict[str, Any]], first: int = 1) -> bytes:
    document = {
        "events": events,
        "firstEventSequence": first if events else 0,
        "lastEventSequence": first + len(events) - 1 if events else 0,
        "entropy": "QWERTYUIOPASDFGHJKLZ",
    }
    return json.dumps(document, separators=(",", ":")).encode()


def module(name: str, code: str, monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """Run a guide block as the module *name*."""
    mod = types.ModuleType(name)
    mod.__file__ = f"<docs/webhooks.md: {name}>"
    monkeypatch.setitem(sys.modules, name, mod)
    exec(compile(code, mod.__file__, "exec"), mod.__dict__)
    return mod


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> Iterator[types.ModuleType]:
    """The guide's ``events.py`` (its ``received`` list shows what on_events got)."""
    monkeypatch.setenv("XERO_WEBHOOK_KEY", KEY)
    _, code = guide_blocks()["events.py: what your app does with verified events"]
    yield module("events", code, monkeypatch)


def exercise(post: Any, received: list[Any]) -> None:
    """The receiving rule through a framework: ``post(body, headers) -> (status, body)``."""
    body = body_of([EVENT])
    good = {"x-xero-signature": xero_signature(body, KEY), "content-type": "application/json"}
    assert post(body, good) == (200, b"")
    assert [e.resource_id for e in received] == [EVENT["resourceId"]]
    assert received[0].event_category == "INVOICE" and received[0].event_date_utc.tzinfo
    # the same payload re-encoded by a client: the signature no longer matches
    again = json.dumps(json.loads(body), indent=1).encode()
    assert post(again, good) == (401, b"")
    assert post(body, {"x-xero-signature": xero_signature(body, "another key")}) == (401, b"")
    assert post(body, {"content-type": "application/json"}) == (401, b"")
    assert post(b"", {"x-xero-signature": xero_signature(b"", "x")}) == (401, b"")
    # Xero's intent-to-receive check: 200 to good signatures, 401 to bad, never on_events
    check = body_of([])
    assert post(check, {"x-xero-signature": xero_signature(check, KEY)}) == (200, b"")
    assert post(check, {"x-xero-signature": xero_signature(check, "wrong")}) == (401, b"")
    assert len(received) == 1
    # 10 MB
    many = [{**EVENT, "resourceId": f"{i:08d}-aaaa-bbbb-cccc-dddddddddddd"} for i in range(35_000)]
    large = body_of(many)
    assert len(large) > 10 * 1024 * 1024
    assert post(large, {"x-xero-signature": xero_signature(large, KEY)}) == (200, b"")
    assert len(received) == 1 + 35_000
    assert post(large[:-1] + b" ", {"x-xero-signature": xero_signature(large, KEY)})[0] == 401


def test_starlette_recipe(events: types.ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    from starlette.testclient import TestClient

    _, code = guide_blocks()["Starlette"]
    app = module("starlette_recipe", code, monkeypatch).app
    with TestClient(app) as http:

        def post(body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
            answer = http.post("/xero/webhooks", content=body, headers=headers)
            assert "set-cookie" not in answer.headers
            return answer.status_code, answer.content

        exercise(post, events.received)
        assert http.get("/xero/webhooks").status_code == 405


def test_fastapi_recipe(events: types.ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    from starlette.testclient import TestClient  # FastAPI's TestClient is Starlette's

    _, code = guide_blocks()["FastAPI"]
    app = module("fastapi_recipe", code, monkeypatch).app
    with TestClient(app) as http:

        def post(body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
            answer = http.post("/xero/webhooks", content=body, headers=headers)
            return answer.status_code, answer.content

        exercise(post, events.received)


def test_flask_recipe(events: types.ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    _, code = guide_blocks()["Flask"]
    app = module("flask_recipe", code, monkeypatch).app
    http = app.test_client()

    def post(body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        answer = http.post("/xero/webhooks", data=body, headers=headers)
        assert "Set-Cookie" not in answer.headers
        return answer.status_code, answer.get_data()

    exercise(post, events.received)
    assert http.get("/xero/webhooks").status_code == 405


def test_django_recipe(events: types.ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    import django
    from django.conf import settings

    blocks = guide_blocks()
    package = types.ModuleType("myapp")
    package.__path__ = []
    monkeypatch.setitem(sys.modules, "myapp", package)
    views = module("myapp.views", blocks["Django: myapp/views.py"][1], monkeypatch)
    package.views = views  # type: ignore[attr-defined]
    module("webhook_urls", blocks["Django: urls.py"][1], monkeypatch)
    if not settings.configured:
        settings.configure(
            ROOT_URLCONF="webhook_urls",
            ALLOWED_HOSTS=["testserver"],
            SECRET_KEY="tests-only",
            MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
            DATA_UPLOAD_MAX_MEMORY_SIZE=None,  # the 10 MB body (Django's default is 2.5 MB)
        )
        django.setup()
    from django.test import Client
    from django.test.utils import override_settings

    http = Client(enforce_csrf_checks=True)

    def post(body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        answer = http.post(
            "/xero/webhooks", data=body, content_type="application/json", headers=headers
        )
        assert not answer.cookies
        return answer.status_code, answer.content

    with override_settings(ROOT_URLCONF="webhook_urls"):
        exercise(post, events.received)
        assert http.get("/xero/webhooks").status_code == 405


def test_asgi_app_takes_async_callbacks_and_limits_the_body() -> None:
    from starlette.applications import Starlette
    from starlette.routing import Mount, Route
    from starlette.testclient import TestClient

    got: list[wh.WebhookPayload] = []

    async def on_events(payload: wh.WebhookPayload) -> None:
        got.append(payload)

    hook = wh.asgi_app(KEY, on_events, max_body=1000)
    assert KEY not in repr(hook)
    app = Starlette(routes=[Route("/hooks", hook, methods=["POST"]), Mount("/mounted", hook)])
    body = body_of([EVENT])
    with TestClient(app) as http:
        signed = {"x-xero-signature": xero_signature(body, KEY)}
        assert http.post("/hooks", content=body, headers=signed).status_code == 200
        assert http.post("/mounted/", content=body, headers=signed).status_code == 200
        assert len(got) == 2
        large = body_of([EVENT] * 10)
        too_big = http.post("/hooks", content=large, headers={"x-xero-signature": "x"})
        assert too_big.status_code == 413

    async def broken(payload: wh.WebhookPayload) -> None:
        raise RuntimeError("down")

    with TestClient(wh.asgi_app(KEY, broken)) as http:
        assert http.post("/", content=body, headers=signed).status_code == 500
        assert http.put("/", content=body, headers=signed).status_code == 405


def test_wsgi_app_mounted_in_flask() -> None:
    from flask import Flask
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    got: list[wh.WebhookPayload] = []
    flask_app = Flask("host")
    flask_app.wsgi_app = DispatcherMiddleware(  # type: ignore[method-assign]
        flask_app.wsgi_app, {"/xero/webhooks": wh.wsgi_app(KEY, got.append, max_body=100_000)}
    )
    http = flask_app.test_client()
    body = body_of([EVENT])
    signed = {"x-xero-signature": xero_signature(body, KEY)}
    assert http.post("/xero/webhooks", data=body, headers=signed).status_code == 200
    assert http.post("/xero/webhooks", data=body + b" ", headers=signed).status_code == 401
    assert http.get("/xero/webhooks").status_code == 405
    large = body_of([EVENT] * 1000)
    assert http.post("/xero/webhooks", data=large, headers=signed).status_code == 413
    assert len(got) == 1 and got[0].events[0].event_type == "CREATE"
