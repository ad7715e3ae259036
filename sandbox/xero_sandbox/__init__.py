"""A local sandbox of Xero's XML APIs: the Accounting API 2.0 (``/api.xro/2.0/``) with Xero's
OAuth 2.0 identity server, and the Customer API 1.0 (``/api.xro/1.0/``), over the same store.

Start it with ``xero-sandbox serve [--host 127.0.0.1] [--port N|0] [--db FILE] [--http]
[--token-ttl SECONDS] [--time-scale N] [--no-limits]`` (``make sandbox`` in a checkout). It
serves HTTPS with a certificate from a private CA made at start-up and, once ready, prints
lines to paste into a POSIX shell (values shell-quoted, flushed;
:func:`xero_sandbox.process.parse_ready_line` reads them back)::

    export XERO_BASE_URL=https://127.0.0.1:PORT/api.xro/2.0/
    export XERO_CLIENT_ID=...            # the demo app (a custom connection) ...
    export XERO_CLIENT_SECRET=...
    export XERO_TENANT_ID=...            # ... to the Demo Company
    export XERO_TOKEN_URL=https://127.0.0.1:PORT/connect/token
    export XERO_AUTHORIZE_URL=https://127.0.0.1:PORT/identity/connect/authorize
    export XERO_V1_BASE_URL=https://127.0.0.1:PORT/api.xro/1.0/
    export XERO_API_KEY=...              # the demo partner's 1.0 key (query parameter apiKey)
    export XERO_CUSTOMER_KEY=...         # the Demo Company's customer key (query parameter xeroKey)
    export XERO_CA_BUNDLE=/tmp/.../ca.pem  # trust this CA (HTTPS only)
    # Partner console: https://127.0.0.1:PORT/console?apiKey=...
    # Stop with Ctrl-C (the CA bundle is removed on exit).

It runs until SIGINT, SIGTERM or SIGHUP and removes its temporary CA folder on any exit.
Idle and slow clients are cut off (``--header-timeout``, ``--idle-timeout``,
``--body-timeout``), and requests past ``--max-connections`` open connections get 503.

Layout: the store (:mod:`.store`) keeps version-neutral records (:mod:`.records`); each API
version is a folder with its own routes, rules, codec and errors (:mod:`.v1_0`, :mod:`.v2_0`),
sharing the store, the identity server (:mod:`.identity`), the rate limits (:mod:`.limits`),
the console (:mod:`.console`) and the faults (:mod:`.faults`). A third version is one more
folder listed in :class:`.app.SandboxApp`.

Plain HTTP to the HTTPS port is refused; ``--http`` serves plain HTTP, on loopback only.
State is in memory unless ``--db FILE`` keeps it in SQLite (WAL; every write is committed
before its response, so SIGTERM loses no acknowledged write; a file of an older layout is
refused, not migrated). An empty store is seeded with the partner "Demo Partner", its OAuth
app "Demo App" (a custom connection to the Demo Company), the organisation "Demo Company", an
NZ-style chart of accounts with a bank account and two tracking categories (Region,
Salesperson). ``xero-sandbox keys add-org --db FILE --name NAME`` prints the customer key and
tenant id of a new organisation; ``keys add-app --db FILE`` the client id and secret of a new
app; ``keys add-partner --db FILE`` the key of a new partner.

API 2.0: see :mod:`xero_sandbox.v2_0`; API 1.0: see :mod:`xero_sandbox.v1_0` (a bad
``apiKey`` gets Xero's HTML "Object moved" 302 to ``/Login.xro/Login``; a bad ``xeroKey`` the
AuthKeyNotValidForProviderException envelope; errors use the 1.0 envelope with HTTP 500).

Partner console: ``GET /console?apiKey=KEY`` lists that partner's recent requests (both
versions and its apps' token calls) with their raw bodies, keys, tokens and secrets redacted;
``GET /console/export?apiKey=KEY`` gives the same as JSON (``xero-codegen drift`` reads it).
``GET /console/attachments?apiKey=KEY`` lists the files attached to documents of the
partner's organisations, each a download (``/console/attachments/file``, never shown inline).
Attachment files are kept beside a ``--db`` file (``FILE.attachments/``) or in a temporary
folder; ``--attachment-max-bytes`` (or ``XERO_SANDBOX_ATTACHMENT_MAX_BYTES``) sets the
largest accepted (default 10 MB; larger: Xero's 413 JSON, from the Content-Length before
the body is read).

Test hooks, answered to loopback clients only (JSON):

``POST /_sandbox/faults``
    ``{"path": "contacts", "method": "GET", "kind": KIND, "count": 1, "retry_after": 1,
    "delay": 1.0}`` schedules the next ``count`` responses of that endpoint to fail (a 2.0
    path names its resource: ``"/api.xro/2.0/Invoices"``; methods GET, PUT, POST, DELETE).
    KIND:

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
    ``{"requests": {"PUT invoice": 1, "PUT 2.0/invoices": 1, ...}, "pending_faults": {...}}``: API requests
    received per endpoint, faulted ones included.
``POST /_sandbox/limits``
    ``{"client_id": ..., "tenant_id": ..., "minute": 60, "day": 5000}`` marks that many calls
    as made in the current minute and day windows of an app and tenant (to reach a limit).
``POST /_sandbox/reset-stats``
    Zero the request counters.
"""

__version__ = "0.1.0"
