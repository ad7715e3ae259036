"""A tiny threaded HTTP server on 127.0.0.1 that answers from a script and counts hits."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# (status, headers, body) or "reset" (close the socket after sending half of a response)
Answer = tuple[int, dict[str, str], bytes] | str


@dataclass
class Loopback:
    url: str
    hits: list[str] = field(default_factory=list)
    answer: Callable[[str, str], Answer] = lambda method, path: (404, {}, b"")


@contextmanager
def loopback() -> Iterator[Loopback]:
    state = Loopback(url="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _handle(self) -> None:
            state.hits.append(f"{self.command} {self.path}")
            length = int(self.headers.get("content-length") or 0)
            if length:
                self.rfile.read(length)
            answer = state.answer(self.command, self.path)
            if answer == "reset":
                body = b"<Response><ID>half"
                self.send_response(200)
                self.send_header("content-type", "text/xml")
                self.send_header("content-length", "400")
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                )
                self.connection.close()
                self.close_connection = True
                return
            assert not isinstance(answer, str)
            status, headers, body = answer
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_PUT = do_POST = _handle

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
