"""Run one call against a compression bomb under a memory limit; print what happened as JSON.

Usage: python bomb_child.py <scenario> <body file> <layers> <address-space headroom MiB>
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from xero_customer_api import AsyncXeroClient, XeroClient, XeroError
from xero_customer_api._runtime._oauth import exchange_code

from tests.reliability.rawserver import RawServer, http_answer

TENANT = "a3b1c2d4-0000-4e5f-9a8b-7c6d5e4f3a2b"


def gzip_layers(size: int, layers: int) -> bytes:
    """``size`` bytes of spaces, gzipped ``layers`` times."""
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b" " * (1 << 20)
    parts = [c.compress(block) for _ in range(size >> 20)]
    data = b"".join(parts) + c.flush()
    for _ in range(layers - 1):
        c = zlib.compressobj(9, zlib.DEFLATED, 31)
        data = c.compress(data) + c.flush()
    return data


def vm_size() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmSize")


def main() -> None:
    scenario, path, layers, headroom = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    body = Path(path).read_bytes()
    coding = ", ".join(["gzip"] * layers)
    json_type = scenario in ("token", "exchange")
    headers = {
        "Content-Type": "application/json" if json_type else "text/xml",
        "Content-Encoding": coding,
    }
    server = RawServer(lambda head: http_answer(200, headers, body))
    url = server.url
    # warm up everything lazily imported, then cap the address space
    XeroClient(access_token="warm-up-token-0123456789", tenant_id=TENANT, base_url=url).close()
    import authlib.oauth2.rfc6749.parameters  # noqa: F401

    limit = vm_size() + (headroom << 20)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    started = time.monotonic()
    outcome: dict[str, object] = {"wire_bytes": len(body)}
    try:
        if scenario == "list":
            with XeroClient(
                access_token="bomb-test-token-0123456789",
                tenant_id=TENANT,
                base_url=url + "/api.xro/2.0/",
                max_retries=0,
                limiter=False,
            ) as client:
                client.contacts.list()
        elif scenario == "iter":
            with XeroClient(
                access_token="bomb-test-token-0123456789",
                tenant_id=TENANT,
                base_url=url + "/api.xro/2.0/",
                max_retries=0,
                limiter=False,
            ) as client:
                for _ in client.contacts.iter():
                    pass
        elif scenario == "async":

            async def run() -> None:
                async with AsyncXeroClient(
                    access_token="bomb-test-token-0123456789",
                    tenant_id=TENANT,
                    base_url=url + "/api.xro/2.0/",
                    max_retries=0,
                    limiter=False,
                ) as client:
                    await client.contacts.list()

            asyncio.run(run())
        elif scenario == "token":
            with XeroClient(
                client_id="CLIENTID0123456789ABCDEF",
                client_secret="s3cr3t-CLIENT-SECRET-value-xyz",
                token_url=url + "/connect/token",
                tenant_id=TENANT,
                base_url=url + "/api.xro/2.0/",
                max_retries=0,
                limiter=False,
            ) as client:
                client.contacts.list()
        elif scenario == "exchange":
            exchange_code(
                client_id="CLIENTID0123456789ABCDEF",
                redirect_uri="http://localhost/callback",
                code_verifier="v" * 64,
                code="the-code-0123456789",
                token_url=url + "/connect/token",
            )
        outcome["error"] = None
    except XeroError as exc:
        outcome["error"] = type(exc).__name__
        outcome["message"] = str(exc)
    except BaseException as exc:
        outcome["error"] = type(exc).__name__
        outcome["message"] = str(exc)[:300]
        outcome["outside"] = True
    outcome["seconds"] = round(time.monotonic() - started, 2)
    outcome["peak_rss_mib"] = peak_rss_mib()
    server.close()
    print(json.dumps(outcome))


def peak_rss_mib() -> float:
    """This process's peak resident memory since its exec (VmHWM): getrusage's ru_maxrss also
    counts the image the process was forked from (Linux keeps the pre-exec high-water mark),
    so a child of a large test worker would report the worker's memory."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


if __name__ == "__main__":
    main()
