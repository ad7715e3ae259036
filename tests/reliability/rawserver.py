"""A raw HTTP/1.1 server on 127.0.0.1 for hostile-answer tests: every request gets the same
scripted bytes (status line, headers, body), optionally trickled one byte at a time."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable


class RawServer:
    """Answers every request with ``answer(request_head)`` (the raw bytes to send).

    ``trickle``: seconds between single bytes of the answer (0: all at once). The server
    stops trickling once the client has gone or :meth:`close` was called.
    """

    def __init__(self, answer: Callable[[bytes], bytes], *, trickle: float = 0.0) -> None:
        self.answer = answer
        self.trickle = trickle
        self.requests: list[bytes] = []
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(10)
            try:
                while not self.stop.is_set():
                    data = b""
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(65536)
                        if not chunk:
                            return
                        data += chunk
                    head, _, rest = data.partition(b"\r\n\r\n")
                    length = 0
                    for line in head.split(b"\r\n")[1:]:
                        name, _, value = line.partition(b":")
                        if name.strip().lower() == b"content-length":
                            length = int(value.strip())
                    while len(rest) < length:
                        chunk = conn.recv(65536)
                        if not chunk:
                            return
                        rest += chunk
                    self.requests.append(head + b"\r\n\r\n" + rest)
                    payload = self.answer(head)
                    if not self.trickle:
                        conn.sendall(payload)
                        continue
                    for byte in payload:
                        if self.stop.is_set():
                            return
                        conn.sendall(bytes([byte]))
                        time.sleep(self.trickle)
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        self.sock.close()


def http_answer(status: int, headers: dict[str, str], body: bytes) -> bytes:
    """The bytes of one HTTP/1.1 answer (Content-Length added)."""
    lines = [f"HTTP/1.1 {status} X"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
