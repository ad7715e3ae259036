"""``xero-sandbox serve`` as a process: paste-ready output, console URL, clean-up on every
kind of stop, and connections that cannot be held open by idle or slow clients."""

from __future__ import annotations

import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from xero_sandbox.process import RunningSandbox, launch, parse_ready_line

pytestmark = pytest.mark.e2e


def _address(sandbox: RunningSandbox) -> tuple[str, int]:
    parts = urlsplit(sandbox.base_url)
    assert parts.hostname is not None and parts.port is not None
    return parts.hostname, parts.port


NAMES = [
    "XERO_BASE_URL",
    "XERO_CLIENT_ID",
    "XERO_CLIENT_SECRET",
    "XERO_TENANT_ID",
    "XERO_TOKEN_URL",
    "XERO_AUTHORIZE_URL",
    "XERO_V1_BASE_URL",
    "XERO_API_KEY",
    "XERO_CUSTOMER_KEY",
    "XERO_CA_BUNDLE",
]


def test_ready_lines_paste_into_a_shell(sandbox: RunningSandbox) -> None:
    printed = "".join(sandbox.stdout_lines)
    exports = [line for line in sandbox.stdout_lines if line.startswith("export ")]
    assert [line.split("=", 1)[0] for line in exports] == [f"export {n}" for n in NAMES]
    # pasted into a shell as printed (comments included), the variables are set
    shell = subprocess.run(
        ["bash", "-c", printed + 'printf "%s\\n" ' + " ".join(f'"${n}"' for n in NAMES)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert shell.stdout.splitlines() == [sandbox.values[n] for n in NAMES]
    assert sandbox.values["XERO_V1_BASE_URL"] == sandbox.base_url
    assert sandbox.token_url == f"{sandbox.root_url}/connect/token"
    assert sandbox.authorize_url == f"{sandbox.root_url}/identity/connect/authorize"
    assert shell.stderr == ""


def test_printed_console_url_opens_the_console(sandbox: RunningSandbox) -> None:
    url = sandbox.console_url
    assert url == f"{sandbox.root_url}/console?apiKey={sandbox.api_key}"
    with httpx.Client(verify=sandbox.verify()) as http:
        page = http.get(url)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Demo Partner" in page.text


def test_values_are_shell_quoted() -> None:
    assert parse_ready_line("export XERO_CA_BUNDLE='/tmp/my folder/ca.pem'\n") == (
        "XERO_CA_BUNDLE",
        "/tmp/my folder/ca.pem",
    )
    assert parse_ready_line("# Partner console: https://h:1/console?apiKey=K") == (
        "console_url",
        "https://h:1/console?apiKey=K",
    )
    assert parse_ready_line("# Stop with Ctrl-C.") is None


def test_ca_file_with_a_space_is_quoted_and_idle_tls_is_closed(tmp_path: Path) -> None:
    ca_file = tmp_path / "my folder" / "ca.pem"
    running = launch(["--ca-file", str(ca_file), "--header-timeout", "0.5"])
    try:
        line = next(x for x in running.stdout_lines if x.startswith("export XERO_CA_BUNDLE="))
        assert line.strip() == f"export XERO_CA_BUNDLE='{ca_file}'"
        assert running.ca_bundle == str(ca_file)
        # a TLS connection that sends no request is closed too
        context = ssl.create_default_context(cafile=str(ca_file))
        with (
            socket.create_connection(_address(running)) as raw,
            context.wrap_socket(raw, server_hostname="127.0.0.1") as conn,
        ):
            assert _closed_by_server(conn) == b""
    finally:
        running.stop()
    assert ca_file.exists(), "a CA file the user asked for is kept"


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_temporary_ca_folder_is_removed_on_stop(stop: signal.Signals) -> None:
    running = launch()
    assert running.ca_bundle is not None
    folder = Path(running.ca_bundle).parent
    assert folder.name.startswith("xero-sandbox-") and folder.is_dir()
    running.process.send_signal(stop)
    status = running.process.wait(30)
    running.stop()
    assert status == -stop, running.stderr  # it ends by the signal it got, after cleaning up
    assert not folder.exists()
    assert "Traceback" not in running.stderr


@pytest.fixture(scope="module")
def impatient() -> Iterator[RunningSandbox]:
    """A plain-HTTP sandbox with short header and idle timeouts."""
    running = launch(["--http", "--header-timeout", "0.5", "--idle-timeout", "1"])
    try:
        yield running
    finally:
        running.stop()


def _closed_by_server(conn: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (the test's own limit is
    generous; the server's timeouts are what close it)."""
    conn.settimeout(30)
    received = b""
    try:
        while chunk := conn.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass  # an aborted connection: closed all the same
    return received


def test_idle_connection_is_closed(impatient: RunningSandbox) -> None:
    with socket.create_connection(_address(impatient)) as conn:
        assert _closed_by_server(conn) == b""


def test_trickled_headers_are_cut_off(impatient: RunningSandbox) -> None:
    """A header line every 0.1 s: the deadline covers the whole head, not each byte."""
    with socket.create_connection(_address(impatient)) as conn:
        conn.sendall(b"GET /api.xro/1.0/accounts HTTP/1.1\r\nHost: x\r\n")
        conn.settimeout(0.1)
        for _ in range(300):
            try:
                if conn.recv(65536) == b"":
                    break
            except TimeoutError:
                pass
            except ConnectionResetError:
                break
            try:
                conn.sendall(b"X-Slow: 1\r\n")
            except OSError:
                break
        else:
            pytest.fail("the server kept a connection whose headers never ended")


def test_idle_keep_alive_connection_is_closed_after_a_response(
    impatient: RunningSandbox,
) -> None:
    host, port = _address(impatient)
    with socket.create_connection((host, port)) as conn:
        conn.sendall(b"GET /_sandbox/stats HTTP/1.1\r\nHost: x\r\n\r\n")
        received = _closed_by_server(conn)
    assert received.startswith(b"HTTP/1.1 200 ")
    assert b'"requests"' in received


def _busy(address: tuple[str, int]) -> socket.socket:
    """A connection holding a request: its headers are in, its body never comes."""
    conn = socket.create_connection(address)
    conn.sendall(b"PUT /api.xro/2.0/Contacts HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
    return conn


def test_connections_beyond_the_limit_get_503_only_when_all_are_busy() -> None:
    running = launch(["--http", "--max-connections", "3"])
    try:
        address = _address(running)
        held = [_busy(address) for _ in range(2)]
        try:
            time.sleep(0.3)
            with httpx.Client(base_url=running.root_url) as http:
                refused = http.get("/_sandbox/stats")
            assert refused.status_code == 503
        finally:
            for conn in held:
                conn.close()
        with httpx.Client(base_url=running.root_url) as http:
            for _ in range(100):  # the server notices the closed connections shortly
                answer = http.get("/_sandbox/stats", headers={"connection": "close"})
                if answer.status_code == 200:
                    break
                time.sleep(0.05)
            assert answer.status_code == 200
    finally:
        running.stop()


def test_slow_clients_cannot_crowd_out_others() -> None:
    """Sockets that never finish their headers (slowloris, reconnecting as they are
    dropped) do not get other clients' requests a 503: the server drops the longest-waiting
    headerless connection to make room."""
    running = launch(["--http", "--max-connections", "20"])
    slow: list[socket.socket] = []
    try:
        address = _address(running)
        codes = []
        with httpx.Client(base_url=running.root_url) as http:
            for round_ in range(30):
                for _ in range(10):  # ten more slow sockets each round
                    conn = socket.create_connection(address)
                    conn.sendall(b"GET /_sandbox/stats HTTP/1.1\r\nHost: x\r\n")
                    slow.append(conn)
                time.sleep(0.02)
                answer = http.get("/_sandbox/stats", headers={"connection": "close"})
                codes.append(answer.status_code)
                assert round_ >= 0
        assert codes.count(200) == len(codes), codes
    finally:
        for conn in slow:
            conn.close()
        running.stop()


def test_one_client_holds_a_bounded_number_of_headerless_connections() -> None:
    """A quarter of --max-connections (at least 16) per client address: the longest-waiting
    ones beyond it are dropped, well before the limit."""
    running = launch(["--http", "--max-connections", "100"])
    slow: list[socket.socket] = []
    try:
        address = _address(running)
        for _ in range(60):
            conn = socket.create_connection(address)
            conn.sendall(b"GET /_sandbox/stats HTTP/1.1\r\nHost: x\r\n")
            slow.append(conn)
        time.sleep(0.5)
        closed = 0
        for conn in slow:
            conn.settimeout(0.05)
            try:
                closed += conn.recv(1) == b""
            except TimeoutError:
                pass
            except ConnectionResetError:
                closed += 1
        assert closed >= 60 - 25, closed  # at most 25 (a quarter of 100) kept
        assert closed <= 60 - 20, closed  # the newest ones are kept
        with httpx.Client(base_url=running.root_url) as http:
            assert http.get("/_sandbox/stats").status_code == 200
    finally:
        for conn in slow:
            conn.close()
        running.stop()
