"""Concurrent writes from several clients (threads) lose nothing."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from xero_customer_api.v1_0 import XeroClient, models

pytestmark = pytest.mark.e2e

ClientFactory = Callable[..., XeroClient]
InvoiceFactory = Callable[..., models.Invoice]
WORKERS = 8
PER_WORKER = 6


def test_parallel_inserts_are_all_kept(
    make_client: ClientFactory, new_invoice: InvoiceFactory, unique: str
) -> None:
    clients = [make_client() for _ in range(WORKERS)]

    def work(worker: int) -> list[str]:
        client = clients[worker]
        numbers = []
        for i in range(PER_WORKER):
            contact = client.contacts.save(models.Contact(name=f"Par {unique} {worker}-{i}"))
            invoice = client.invoices.create(new_invoice(f"PAR-{unique}-{worker}-{i}", contact))
            numbers.append(invoice.invoice_number)
        return numbers

    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(work, range(WORKERS)))

    expected = {n for numbers in results for n in numbers}
    assert len(expected) == WORKERS * PER_WORKER
    listed = [i for i in clients[0].invoices.list() if i.invoice_number in expected]
    assert {i.invoice_number for i in listed} == expected
    assert len({i.invoice_id for i in listed}) == len(expected)
    names = [c.name for c in clients[0].contacts.list() if c.name.startswith(f"Par {unique} ")]
    assert len(names) == len(set(names)) == WORKERS * PER_WORKER


def test_racing_upserts_of_one_name_make_one_contact(
    make_client: ClientFactory, unique: str
) -> None:
    clients = [make_client() for _ in range(WORKERS)]
    name = f"Race {unique}"

    def save(worker: int) -> str | None:
        return (
            clients[worker]
            .contacts.save(models.Contact(name=name, email_address=f"w{worker}@race.example"))
            .contact_id
        )

    with ThreadPoolExecutor(WORKERS) as pool:
        ids = set(pool.map(save, range(WORKERS)))
    assert len(ids) == 1
    assert [c.name for c in clients[0].contacts.list()].count(name) == 1
