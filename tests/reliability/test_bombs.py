"""Issue 20 item 8: compression bombs, over real sockets on loopback, under a memory limit.

Each scenario runs in a child process whose address space is capped at what it uses after
its imports plus 512 MiB, against an answer that decodes to 1 GiB of spaces: gzipped twice
(``Content-Encoding: gzip, gzip``, 1.8 KB on the wire) and gzipped once (1 MB). Before the
fix, httpx's multi-decoder handed the outer layer's output to an unbounded
``zlib.decompress()``: MemoryError (from outside the SDK's error tree) at 474 MiB peak. Now a
stacked coding is refused before anything is decoded, and a single layer is decoded in 64 KiB
pieces that the reader's cap counts as they are produced.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from xero_customer_api import XeroResponseError
from xero_customer_api._runtime._transport import DECODED_PIECE, ContentDecoder

from .bomb_child import gzip_layers

CHILD = Path(__file__).with_name("bomb_child.py")
GIB = 1 << 30


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    once = gzip_layers(GIB, 1)
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    twice = c.compress(once) + c.flush()
    paths = {1: folder / "once.gz", 2: folder / "twice.gz"}
    paths[1].write_bytes(once)
    paths[2].write_bytes(twice)
    return paths


def run_child(scenario: str, path: Path, layers: int) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, str(CHILD), scenario, str(path), str(layers), "512"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("scenario", ["list", "iter", "async", "token", "exchange"])
def test_stacked_gzip_bomb_is_refused_before_decoding(
    bombs: dict[int, Path], scenario: str
) -> None:
    result = run_child(scenario, bombs[2], 2)
    assert result["error"] == "XeroResponseError", result
    assert "stacked content codings" in str(result["message"])
    assert "gzip, gzip" in str(result["message"])
    assert float(str(result["peak_rss_mib"])) < 200, result


@pytest.mark.parametrize(
    ("scenario", "words"),
    [
        ("list", "larger than max_response_bytes"),
        ("iter", "max_item_bytes"),
        ("async", "larger than max_response_bytes"),
        ("token", "token endpoint answered more than"),
    ],
)
def test_single_gzip_bomb_stops_at_the_cap(
    bombs: dict[int, Path], scenario: str, words: str
) -> None:
    result = run_child(scenario, bombs[1], 1)
    assert result["error"] == "XeroResponseError", result
    assert words in str(result["message"])
    # the cap (256 MiB for a whole answer) plus the interpreter, never the 1 GiB
    assert float(str(result["peak_rss_mib"])) < 400, result


def test_decoder_refuses_unknown_and_stacked_codings() -> None:
    for header in ("br", "zstd", "gzip, gzip", "deflate, gzip", "compress"):
        with pytest.raises(XeroResponseError) as caught:
            ContentDecoder(header, 200)
        assert caught.value.status_code == 200
    assert list(ContentDecoder("identity", 200).feed(b"abc")) == [b"abc"]
    assert list(ContentDecoder(None, 200).feed(b"abc")) == [b"abc"]


def test_decoder_yields_bounded_pieces_and_reads_both_deflates() -> None:
    data = b"x" * (DECODED_PIECE * 5 + 17)
    for wbits, coding in ((31, "gzip"), (15, "deflate"), (-15, "deflate")):
        c = zlib.compressobj(6, zlib.DEFLATED, wbits)
        wire = c.compress(data) + c.flush()
        decoder = ContentDecoder(coding, 200)
        pieces = [*decoder.feed(wire[:10]), *decoder.feed(wire[10:]), *decoder.flush()]
        assert b"".join(pieces) == data
        assert max(len(p) for p in pieces) <= DECODED_PIECE


def test_decoder_reports_a_broken_body_as_a_response_error() -> None:
    decoder = ContentDecoder("gzip", 200)
    with pytest.raises(XeroResponseError, match="could not be decoded"):
        list(decoder.feed(b"\x1f\x8b\x08\x00garbage-garbage-garbage"))
    c = zlib.compressobj(6, zlib.DEFLATED, 31)
    wire = c.compress(b"y" * 1000) + c.flush()
    truncated = ContentDecoder("gzip", 200)
    list(truncated.feed(wire[: len(wire) // 2]))
    with pytest.raises(XeroResponseError, match="ends mid-stream"):
        list(truncated.flush())
