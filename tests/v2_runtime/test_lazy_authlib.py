"""Authlib (about 70 ms to import) loads on the first token call, not on import."""

from __future__ import annotations

import json
import subprocess
import sys


def _loaded(code: str) -> list[str]:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            code + "\nimport json, sys\nprint(json.dumps(sorted(m for m in sys.modules"
            " if m.split('.')[0] in {'authlib', 'asyncio'})))",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def test_import_and_a_static_token_client_do_not_load_authlib_or_asyncio() -> None:
    assert (
        _loaded(
            "import xero_customer_api\n"
            "c = xero_customer_api.XeroClient(access_token='tok-123456', tenant_id='11111111-aaaa-4bbb-8ccc-000000000001')\n"
            "w = xero_customer_api.field('Name').eq('x')"
        )
        == []
    )


def test_authorization_url_loads_authlib() -> None:
    loaded = _loaded(
        "import xero_customer_api\n"
        "xero_customer_api.authorization_url(client_id='c', redirect_uri='https://a.test/cb',"
        " scopes=['offline_access'])"
    )
    assert "authlib" in loaded and "asyncio" not in loaded
