"""A local sandbox of Xero's XML Customer API 1.0 (``/api.xro/1.0/``).

Start it with ``xero-sandbox serve [--host 127.0.0.1] [--port N|0] [--db FILE] [--http]``
(``make sandbox`` in a checkout). It serves HTTPS with a certificate from a private CA made at
start-up and, once ready, prints lines to paste into a POSIX shell (values shell-quoted,
flushed; :func:`xero_sandbox.process.parse_ready_line` reads them back)::

    export XERO_BASE_URL=https://127.0.0.1:PORT/api.xro/1.0/
    export XERO_API_VERSION=1.0          # the `xero` CLI: speak 1.0 (its default is 2.0) ...
    export XERO_V1_BASE_URL=https://127.0.0.1:PORT/api.xro/1.0/   # ... to this sandbox
    export XERO_API_KEY=...              # the demo partner's key (query parameter apiKey)
    export XERO_CUSTOMER_KEY=...         # the Demo Company's customer key (query parameter xeroKey)
    export XERO_CA_BUNDLE=/tmp/.../ca.pem  # trust this CA (HTTPS only)
    # Partner console: https://127.0.0.1:PORT/console?apiKey=...
    # Stop with Ctrl-C (the CA bundle is removed on exit).

It runs until SIGINT, SIGTERM or SIGHUP and removes its temporary CA folder on any exit.
Idle and slow clients are cut off (``--header-timeout``, ``--idle-timeout``,
``--body-timeout``), and requests past ``--max-connections`` open connections get 503.

Plain HTTP to the HTTPS port is refused; ``--http`` serves plain HTTP, on loopback only.
State is in memory unless ``--db FILE`` keeps it in SQLite (WAL; every write is committed
before its response, so SIGTERM loses no acknowledged write). An empty store is seeded with
the partner "Demo Partner", the organisation "Demo Company", an NZ-style chart of accounts
and two tracking categories (Region, Salesperson). ``xero-sandbox keys add-org --db FILE
--name NAME`` prints the customer key of a new organisation; ``keys add-partner --db FILE``
the key of a new partner.

Endpoints (lower-case paths, keys in the query string): GET contact, GET contacts, PUT
contact, POST contact, POST contacts, GET invoice, GET invoices, PUT invoice, PUT invoices,
GET accounts, GET tracking. See :mod:`xero_sandbox.service` for the rules. A bad ``apiKey``
gets Xero's HTML "Object moved" 302 to ``/Login.xro/Login``; a bad ``xeroKey`` the
AuthKeyNotValidForProviderException envelope. Errors use the 1.0 envelope with HTTP 500.

Partner console: ``GET /console?apiKey=KEY`` lists that partner's recent requests with
their raw bodies, keys redacted; ``GET /console/export?apiKey=KEY`` gives the same as JSON
(``xero-codegen drift`` reads it).

Test hooks, answered to loopback clients only (JSON):

``POST /_sandbox/faults``
    ``{"path": "contacts", "method": "GET", "kind": KIND, "count": 1, "retry_after": 1,
    "delay": 1.0}`` schedules the next ``count`` responses of that endpoint to fail. KIND:

    * ``"503"``: HTTP 503 with ``Retry-After: retry_after``; the request is not processed.
    * ``"429"``: HTTP 429 with ``Retry-After``; the request is not processed.
    * ``"delay"``: the request is processed and answered after ``delay`` seconds.
    * ``"reset"``: the request is processed (writes are committed), then the headers and
      half of the body are sent and the connection is aborted with a TCP reset.
    * ``"truncate"``: the request is processed, then a complete HTTP response is sent whose
      XML body is cut in half (Content-Length matches the cut body).
``DELETE /_sandbox/faults``
    Drop all scheduled faults.
``GET /_sandbox/stats``
    ``{"requests": {"PUT invoice": 1, ...}, "pending_faults": {...}}``: API requests
    received per endpoint, faulted ones included.
``POST /_sandbox/reset-stats``
    Zero the request counters.
"""

__version__ = "0.1.0"
