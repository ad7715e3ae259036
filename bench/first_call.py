"""The cost of a first call: ``XeroClient(...)`` plus a first ``<resource>.list()`` against a
fake transport, in fresh interpreters (CPU time; median of several runs).

``python -m bench.first_call [resources...]`` (default: contacts and items). What is timed
starts after ``import xero_customer_api.v2_0`` (httpx and lxml are loaded by then) and covers
building the client, importing the resource's module with its models and codec on first use,
the request and decoding a small answer.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "v2.0" / "responses"
ANSWERS = {
    "contacts": "contacts_response/page_of_two.xml",
    "items": "items_response/tracked_and_not.xml",
    "invoices": "invoices_response/one_with_lines.xml",
}
CHILD = """
import sys, time
import httpx
import xero_customer_api.v2_0 as v2
body = open(sys.argv[2], "rb").read()
def answer(request):
    return httpx.Response(200, content=body, headers={"content-type": "text/xml"})
start = time.process_time()
client = v2.XeroClient(access_token="bench-access-token", tenant_id="b1f7a1c2-3d4e-4f50-8a6b-7c8d9e0f1a2b",
    base_url="https://xero.invalid/api.xro/2.0/", limiter=None,
    http_client=httpx.Client(transport=httpx.MockTransport(answer)))
getattr(client, sys.argv[1]).list()
print((time.process_time() - start) * 1000)
"""


# Bytecode as an installed package has it (pip compiles it), kept out of the tree.
PYCACHE = Path(tempfile.gettempdir()) / "xero-bench-first-call-pycache"
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPYCACHEPREFIX": str(PYCACHE),
}


def first_call_ms(resource: str, runs: int = 11) -> float:
    """Median CPU milliseconds of a first ``list()`` of ``resource`` in a fresh interpreter
    (after one run that writes the bytecode)."""
    answer = FIXTURES / ANSWERS[resource]
    subprocess.run(
        [sys.executable, "-c", CHILD, resource, str(answer)],
        check=True,
        env=ENV,
        cwd=ROOT,
        capture_output=True,
    )
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", CHILD, resource, str(answer)],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
                env=ENV,
            ).stdout
        )
        for _ in range(runs)
    ]
    return statistics.median(times)


def main(argv: list[str]) -> None:
    for resource in argv or ["contacts", "items"]:
        print(f"{resource}.list(): {first_call_ms(resource):.1f} ms (CPU, median)")


if __name__ == "__main__":
    main(sys.argv[1:])
