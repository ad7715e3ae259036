"""Run in a subprocess: stream every contact from URL; print count and peak RSS growth (bytes).

RSS is sampled by a thread every 2 ms (``ru_maxrss`` cannot be used: it survives exec, so a
child started by a big parent inherits the parent's peak).
"""

from __future__ import annotations

import sys
import threading

import psutil
from xero_customer_api.v1_0 import XeroClient


def main() -> None:
    base_url, mode = sys.argv[1], sys.argv[2]
    process = psutil.Process()
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], process.memory_info().rss)
            done.wait(0.002)

    with XeroClient(
        api_key="bench-partner-key",
        customer_key="bench-customer-key",
        base_url=base_url,
        timeout=120,
        max_response_bytes=1 << 30,
    ) as client:
        before = process.memory_info().rss
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        if mode == "iter":
            count = sum(1 for _ in client.contacts.iter())
        else:
            count = len(client.contacts.list())
        done.set()
        sampler.join()
    print(count, max(0, peak[0] - before))


if __name__ == "__main__":
    main()
