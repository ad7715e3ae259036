"""Run in a fresh interpreter, under valgrind's callgrind: ``python -m bench.reports_child WHAT N``.

Builds the 100-period Profit and Loss of :mod:`bench.reports`, runs ``WHAT`` (``lxml``: lxml's
parse alone; ``sdk``: the SDK's parse and decode into ``Report``; ``decode``: the decode of an
already parsed tree) three times to warm up, then ``N`` times more. The bench runs it with
``N = 0`` and ``N > 0`` and divides the difference of the instruction counts by ``N``: the
instructions of one run, the same on every run of the bench whatever the machine's load
(unlike times), though they leave out what memory and caches cost.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from lxml import etree
from xero_customer_api._runtime._xml import parse_document
from xero_customer_api.v2_0 import _codec
from xero_customer_api.v2_0 import models as m

from . import reports


def main() -> None:
    what, runs = sys.argv[1], int(sys.argv[2])
    xml = reports.profit_and_loss_xml(periods=100, accounts=40)
    decoder = _codec.DECODERS[m.ReportsResponse]
    tree = parse_document(xml)
    work: Callable[[], object] = {
        "lxml": lambda: etree.fromstring(xml),
        "sdk": lambda: decoder(parse_document(xml), False),
        "decode": lambda: decoder(tree, False),
    }[what]
    for _ in range(3 + runs):
        work()


if __name__ == "__main__":
    main()
