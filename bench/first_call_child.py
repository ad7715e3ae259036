"""Run in a fresh interpreter: the cost of a 2.0 client's first call, after ``import xero_customer_api``.

``python -m bench.first_call_child URL RESOURCE`` imports ``xero_customer_api`` (the import has
its own figure), then times ``from xero_customer_api.v2_0 import XeroClient``,
``XeroClient(...)`` and a first ``client.<RESOURCE>.list()`` against the bench server (static
access token and tenant id), and prints the CPU seconds of this process, the wall seconds and
the number of records read. CPU time leaves out the bench server (it runs in the parent
process) and most of what the machine's other load does to the wall time.

The package imported is whichever comes first on ``sys.path``: the bench puts a compiled copy
of today's tree, or of the five-resource tree of an earlier commit, on ``PYTHONPATH``.
"""

from __future__ import annotations

import sys
import time

import xero_customer_api  # noqa: F401  (the import is measured by the import figure)

from .server import BENCH_TENANT, BENCH_TOKEN


def main() -> None:
    base_url, resource = sys.argv[1], sys.argv[2]
    cpu, wall = time.process_time(), time.perf_counter()
    from xero_customer_api.v2_0 import XeroClient

    client = XeroClient(access_token=BENCH_TOKEN, tenant_id=BENCH_TENANT, base_url=base_url)
    got = getattr(client, resource).list()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    client.close()
    print(cpu, wall, len(got))


if __name__ == "__main__":
    main()
