"""The README's API 1.0 quick start runs as written, against the sandbox instead of Xero's host.

(The 2.0 quick start runs in ``tests/v2_runtime/test_readme_v2.py`` until a 2.0 sandbox exists.)

Only the client's target changes (the sandbox's keys, URL and CA bundle replace the
placeholders and ``environment="test"``); every other line is executed exactly as printed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import xero_customer_api.v1_0
from xero_sandbox.process import RunningSandbox

ROOT = Path(__file__).resolve().parents[2]


def quick_start_code() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## API 1.0", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the quick start has a python block"
    return match.group(1)


def test_quick_start_runs_against_the_sandbox(
    sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch, unique: str
) -> None:
    real = xero_customer_api.v1_0.XeroClient
    opened: list[Any] = []

    class SandboxClient(real):  # type: ignore[misc, valid-type]
        def __init__(self, **kwargs: Any) -> None:
            assert kwargs.pop("environment") == "test"
            http = httpx.Client(verify=sandbox.verify())
            opened.append(http)
            kwargs.update(
                api_key=sandbox.api_key,
                customer_key=sandbox.customer_key,
                base_url=sandbox.base_url,
                http_client=http,
            )
            super().__init__(**kwargs)

    monkeypatch.setattr(xero_customer_api.v1_0, "XeroClient", SandboxClient)
    # Numbers in the README are fixed; keep them unique in the shared sandbox.
    code = (
        quick_start_code().replace("INV-1001", f"INV-{unique}").replace("CUST-42", f"CUST-{unique}")
    )
    namespace: dict[str, Any] = {}
    try:
        exec(compile(code, "README.md", "exec"), namespace)
    finally:
        for http in opened:  # the SDK never closes an HTTP client it was given
            http.close()
    assert opened, "the quick start built a client"
    invoice = namespace["invoice"]
    assert invoice.invoice_id and invoice.total == invoice.sub_total + invoice.total_tax
    assert any(c.name == "Kowhai Cycles Ltd" for c in namespace["customers"])


def test_sandbox_section_script_runs_with_the_printed_exports(
    sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Local sandbox", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the sandbox section has a python block"
    for name, value in sandbox.values.items():
        if name.startswith("XERO_"):
            monkeypatch.setenv(name, value)
    exec(compile(match.group(1), "README.md", "exec"), {})
    assert "['Demo Company'] 26" in capsys.readouterr().out
