"""`make demo` runs: examples/demo.py against a sandbox of its own, as a user runs it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.e2e
def test_the_demo_runs_a_month_of_trading(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo.py")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert "A month of trading" in out
    assert re.search(r"credit note \S+ \(\d+\.\d\d\) allocated to \S+: \d+\.\d\d still due", out)
    assert "receipt attached" in out
    assert "Profit and Loss" in out or "Profit & Loss" in out
    assert "Net Profit" in out
    assert "Aged Receivables" in out
    saved = re.search(r"saved (\S+\.pdf) \((\d+) bytes", out)
    assert saved is not None, out
    pdf = tmp_path / saved.group(1)
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert pdf.stat().st_size == int(saved.group(2))
    assert (tmp_path / "build" / "demo" / "kaituna-receipt.txt").is_file()
    assert "Sandbox stopped" in out
