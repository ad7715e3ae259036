"""The 2.0 resources beyond the first five, one module each (or one per family).

Each module of this package defines ``ROUTES``, a mapping of ``(method, resource, number of
path segments) -> (handler, scope family)`` like :data:`..service.ROUTES` (``resource`` is
the lower-cased first path segment; a sub-resource of a record adds its lower-cased third
segment: ``("GET", "invoices", 3, "history")``, tried before the plain key), and may define ``SCHEMA``, SQL run when the store opens
(``CREATE TABLE IF NOT EXISTS ...``), and ``SEED(store, org)``, run when the store creates an
organisation (so that a read never has to write). A handler is called as ``handler(service, call)`` and
returns an :class:`..service.Answer`; it raises :class:`..errors.ApiError` or
:class:`..service.NotFound` as the built-in handlers do. Modules are found by name, so adding
a resource to the sandbox is adding its module here.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any


def modules() -> list[ModuleType]:
    """Every resource module of this package, in name order."""
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name)
        if not info.name.startswith("_")
    ]


def routes() -> dict[tuple[str, str, int] | tuple[str, str, int, str], tuple[Any, str]]:
    """The routes of every module (a route defined twice is a bug, refused here)."""
    found: dict[tuple[str, str, int] | tuple[str, str, int, str], tuple[Any, str]] = {}
    for module in modules():
        for key, value in getattr(module, "ROUTES", {}).items():
            if key in found:
                raise RuntimeError(f"route {key} is defined twice (in {module.__name__})")
            found[key] = value
    return found


def seeders() -> list[Any]:
    """The ``SEED(store, org)`` functions of the modules that keep records of their own for a
    new organisation; the store calls each inside the write that creates the organisation."""
    return [module.SEED for module in modules() if getattr(module, "SEED", None)]


def schemas() -> list[str]:
    """The SQL of every module that keeps its own tables."""
    return [module.SCHEMA for module in modules() if getattr(module, "SCHEMA", None)]
