"""A tiny loopback HTTP/1.1 server for the benchmarks (real sockets, keep-alive).

``routes`` answer fixed bytes (the 1.0 figures, under ``base_url``). ``pages`` answer a paged
2.0 list under ``base_url_v2``: the callable gets the ``page`` (from 1) and ``pageSize``
(100 when absent, as Xero's default) of the query and returns that page's document. A 2.0
request must carry ``Authorization: Bearer <BENCH_TOKEN>`` and ``xero-tenant-id:
<BENCH_TENANT>`` (401/403 otherwise), so a figure cannot pass by talking past the SDK's auth.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

BENCH_TOKEN = "bench-access-token"
BENCH_TENANT = "00000000-be0c-4000-8000-000000000000"
DEFAULT_PAGE_SIZE = 100


class BytesServer:
    def __init__(self) -> None:
        self.routes: dict[str, bytes] = {}
        self.pages: dict[str, Callable[[int, int], bytes]] = {}
        self.requests = 0
        routes, pages, server = self.routes, self.pages, self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                view = memoryview(body)
                for start in range(0, len(body), 1 << 16):
                    self.wfile.write(view[start : start + (1 << 16)])

            def do_GET(self) -> None:
                server.requests += 1
                url = urlsplit(self.path)
                name = url.path.rsplit("/", 1)[-1]
                if url.path.startswith("/api.xro/2.0/") and name in pages:
                    self._paged(pages[name], parse_qs(url.query))
                    return
                body = routes.get(name, b"")
                self._send(200 if body else 404, body, "text/xml; charset=utf-8")

            def _paged(
                self, page_of: Callable[[int, int], bytes], query: dict[str, list[str]]
            ) -> None:
                if self.headers.get("Authorization") != f"Bearer {BENCH_TOKEN}":
                    self._send(401, b'{"Title":"Unauthorized","Status":401}', "application/json")
                    return
                if self.headers.get("xero-tenant-id") != BENCH_TENANT:
                    self._send(403, b'{"Title":"Forbidden","Status":403}', "application/json")
                    return
                try:
                    page = int(query.get("page", ["1"])[0])
                    size = int(query.get("pageSize", [str(DEFAULT_PAGE_SIZE)])[0])
                except ValueError:
                    page = size = 0
                if page < 1 or size < 1:
                    self._send(400, b"bad page or pageSize", "text/plain")
                    return
                self._send(200, page_of(page, size), "text/xml; charset=utf-8")

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        root = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.base_url = f"{root}/api.xro/1.0/"
        self.base_url_v2 = f"{root}/api.xro/2.0/"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
