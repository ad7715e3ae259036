"""Every Python example of the README and the docs site runs, as printed, against the sandbox.

See :mod:`.docs_examples` for how (Xero's host names resolve to the sandbox; placeholders are
the sandbox's credentials). A page whose example fails is a failing test naming the page and
the line.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from xero_sandbox.process import RunningSandbox, launch

from ..limits.redis_process import running_redis
from .docs_examples import ROOT, approve, blocks, close_clients, pages, run_page

PAGES = pages()


def test_the_harness_finds_the_examples() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in PAGES}
    assert "README.md" in names
    found = [b for p in PAGES for b in blocks(p)]
    assert len([b for b in found if b.lang == "python"]) >= 40
    assert len([b for b in found if b.lang == "sh"]) >= 8  # `xero ...` examples run too
    # every endpoint of the reference has a Python example (none left to a derived one)
    for page in PAGES:
        if "/reference/" in page.as_posix():
            text = page.read_text(encoding="utf-8")
            assert text.count("```python") == text.count("\n## ") + 1, page


@pytest.mark.e2e
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_example_of_the_page_runs(
    page: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from .docs_examples import reads, subscribe_webhook, xero_resolves_to

    # The page runs in a folder of its own (files it saves, such as a PDF, land there), with
    # the repository's examples/ beside it as a reader's checkout has them.
    workdir = tmp_path / "work"
    workdir.mkdir()
    (workdir / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(workdir)
    with contextlib.ExitStack() as stack:
        if reads(page, "REDIS_URL"):  # a redis-server of the page's own, as REDIS_URL
            monkeypatch.setenv("REDIS_URL", stack.enter_context(running_redis(tmp_path)))
        sandbox = launch(["--time-scale", "60"])  # a sandbox of the page's own
        stack.callback(sandbox.stop)
        if reads(
            page, "XERO_WEBHOOK_KEY"
        ):  # subscribed as the page tells the reader: XERO_WEBHOOK_KEY
            for name, value in subscribe_webhook(sandbox.values).items():
                monkeypatch.setenv(name, value)
        namespace: dict[str, object] = {}
        stack.callback(close_clients, namespace)
        with xero_resolves_to(sandbox.root_url, sandbox.ca_bundle, sandbox.values):
            run_page(page, sandbox.values, namespace)
    capsys.readouterr()  # examples print; what they print is theirs


@pytest.mark.e2e
def test_the_browser_stand_in_follows_the_consent_page(sandbox: RunningSandbox) -> None:
    from xero_customer_api import authorization_url

    from .docs_examples import xero_resolves_to

    with xero_resolves_to(sandbox.root_url, sandbox.ca_bundle):
        start = authorization_url(
            client_id=sandbox.client_id,
            redirect_uri="https://app.example.com/xero/callback",
            scopes=["offline_access", "accounting.contacts"],
        )
        back = approve(start.url)
    assert back.startswith("https://app.example.com/xero/callback?")
    assert f"state={start.state}" in back and "code=" in back
