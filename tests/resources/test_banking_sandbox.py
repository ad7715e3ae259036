"""The sandbox's family D handlers in process (no sockets): journals paged by offset over a
ledger longer than one page, the bodies Xero's description sends to one record's path, and
every answer valid against our response XSDs."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

import pytest
from lxml import etree
from xero_sandbox.store import Store
from xero_sandbox.v2_0 import codec
from xero_sandbox.v2_0.errors import ApiError
from xero_sandbox.v2_0.resources import banking
from xero_sandbox.v2_0.service import Answer, Call, NotFound, Service

from tests.v2.conftest import schema


@pytest.fixture
def world() -> Iterator[tuple[Store, Service, Call]]:
    store = Store(None)
    credentials = store.ensure_seeded()
    org = store.org_by_tenant(credentials.tenant_id)
    app = store.app(credentials.client_id)
    assert org is not None and app is not None
    base = Call("GET", ["Journals"], {}, {}, b"", org, app, "Tests")
    yield store, Service(store), base
    store.close()


def call(base: Call, method: str, path: str, body: bytes = b"", **query: str) -> Call:
    return Call(method, path.split("/"), query, {}, body, base.org, base.app, base.provider)


def run(store: Store, service: Service, c: Call) -> Answer:
    service.begin()
    with store.write():
        handler, _ = banking.ROUTES[(c.method, c.segments[0].lower(), len(c.segments))]
        answer: Answer = handler(service, c)
    return answer


def valid(answer: Answer, stem: str) -> etree._Element:
    root = etree.fromstring(codec.to_bytes(answer.root))
    validator = schema("responses", f"{stem}_response")
    assert validator.validate(root), validator.error_log
    return root


def ledger(store: Store, org: int, count: int) -> list[banking.Ledger]:
    made = []
    with store.write():
        for n in range(count):
            made.append(
                banking.record_journal(
                    store,
                    org,
                    source_type="CASHREC" if n % 5 == 0 else "ACCREC",
                    source_id=f"00000000-0000-4000-8000-{n:012d}",
                    date=datetime.date(2026, 7, 1),
                    reference=f"J{n}",
                    lines=[
                        banking.LedgerLine(
                            journal_line_id=f"10000000-0000-4000-8000-{n:012d}",
                            account_id=f"20000000-0000-4000-8000-{n:012d}",
                            account_code="200",
                            account_type="REVENUE",
                            account_name="Sales",
                            net_amount=Decimal(-n),
                            tax_amount=Decimal(0),
                        )
                    ],
                )
            )
    return made


def numbers(root: etree._Element) -> list[int]:
    return [int(n.text or 0) for n in root.iterfind("Journals/Journal/JournalNumber")]


def test_journals_walk_by_offset_100_at_a_time(world: tuple[Store, Service, Call]) -> None:
    store, service, base = world
    made = ledger(store, base.org.org_id, 250)
    assert [j.number for j in made] == list(range(1, 251))
    first = valid(run(store, service, call(base, "GET", "Journals")), "journals")
    assert numbers(first) == list(range(1, 101))
    assert first.findtext("Journals/Journal/SourceType") == "CASHREC"  # lists say the source
    second = valid(run(store, service, call(base, "GET", "Journals", offset="100")), "journals")
    assert numbers(second) == list(range(101, 201))
    last = valid(run(store, service, call(base, "GET", "Journals", offset="200")), "journals")
    assert numbers(last) == list(range(201, 251))
    beyond = valid(run(store, service, call(base, "GET", "Journals", offset="250")), "journals")
    assert numbers(beyond) == []
    cash = run(store, service, call(base, "GET", "Journals", paymentsOnly="true"))
    assert numbers(valid(cash, "journals")) == list(range(1, 251, 5))
    with pytest.raises(ApiError):
        run(store, service, call(base, "GET", "Journals", offset="-1"))


def test_journals_by_id_and_number_without_their_source(
    world: tuple[Store, Service, Call],
) -> None:
    store, service, base = world
    made = ledger(store, base.org.org_id, 3)
    by_number = valid(run(store, service, call(base, "GET", "Journals/2")), "journals")
    by_id = valid(
        run(store, service, call(base, "GET", f"Journals/{made[1].journal_id}")), "journals"
    )
    assert numbers(by_number) == numbers(by_id) == [2]
    assert by_number.find("Journals/Journal/SourceID") is None
    assert by_number.find("Journals/Journal/SourceType") is None
    for missing in ("Journals/4", "Journals/two", f"Journals/{made[0].source_id}"):
        with pytest.raises(NotFound):
            run(store, service, call(base, "GET", missing))


def test_journals_if_modified_since(world: tuple[Store, Service, Call]) -> None:
    store, service, base = world
    ledger(store, base.org.org_id, 2)
    later = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=5)).isoformat()
    c = Call("GET", ["Journals"], {}, {"if-modified-since": later}, b"", base.org, base.app, "T")
    assert numbers(valid(run(store, service, c), "journals")) == []


SPEND = (
    b"<BankTransaction><Type>SPEND</Type><Contact><Name>Kea Couriers</Name></Contact>"
    b"<LineItems><LineItem><Description>Courier</Description><UnitAmount>20.00</UnitAmount>"
    b"<AccountCode>429</AccountCode></LineItem></LineItems>"
    b"<BankAccount><Code>090</Code></BankAccount></BankTransaction>"
)


def test_post_to_one_bank_transaction_takes_the_plural_around_one(
    world: tuple[Store, Service, Call],
) -> None:
    store, service, base = world
    made = valid(
        run(store, service, call(base, "PUT", "BankTransactions", SPEND)), "bank_transactions"
    )
    txn_id = made.findtext("BankTransactions/BankTransaction/BankTransactionID")
    assert made.findtext("BankTransactions/BankTransaction/Total") == "22.50"  # 12.5% GST
    update = b"<BankTransactions><BankTransaction><Reference>R1</Reference></BankTransaction></BankTransactions>"
    saved = run(store, service, call(base, "POST", f"BankTransactions/{txn_id}", update))
    assert (
        valid(saved, "bank_transactions").findtext("BankTransactions/BankTransaction/Reference")
        == "R1"
    )
    two = update.replace(b"</BankTransactions>", SPEND + b"</BankTransactions>")
    with pytest.raises(ApiError) as refused:
        run(store, service, call(base, "POST", f"BankTransactions/{txn_id}", two))
    assert refused.value.type == "PostDataInvalidException"
    with pytest.raises(NotFound):
        run(store, service, call(base, "POST", "BankTransactions/not-a-guid", update))


def test_every_list_answer_is_valid(world: tuple[Store, Service, Call]) -> None:
    store, service, base = world
    run(store, service, call(base, "PUT", "BankTransactions", SPEND))
    journal = (
        b"<ManualJournal><Narration>N</Narration><JournalLines>"
        b"<JournalLine><LineAmount>5</LineAmount><AccountCode>429</AccountCode></JournalLine>"
        b"<JournalLine><LineAmount>-5</LineAmount><AccountCode>970</AccountCode></JournalLine>"
        b"</JournalLines><Status>POSTED</Status></ManualJournal>"
    )
    run(store, service, call(base, "PUT", "ManualJournals", journal))
    for path, stem in (
        ("BankTransactions", "bank_transactions"),
        ("BankTransfers", "bank_transfers"),
        ("ManualJournals", "manual_journals"),
        ("Journals", "journals"),
        ("LinkedTransactions", "linked_transactions"),
    ):
        valid(run(store, service, call(base, "GET", path, page="1")), stem)
    posted = valid(run(store, service, call(base, "GET", "Journals")), "journals")
    # the money spent posts first (the ledger keeps every document's books), then the journal
    assert [j.text for j in posted.iterfind("Journals/Journal/SourceType")] == [
        "CASHPAID",
        "MANJOURNAL",
    ]
    assert [
        n.text for n in posted.iterfind("Journals/Journal[2]/JournalLines/JournalLine/NetAmount")
    ] == [
        "5.00",
        "-5.00",
    ]
