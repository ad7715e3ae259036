"""The sandbox sends webhooks as Xero does: the intent-to-receive check, signed, batched and
numbered deliveries of every contact and invoice change of a connected organisation,
retries with back-off, disabling after the window, resending, the console page and
``xero-sandbox webhooks``. A real sandbox process, a receiver over real HTTP."""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from xero_customer_api import ValidationError
from xero_customer_api.v2_0 import models
from xero_sandbox.process import RunningSandbox, launch, sandbox_command

from .support import Receiver, admin, client, hooks, root, serving, subscribe, xero_signature

pytestmark = pytest.mark.e2e

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$")


@pytest.fixture
def hooked(sandbox: RunningSandbox) -> Iterator[Receiver]:
    """A receiver with an ACTIVE webhook of the demo app (removed after the test)."""
    with serving(Receiver()) as receiver:
        hook = subscribe(sandbox, receiver)
        receiver.requests.clear()
        yield receiver
        admin(sandbox, "DELETE", f"/{hook['subscription_id']}")


def contact(name: str) -> models.Contact:
    return models.Contact(name=name)


def invoice(contact_id: str) -> models.Invoice:
    return models.Invoice(
        type=models.InvoiceType.ACCREC,
        contact=models.Contact(contact_id=contact_id),
        date=datetime.date(2026, 7, 1),
        due_date=datetime.date(2026, 7, 20),
        status=models.InvoiceStatus.AUTHORISED,
        line_items=[
            models.LineItem(
                description="Webhooks",
                quantity=Decimal(1),
                unit_amount=Decimal(100),
                account_code="200",
            )
        ],
    )


# ----------------------------------------------------------------------------- intent to receive


def test_the_intent_to_receive_check_as_xero_performs_it(sandbox: RunningSandbox) -> None:
    with serving(Receiver()) as receiver:
        hook = admin(sandbox, "POST", "", {"url": receiver.url}).json()
        assert hook["status"] == "PENDING" and hook["reason"] == "intent to receive required"
        assert receiver.requests == []  # nothing sent before the check
        receiver.key = hook["key"]
        assert len(hook["key"]) >= 64
        answer = admin(sandbox, "POST", f"/{hook['subscription_id']}/enable")
        assert answer.status_code == 200 and answer.json()["status"] == "ACTIVE"
        checks = receiver.requests
        assert len(checks) >= 4
        good = [
            r
            for r in checks
            if r.headers["x-xero-signature"] == xero_signature(r.body, receiver.key)
        ]
        assert 0 < len(good) < len(checks)  # some signed wrongly on purpose
        for request in checks:
            document = request.document
            assert document["events"] == []
            assert document["firstEventSequence"] == 0 and document["lastEventSequence"] == 0
            assert re.fullmatch(r"[A-Z]{20}", document["entropy"])
            assert request.headers["content-type"].startswith("application/json")
        assert [r.status for r in checks] == [200 if r in good else 401 for r in checks]
        assert len({r.document["entropy"] for r in checks}) == len(checks)
        admin(sandbox, "DELETE", f"/{hook['subscription_id']}")


KNOWN_KEY = "a-key-the-receiver-already-has"


def knows_the_key(body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    good = headers.get("x-xero-signature") == xero_signature(body, KNOWN_KEY)
    return (200 if good else 401), b""


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (lambda body, headers: (200, b""), "answered 200 to a wrongly signed payload"),
        (lambda body, headers: (401, b""), "answered 401 to a correctly signed payload"),
        (lambda body, headers: (500, b""), "answered 500"),
        (lambda body, headers: (knows_the_key(body, headers)[0], b"ok"), "has a body"),
    ],
    ids=["always-200", "always-401", "500", "with-a-body"],
)
def test_a_receiver_that_answers_wrongly_is_refused(
    sandbox: RunningSandbox, answer: Any, reason: str
) -> None:
    with serving(Receiver(answer=answer)) as receiver:
        # with a key given: checked at once, refused, nothing created
        refused = admin(sandbox, "POST", "", {"url": receiver.url, "key": KNOWN_KEY})
        assert refused.status_code == 422 and reason in refused.json()["error"]
        assert receiver.url not in {h["url"] for h in hooks(sandbox).values()}
        # the Xero way: pending, then the check on enable
        hook = admin(sandbox, "POST", "", {"url": receiver.url}).json()
        assert hook["status"] == "PENDING"
        again = admin(sandbox, "POST", f"/{hook['subscription_id']}/enable")
        assert again.status_code == 422
        assert hooks(sandbox)[hook["subscription_id"]]["status"] == "PENDING"
        with client(sandbox) as sdk:
            sdk.contacts.create(contact(f"Refused {uuid.uuid4()}"))
        time.sleep(0.5)
        assert all(not r.events for r in receiver.requests)  # a PENDING webhook gets nothing
        admin(sandbox, "DELETE", f"/{hook['subscription_id']}")


def test_a_receiver_slower_than_5_seconds_is_refused(sandbox: RunningSandbox) -> None:
    def slow(body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        time.sleep(5.5)
        return knows_the_key(body, headers)

    with serving(Receiver(answer=slow)) as receiver:
        started = time.monotonic()
        refused = admin(sandbox, "POST", "", {"url": receiver.url, "key": KNOWN_KEY})
        assert 5 <= time.monotonic() - started < 8
        assert refused.status_code == 422 and "no answer within 5 s" in refused.json()["error"]


def test_a_receiver_with_the_key_is_active_at_once(sandbox: RunningSandbox) -> None:
    with serving(Receiver(answer=knows_the_key)) as receiver:
        added = admin(sandbox, "POST", "", {"url": receiver.url, "key": KNOWN_KEY})
        assert added.status_code == 201 and added.json()["status"] == "ACTIVE"
        assert added.json()["key"] == KNOWN_KEY
        assert [r.status for r in receiver.requests].count(401) >= 1
        admin(sandbox, "DELETE", f"/{added.json()['subscription_id']}")


def test_unusable_urls_and_requests_are_refused(sandbox: RunningSandbox) -> None:
    dead = admin(sandbox, "POST", "", {"url": "http://127.0.0.1:9/nothing", "key": KNOWN_KEY})
    assert dead.status_code == 422 and "could not be reached" in dead.json()["error"]
    assert admin(sandbox, "POST", "", {"url": "ftp://x"}).status_code == 422
    assert (
        admin(sandbox, "POST", "", {"url": "http://x/", "categories": ["NOPE"]}).status_code == 422
    )
    assert admin(sandbox, "POST", "", {"url": "http://x/", "key": "short"}).status_code == 422
    assert admin(sandbox, "POST", "", {"nourl": 1}).status_code == 422
    wrong = admin(sandbox, "POST", "", {"url": "http://x/"}, auth=(sandbox.client_id, "wrong"))
    assert wrong.status_code == 401
    assert admin(sandbox, "DELETE", "/no-such-webhook").status_code == 404


# ----------------------------------------------------------------------------- deliveries


def test_changes_are_delivered_signed_batched_and_numbered(
    sandbox: RunningSandbox, hooked: Receiver
) -> None:
    tag = uuid.uuid4().hex[:8]
    with client(sandbox) as sdk:
        batch = sdk.contacts.create_many([contact(f"Batch {tag} {i}") for i in range(3)])
        ids = [c.item.contact_id for c in batch.items]
        made = sdk.invoices.create(invoice(ids[0]))
        sdk.contacts.save(models.Contact(contact_id=ids[1], email_address=f"{tag}@example.com"))
    hooked.wait_for(lambda: len(hooked.events()) >= 5)
    time.sleep(0.4)
    events = hooked.events()
    seen = [(e["eventCategory"], e["eventType"], e["resourceId"]) for e in events]
    assert seen == [
        ("CONTACT", "CREATE", ids[0]),
        ("CONTACT", "CREATE", ids[1]),
        ("CONTACT", "CREATE", ids[2]),
        ("INVOICE", "CREATE", made.invoice_id),
        ("CONTACT", "UPDATE", ids[1]),
    ]  # in the order of the writes
    assert len(events) == 5
    # one call's three contacts share a delivery (batched), and sequences run on across them
    first = hooked.deliveries[0]
    assert len(first.events) >= 3
    numbers: list[int] = []
    for delivery in hooked.deliveries:
        doc = delivery.document
        assert doc["lastEventSequence"] - doc["firstEventSequence"] + 1 == len(doc["events"])
        numbers.extend(range(doc["firstEventSequence"], doc["lastEventSequence"] + 1))
        assert delivery.headers["x-xero-signature"] == xero_signature(delivery.body, hooked.key)
        assert re.fullmatch(r"[A-Z]{20}", doc["entropy"])
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    dates = [e["eventDateUtc"] for e in events]
    assert all(ISO_MS.match(d) for d in dates) and len(set(dates)) == len(dates)
    for event in events:
        assert event["tenantId"] == sandbox.tenant_id and event["tenantType"] == "ORGANISATION"
        assert event["resourceUrl"].startswith(sandbox.v2_base_url)
        # the resource URL is the record's, on the sandbox
        with httpx.Client(verify=sandbox.verify()) as http:
            token = http.post(
                sandbox.token_url,
                data={"grant_type": "client_credentials"},
                auth=(sandbox.client_id, sandbox.client_secret),
            ).json()["access_token"]
            got = http.get(
                event["resourceUrl"],
                headers={"authorization": f"Bearer {token}", "xero-tenant-id": event["tenantId"]},
            )
        assert got.status_code == 200 and event["resourceId"] in got.text


def test_payments_update_their_invoice(sandbox: RunningSandbox, hooked: Receiver) -> None:
    with client(sandbox) as sdk:
        buyer = sdk.contacts.create(contact(f"Payer {uuid.uuid4()}"))
        made = sdk.invoices.create(invoice(buyer.contact_id or ""))
        bank = next(a for a in sdk.accounts.list() if a.type is models.AccountType.BANK)
        sdk.payments.create(
            models.Payment(
                invoice=models.Invoice(invoice_id=made.invoice_id),
                account=models.Account(account_id=bank.account_id),
                date=datetime.date(2026, 7, 2),
                amount=Decimal("10.00"),
            )
        )
    hooked.wait_for(lambda: len(hooked.events()) >= 3)
    kinds = [(e["eventCategory"], e["eventType"], e["resourceId"]) for e in hooked.events()]
    assert ("INVOICE", "UPDATE", made.invoice_id) in kinds


def test_a_refused_write_announces_nothing(sandbox: RunningSandbox, hooked: Receiver) -> None:
    with client(sandbox) as sdk:
        with pytest.raises(ValidationError):
            sdk.invoices.create(
                models.Invoice(
                    type=models.InvoiceType.ACCREC,
                    contact=models.Contact(contact_id=str(uuid.uuid4())),
                    line_items=[
                        models.LineItem(
                            description="x",
                            quantity=Decimal(1),
                            unit_amount=Decimal(1),
                            account_code="200",
                        )
                    ],
                )
            )
        marker = sdk.contacts.create(contact(f"Marker {uuid.uuid4()}"))
    hooked.wait_for(lambda: len(hooked.events()) >= 1)
    time.sleep(0.3)
    assert [e["resourceId"] for e in hooked.events()] == [marker.contact_id]


def test_only_connected_organisations_are_announced(
    sandbox: RunningSandbox, hooked: Receiver
) -> None:
    command = sandbox_command()
    env = {**os.environ}
    org = subprocess.run(
        [
            *command,
            "keys",
            "add-org",
            "--db",
            sandbox.values["db"],
            "--name",
            f"Other {uuid.uuid4()}",
        ],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    tenant = re.search(r"XERO_TENANT_ID=(\S+)", org)
    assert tenant is not None
    app = subprocess.run(
        [*command, "keys", "add-app", "--db", sandbox.values["db"], "--tenant-id", tenant.group(1)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    values = dict(re.findall(r"export (XERO_CLIENT_ID|XERO_CLIENT_SECRET)=(\S+)", app))
    with client(
        sandbox,
        client_id=values["XERO_CLIENT_ID"],
        client_secret=values["XERO_CLIENT_SECRET"],
        tenant_id=tenant.group(1),
    ) as elsewhere:
        elsewhere.contacts.create(contact("Not announced to the demo app"))
    with client(sandbox) as sdk:
        marker = sdk.contacts.create(contact(f"Announced {uuid.uuid4()}"))
    hooked.wait_for(lambda: len(hooked.events()) >= 1)
    time.sleep(0.3)
    assert [e["resourceId"] for e in hooked.events()] == [marker.contact_id]


def test_failed_deliveries_are_retried_with_the_same_payload(
    sandbox: RunningSandbox, hooked: Receiver
) -> None:
    hooked.fail_first = 2
    with client(sandbox) as sdk:
        made = sdk.contacts.create(contact(f"Retried {uuid.uuid4()}"))
    hooked.wait_for(lambda: len(hooked.deliveries) == 1)
    attempts = [r for r in hooked.requests if r.events]
    assert [r.status for r in attempts] == [500, 500, 200]
    assert len({r.body for r in attempts}) == 1  # the same payload, the same signature
    assert len({r.headers["x-xero-signature"] for r in attempts}) == 1
    assert hooked.events()[0]["resourceId"] == made.contact_id
    # 1 minute, then 5 minutes, 600 times faster: 0.1 s and 0.5 s apart (plus the batch)
    (hook,) = [h for h in hooks(sandbox).values() if h["url"] == hooked.url]
    (delivery,) = hook["deliveries"]
    assert delivery["status"] == "delivered" and delivery["attempts"] == 3


def test_resend_sends_a_delivery_again(sandbox: RunningSandbox, hooked: Receiver) -> None:
    with client(sandbox) as sdk:
        sdk.contacts.create(contact(f"Resent {uuid.uuid4()}"))
    hooked.wait_for(lambda: len(hooked.deliveries) == 1)
    (hook,) = [h for h in hooks(sandbox).values() if h["url"] == hooked.url]
    number = hook["deliveries"][0]["delivery_id"]
    answer = admin(sandbox, "POST", f"/{hook['subscription_id']}/deliveries/{number}/resend")
    assert answer.status_code == 202
    hooked.wait_for(lambda: len(hooked.deliveries) == 2)
    assert hooked.deliveries[0].body == hooked.deliveries[1].body
    assert (
        admin(sandbox, "POST", f"/{hook['subscription_id']}/deliveries/999999/resend").status_code
        == 404
    )


def test_a_webhook_is_disabled_after_the_retry_window(tmp_path: Any) -> None:
    # a day lasts 86 ms: the retries run out at once
    sb = launch(["--http", "--time-scale", "1000000"])
    try:
        failing = {"on": False}

        def answer(body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
            good = headers["x-xero-signature"] == xero_signature(body, receiver.key)
            if not good:
                return 401, b""
            return (503 if failing["on"] and json.loads(body)["events"] else 200), b""

        with serving(Receiver(answer=answer)) as receiver:
            hook = subscribe(sb, receiver)
            failing["on"] = True
            with client(sb) as sdk:
                sdk.contacts.create(contact("Never received"))
            receiver.wait_for(lambda: hooks(sb)[hook["subscription_id"]]["status"] == "DISABLED")
            state = hooks(sb)[hook["subscription_id"]]
            assert "failed for 24 hours" in state["reason"]
            (delivery,) = state["deliveries"]
            assert delivery["status"] == "failed" and delivery["attempts"] >= 2
            assert delivery["last_status_code"] == 503
            tried = len(receiver.requests)
            with client(sb) as sdk:
                sdk.contacts.create(contact("Not sent: disabled"))
            time.sleep(0.5)
            assert len(receiver.requests) == tried
            failing["on"] = False  # fixed: re-enabling runs the check, then events flow again
            assert (
                admin(sb, "POST", f"/{hook['subscription_id']}/enable").json()["status"] == "ACTIVE"
            )
            with client(sb) as sdk:
                back = sdk.contacts.create(contact("Back"))
            receiver.wait_for(
                lambda: any(e["resourceId"] == back.contact_id for e in receiver.events())
            )
    finally:
        sb.stop()


# ----------------------------------------------------------------------------- console, CLI


def test_the_console_page_lists_and_resends(sandbox: RunningSandbox, hooked: Receiver) -> None:
    with client(sandbox) as sdk:
        sdk.contacts.create(contact(f"Console <b>{uuid.uuid4()}</b>"))
    hooked.wait_for(lambda: len(hooked.deliveries) == 1)
    (hook,) = [h for h in hooks(sandbox).values() if h["url"] == hooked.url]
    page_url = f"{root(sandbox)}/console/webhooks?apiKey={sandbox.api_key}"
    with httpx.Client() as http:
        posted = http.post(page_url, data={"action": "nothing"})
        assert posted.status_code == 303  # post, redirect, get: a reload does not post again
    with httpx.Client(follow_redirects=True) as http:
        page = http.get(page_url).text
        assert f'data-webhook="{hook["subscription_id"]}"' in page
        assert "delivered" in page and "<b>" not in page  # escaped
        number = hook["deliveries"][0]["delivery_id"]
        done = http.post(
            page_url,
            data={
                "action": "resend",
                "subscription_id": hook["subscription_id"],
                "delivery_id": str(number),
            },
        )
        assert f"Delivery {number} queued" in done.text
        hooked.wait_for(lambda: len(hooked.deliveries) == 2)
        refused = http.post(
            page_url,
            data={
                "action": "add",
                "client_id": sandbox.client_id,
                "url": "http://127.0.0.1:9/x",
                "key": KNOWN_KEY,
            },
        )
        assert "Refused: intent to receive: the URL could not be reached" in refused.text
        pending = http.post(
            page_url,
            data={"action": "add", "client_id": sandbox.client_id, "url": "http://127.0.0.1:9/y"},
        )
        assert "pending: give your receiver its signing key" in pending.text
        (added,) = [h for h in hooks(sandbox).values() if h["url"] == "http://127.0.0.1:9/y"]
        enabled = http.post(
            page_url, data={"action": "enable", "subscription_id": added["subscription_id"]}
        )
        assert "Refused: intent to receive" in enabled.text
        removed = http.post(
            page_url, data={"action": "remove", "subscription_id": added["subscription_id"]}
        )
        assert "Webhook removed" in removed.text
        unknown = http.get(f"{root(sandbox)}/console/webhooks?apiKey=nope", follow_redirects=False)
        assert unknown.status_code != 200
        home = http.get(f"{root(sandbox)}/console?apiKey={sandbox.api_key}").text
        assert 'id="webhooks" href="/console/webhooks"' in home
        assert sandbox.api_key not in home and sandbox.api_key not in page  # never in a page


def test_xero_sandbox_webhooks_command_line(sandbox: RunningSandbox) -> None:
    env = {**os.environ, **{k: v for k, v in sandbox.values.items() if k.startswith("XERO_")}}

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*sandbox_command(), "webhooks", *args],
            capture_output=True,
            text=True,
            env=env,
            check=check,
            timeout=60,
        )

    with serving(Receiver()) as receiver:
        added = run("add", "--url", receiver.url, "--category", "invoice")
        key = re.search(r"^export XERO_WEBHOOK_KEY=(\S+)$", added.stdout, re.M)
        hook_id = re.search(r"^export XERO_WEBHOOK_ID=(\S+)$", added.stdout, re.M)
        assert key and hook_id
        assert "pending" in added.stderr and "webhooks enable" in added.stderr
        receiver.key = key.group(1).strip("'")
        assert "ACTIVE" in run("enable", hook_id.group(1)).stdout
        with client(sandbox) as sdk:
            buyer = sdk.contacts.create(contact(f"CLI {uuid.uuid4()}"))  # not subscribed
            made = sdk.invoices.create(invoice(buyer.contact_id or ""))
        receiver.wait_for(lambda: len(receiver.events()) >= 1)
        time.sleep(0.3)
        assert [e["resourceId"] for e in receiver.events()] == [made.invoice_id]
        listed = run("list").stdout
        assert hook_id.group(1) in listed and "delivered" in listed
        number = re.search(r"#(\d+)\s+delivered", listed)
        assert number is not None
        assert run("resend", hook_id.group(1), number.group(1)).stdout.split() == [
            f"#{number.group(1)}",
            "pending",
        ]
        receiver.wait_for(lambda: len(receiver.deliveries) == 2)
        assert "removed" in run("remove", hook_id.group(1)).stdout
        assert hook_id.group(1) not in run("list").stdout
        wrong = run("add", "--url", receiver.url, "--client-secret", "nope", check=False)
        assert wrong.returncode != 0 and "client id and secret" in wrong.stderr
        refused = run("add", "--url", receiver.url, "--key", KNOWN_KEY, check=False)
        assert refused.returncode == 1 and "answered 401 to a correctly signed" in refused.stderr
        receiver.key = KNOWN_KEY
        at_once = run("add", "--url", receiver.url, "--key", KNOWN_KEY)
        assert "(ACTIVE)" in at_once.stderr and KNOWN_KEY in at_once.stdout
        again = re.search(r"^export XERO_WEBHOOK_ID=(\S+)$", at_once.stdout, re.M)
        assert again is not None
        run("remove", again.group(1))


def test_api_1_0_writes_are_announced_too(sandbox: RunningSandbox, hooked: Receiver) -> None:
    from xero_customer_api import v1_0

    with (
        httpx.Client(verify=sandbox.verify()) as http,
        v1_0.XeroClient(
            api_key=sandbox.api_key,
            customer_key=sandbox.customer_key,
            base_url=sandbox.base_url,
            http_client=http,
        ) as old,
    ):
        made = old.contacts.create(v1_0.models.Contact(name=f"Via 1.0 {uuid.uuid4()}"))
    hooked.wait_for(lambda: len(hooked.events()) >= 1)
    (event,) = hooked.events()
    assert (event["eventCategory"], event["eventType"]) == ("CONTACT", "CREATE")
    assert event["resourceId"] == made.contact_id


def test_webhooks_and_pending_retries_survive_a_restart(tmp_path: Any) -> None:
    db = tmp_path / "restart.db"
    down = {"on": True}

    def answer(body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        if headers.get("x-xero-signature") != xero_signature(body, receiver.key):
            return 401, b""
        return (503 if down["on"] and json.loads(body)["events"] else 200), b""

    with serving(Receiver(answer=answer)) as receiver:
        first = launch(["--http", "--time-scale", "600", "--db", str(db)])
        try:
            hook = subscribe(first, receiver)
            with client(first) as sdk:
                made = sdk.contacts.create(contact("Across a restart"))
            receiver.wait_for(lambda: any(r.status == 503 for r in receiver.requests))
        finally:
            first.stop()
        down["on"] = False
        second = launch(["--http", "--time-scale", "600", "--db", str(db)])
        try:
            receiver.wait_for(lambda: len(receiver.deliveries) == 1)
            assert receiver.events()[0]["resourceId"] == made.contact_id
            state = hooks(second)[hook["subscription_id"]]
            assert state["status"] == "ACTIVE"
            assert state["deliveries"][0]["status"] == "delivered"
        finally:
            second.stop()
