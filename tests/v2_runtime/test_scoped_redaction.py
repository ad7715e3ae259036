"""Issue 20 item 4: redaction is scoped to what each client holds.

Before, every secret any client had ever been built with was masked in every later message
of every client in the process (and never forgotten). Now a client's messages, reprs and
exceptions mask that client's secrets (and the tokens it fetched); the log filter, which
cannot tell which client wrote a record, masks the secrets of the clients still open, and a
client closed or collected stops masking anything outside its own calls.
"""

from __future__ import annotations

import asyncio
import gc
import io
import logging
from collections.abc import Iterator

import httpx
import pytest
from xero_customer_api import PermissionDeniedError, XeroError
from xero_customer_api._runtime._secrets import redact

from .helpers import CLIENT_ID, Xero, async_client, problem, sync_client, token_json

TOKEN_A = "eyJ.ACCESS-token-of-client-A-0123456789"
TOKEN_B = "Forbidden"  # 9 characters: long enough to accept, and a word of ordinary messages
SECRET_C = "client-C-secret-value-9876543210"
FETCHED_C = "eyJ.FETCHED-token-of-client-C-555"


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=1)
        self.stream = io.StringIO()

    def emit(self, record: logging.LogRecord) -> None:
        self.stream.write(self.format(record) + "\n")


@pytest.fixture
def logs() -> Iterator[Capture]:
    capture = Capture()
    named = [logging.getLogger(n) for n in ("httpx", "httpcore.http11", "xero_customer_api")]
    old = [lg.level for lg in named]
    for lg in named:
        lg.addHandler(capture)
        lg.setLevel(logging.DEBUG)
    try:
        yield capture
    finally:
        for lg, level in zip(named, old, strict=True):
            lg.removeHandler(capture)
            lg.setLevel(level)


def quoting(*words: str) -> Xero:
    """A Xero whose every API answer is a 403 quoting ``words``."""
    return Xero(api=[problem(403, "saw " + " and ".join(words))])


def test_each_client_masks_its_own_secrets_and_not_the_others() -> None:
    a = sync_client(quoting(TOKEN_A, TOKEN_B), access_token=TOKEN_A, max_retries=0)
    b = sync_client(quoting(TOKEN_A, TOKEN_B), access_token=TOKEN_B, max_retries=0)
    with a, b:
        with pytest.raises(PermissionDeniedError) as from_a:
            a.contacts()
        with pytest.raises(PermissionDeniedError) as from_b:
            b.contacts()
    message_a, message_b = str(from_a.value), str(from_b.value)
    assert TOKEN_A not in message_a and "***" in message_a
    # B's token is an ordinary word in A's message: A does not hold it, so it stays
    assert "Forbidden" in message_a
    assert TOKEN_A in message_b  # and A's secret is nothing B's messages should hide
    assert "saw" in message_b and "Forbidden" not in message_b.split("saw", 1)[1]
    for text in (repr(a), repr(b)):
        assert TOKEN_A not in text and TOKEN_B not in text


def test_a_word_equal_to_part_of_a_secret_is_untouched() -> None:
    word = TOKEN_A[4:10]  # "ACCESS": part of A's token, not a secret of its own
    client = sync_client(quoting(word, "token"), access_token=TOKEN_A, max_retries=0)
    with client, pytest.raises(PermissionDeniedError) as info:
        client.contacts()
    assert f"saw {word} and token" in str(info.value)
    assert redact(f"{word} token") == f"{word} token"


def test_a_closed_client_no_longer_masks_anything(logs: Capture) -> None:
    b = sync_client(Xero(), access_token=TOKEN_B)
    line = "the Forbidden page"
    logging.getLogger("httpcore.http11").debug(line)
    assert "the *** page" in logs.stream.getvalue()  # open: masked in every log line
    assert redact(line) == "the *** page"  # and outside any call
    b.close()
    logging.getLogger("httpcore.http11").debug(line)
    assert logs.stream.getvalue().splitlines()[-1] == line
    assert redact(line) == line
    a = sync_client(quoting(TOKEN_B), access_token=TOKEN_A, max_retries=0)
    with a, pytest.raises(PermissionDeniedError) as info:
        a.contacts()
    assert "saw Forbidden" in str(info.value)


def test_a_collected_client_no_longer_masks_anything() -> None:
    b = sync_client(Xero(), access_token=TOKEN_B)
    assert redact("Forbidden") == "***"
    del b
    gc.collect()
    assert redact("Forbidden") == "Forbidden"


def test_httpx_and_httpcore_logs_are_masked_while_the_client_lives(logs: Capture) -> None:
    # a 1.0-style secret in a URL (httpx logs the URL) and a token quoted by httpcore
    client = sync_client(Xero(), access_token=TOKEN_A)
    with client:
        client.contacts()
        logging.getLogger("httpx").info(
            "GET https://x.test/?t=%s", httpx.QueryParams({"t": TOKEN_A})
        )
        logging.getLogger("httpcore.http11").debug("send_request_headers %s", f"Bearer {TOKEN_A}")
        text = logs.stream.getvalue()
    assert "HTTP Request" in text  # httpx's own line was captured
    assert TOKEN_A not in text and "ACCESS-token" not in text
    assert text.count("***") >= 2


def test_tokens_a_client_fetches_are_its_secrets(logs: Capture) -> None:
    xero = Xero(tokens=[token_json(FETCHED_C)], api=[problem(403, f"no scope for {FETCHED_C}")])
    c = sync_client(xero, client_id=CLIENT_ID, client_secret=SECRET_C, max_retries=0)
    other = sync_client(quoting(FETCHED_C, SECRET_C), access_token=TOKEN_A, max_retries=0)
    with c, other:
        with pytest.raises(PermissionDeniedError) as own:
            c.contacts()
        with pytest.raises(PermissionDeniedError) as foreign:
            other.contacts()
        logging.getLogger("httpx").info("leaked %s %s", FETCHED_C, SECRET_C)
    assert FETCHED_C not in str(own.value)
    assert f"saw {FETCHED_C} and {SECRET_C}" in str(foreign.value)
    assert FETCHED_C not in logs.stream.getvalue() and SECRET_C not in logs.stream.getvalue()


def test_with_options_copies_share_the_scope_and_closing_a_copy_keeps_the_original() -> None:
    original = sync_client(quoting(TOKEN_A), access_token=TOKEN_A, max_retries=0)
    copy = original.with_options(max_retries=0)
    copy.close()
    assert redact(TOKEN_A) == "***"  # the original is open: still masked
    with original, pytest.raises(XeroError) as info:
        original.with_options(max_retries=0).contacts()
    assert TOKEN_A not in str(info.value)


def test_closing_a_client_that_owns_its_pool_releases_its_copies() -> None:
    from xero_customer_api._runtime import SyncAPIClient

    from .helpers import V2Client

    assert issubclass(V2Client, SyncAPIClient)
    own = "eyJ.token-of-a-client-owning-its-pool-42"
    original = V2Client(
        access_token=own,
        tenant_id="11111111-2222-4333-8444-555555555555",
        base_url="https://x.test/",
    )
    copies = [original.with_options(max_retries=n) for n in range(3)]
    assert redact(own) == "***"
    original.close()  # the copies share its (now closed) pool: none can call any more
    assert redact(own) == own
    assert len(copies) == 3


@pytest.mark.asyncio
async def test_async_clients_running_together_each_mask_their_own() -> None:
    a = async_client(quoting(TOKEN_A, TOKEN_B), access_token=TOKEN_A, max_retries=0)
    b = async_client(quoting(TOKEN_A, TOKEN_B), access_token=TOKEN_B, max_retries=0)
    async with a, b:
        results = await asyncio.gather(
            *(c.contacts() for c in (a, b, a, b)), return_exceptions=True
        )
    messages = [str(r) for r in results]
    assert all(isinstance(r, PermissionDeniedError) for r in results)
    for text in messages[0::2]:  # A's
        assert TOKEN_A not in text and "Forbidden" in text
    for text in messages[1::2]:  # B's
        assert TOKEN_A in text and "and Forbidden" not in text
