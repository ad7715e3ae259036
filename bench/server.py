"""A tiny loopback HTTP/1.1 server returning fixed bytes (real sockets, keep-alive)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class BytesServer:
    def __init__(self) -> None:
        self.routes: dict[str, bytes] = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                body = routes.get(self.path.split("?", 1)[0].rsplit("/", 1)[-1], b"")
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                view = memoryview(body)
                for start in range(0, len(body), 1 << 16):
                    self.wfile.write(view[start : start + (1 << 16)])

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api.xro/1.0/"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
