"""Where the XSDs of each API version are: the sandbox checks request bodies against them."""

from __future__ import annotations

import os
from pathlib import Path


def schema_dir(version: str = "1.0") -> Path:
    """The folder of one version's XSDs (``schemas/v<version>``).

    ``$XERO_SANDBOX_SCHEMAS/v<version>`` if that variable is set; else the copy an installed
    wheel carries (``xero_sandbox/schemas/``); else, in a checkout, the repository's
    ``schemas/``.
    """
    folder = f"v{version}"
    override = os.environ.get("XERO_SANDBOX_SCHEMAS")
    if override:
        return Path(override) / folder
    here = Path(__file__).resolve().parent
    for candidate in (here / "schemas" / folder, here.parents[1] / "schemas" / folder):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"the sandbox's XSDs are missing: {here / 'schemas' / folder} is not there"
        " (reinstall xero-sandbox, or set XERO_SANDBOX_SCHEMAS to a schemas folder)"
    )
