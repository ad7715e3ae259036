"""The sandbox's webhooks page in headless Chromium, used as a person would: from the
console's link, add a webhook, give the receiver its key, enable it (the intent-to-receive
check), see a delivery and resend it. The partner key stays out of the pages."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

import pytest
from xero_customer_api.v2_0 import models
from xero_sandbox.process import RunningSandbox

from ..e2e.browser import Page
from .support import Receiver, admin, client, hooks, root, serving

pytestmark = pytest.mark.e2e


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed (scripts/ensure-chromium.sh)")
        pytest.skip("chromium is not installed")
    return found


def test_the_webhooks_page_in_a_browser(sandbox: RunningSandbox, tmp_path: Path) -> None:
    with serving(Receiver()) as receiver, Page(chromium(), tmp_path / "profile") as page:
        page.goto(f"{root(sandbox)}/console?apiKey={sandbox.api_key}")
        page.wait_for("!!document.getElementById('webhooks')")
        assert sandbox.api_key not in page.evaluate("document.documentElement.outerHTML")
        page.evaluate("document.getElementById('webhooks').click()")
        page.wait_for(
            "location.pathname === '/console/webhooks' && !!document.getElementById('add')"
        )
        assert sandbox.api_key in page.evaluate("location.search")

        url = json.dumps(receiver.url)
        page.evaluate(f"document.querySelector('#add input[name=url]').value = {url}")
        page.evaluate("document.getElementById('add').submit()")
        message = page.wait_for(
            "document.getElementById('message') && document.getElementById('message').textContent"
        )
        assert "pending" in message
        (hook,) = [h for h in hooks(sandbox).values() if h["url"] == receiver.url]
        block = f"document.querySelector('[data-webhook=\"{hook['subscription_id']}\"]')"
        receiver.key = page.evaluate(f"{block}.querySelector('code').textContent")
        assert receiver.key == hook["key"]

        page.evaluate(f"{block}.querySelector('button').click()")  # Enable (intent to receive)
        page.wait_for("document.getElementById('message').textContent.includes('enabled')")
        assert hooks(sandbox)[hook["subscription_id"]]["status"] == "ACTIVE"

        with client(sandbox) as sdk:
            sdk.contacts.create(models.Contact(name=f"Browser {uuid.uuid4()}"))
        receiver.wait_for(lambda: len(receiver.deliveries) == 1)
        page.evaluate("location.assign(location.href)")  # a GET (a reload would post again)
        page.wait_for(f"!!({block} && {block}.querySelector('tr.delivery .status'))")
        assert (
            page.evaluate(f"{block}.querySelector('tr.delivery .status').textContent")
            == "delivered"
        )
        page.evaluate(f"{block}.querySelector('tr.delivery button').click()")  # Resend
        page.wait_for("document.getElementById('message').textContent.includes('queued')")
        receiver.wait_for(lambda: len(receiver.deliveries) == 2)
        assert receiver.deliveries[0].body == receiver.deliveries[1].body
        assert sandbox.api_key not in page.evaluate("document.documentElement.outerHTML")
        admin(sandbox, "DELETE", f"/{hook['subscription_id']}")
