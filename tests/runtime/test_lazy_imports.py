"""``import xero_customer_api`` loads only what the hot path needs (fresh interpreters).

xsdata (the reference parser/serialiser), asyncio (until an async client sleeps) and the
generated command line are loaded on first use; the Xero date formats are registered with
xsdata before the runtime's ``bind()`` / ``serialize()`` first use it.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _fresh(code: str) -> object:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "statement", ["import xero_customer_api", "from xero_customer_api import XeroClient"]
)
def test_import_does_not_load_the_reference_path_or_the_cli(statement: str) -> None:
    loaded = _fresh(
        f"{statement}\nimport json, sys\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'xsdata', 'asyncio'} or m.startswith('xero_customer_api.cli') "
        "or m.endswith('._cli') or m.endswith('._cli_support'))))"
    )
    assert loaded == []


def test_serialize_registers_the_date_formats_first() -> None:
    out = _fresh(
        "import datetime, json\n"
        "from xero_customer_api._runtime._xml import serialize\n"
        "from xero_customer_api.v1_0 import models\n"
        "inv = models.Invoice(invoice_type=models.InvoiceType.ACCREC,\n"
        "    contact=models.Contact(name='c'), invoice_date=datetime.date(2024, 2, 1),\n"
        "    invoice_number='INV-1', updated_date_utc=datetime.datetime(2024, 3, 1, 9, 30,\n"
        "    tzinfo=datetime.timezone(datetime.timedelta(hours=13))))\n"
        "print(json.dumps(serialize(inv).decode()))"
    )
    assert isinstance(out, str)
    assert "<InvoiceDate>2024-02-01T00:00:00</InvoiceDate>" in out
    assert "<UpdatedDateUTC>2024-02-29T20:30:00Z</UpdatedDateUTC>" in out


def test_bind_registers_the_date_formats_first() -> None:
    out = _fresh(
        "import json\n"
        "from xero_customer_api._runtime._xml import bind, parse_document\n"
        "from xero_customer_api.v1_0 import models\n"
        "doc = b'<Invoice><InvoiceType>ACCREC</InvoiceType><Contact><Name>c</Name></Contact>'\\\n"
        "    b'<InvoiceDate>2024-02-01T00:00:00</InvoiceDate><InvoiceNumber>I</InvoiceNumber>'\\\n"
        "    b'<UpdatedDateUTC>2024-03-01T09:30:00.1234567Z</UpdatedDateUTC></Invoice>'\n"
        "inv = bind(parse_document(doc), models.Invoice)\n"
        "print(json.dumps([repr(inv.invoice_date), repr(inv.updated_date_utc)]))"
    )
    assert out == [
        "datetime.date(2024, 2, 1)",
        "datetime.datetime(2024, 3, 1, 9, 30, 0, 123456, tzinfo=datetime.timezone.utc)",
    ]


def test_import_leaves_the_version_packages_until_a_client_is_touched() -> None:
    out = _fresh(
        "import json, sys\n"
        "import xero_customer_api\n"
        "def loaded(): return sorted(m for m in ('xero_customer_api.v1_0', 'xero_customer_api.v2_0')"
        " if m in sys.modules)\n"
        "before = loaded()\n"
        "listed = {'XeroClient', 'AsyncXeroClient', 'v1_0', 'v2_0'} <= set(dir(xero_customer_api))\n"
        "after_dir = loaded()\n"
        "from xero_customer_api import XeroClient\n"
        "import xero_customer_api.v2_0 as v2\n"
        "print(json.dumps([before, listed, after_dir, loaded(), XeroClient is v2.XeroClient,\n"
        "    xero_customer_api.AsyncXeroClient is v2.AsyncXeroClient,\n"
        "    xero_customer_api.v1_0.API_VERSION, loaded()]))"
    )
    assert out == [
        [],
        True,
        [],
        ["xero_customer_api.v2_0"],
        True,
        True,
        "1.0",
        ["xero_customer_api.v1_0", "xero_customer_api.v2_0"],
    ]


def test_an_unknown_attribute_is_still_an_attribute_error() -> None:
    import xero_customer_api

    with pytest.raises(AttributeError, match="no attribute 'XeroClinet'"):
        xero_customer_api.XeroClinet  # type: ignore[attr-defined]  # noqa: B018
