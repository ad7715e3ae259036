"""The public surface: names the contract promises, an honest __all__, typed package."""

from __future__ import annotations

import inspect
from pathlib import Path

import xero_customer_api
from xero_codegen.render import all_order
from xero_customer_api import v1_0
from xero_customer_api.v1_0 import models


def test_contract_names_are_exported() -> None:
    for name in (
        "XeroClient",
        "AsyncXeroClient",
        "XeroError",
        "XeroAPIError",
        "NotFoundError",
        "InvalidCustomerKeyError",
        "InvalidPartnerKeyError",
        "XeroResponseError",
        "RateLimitError",
        "ServerError",
        "XeroConnectionError",
        "XeroTimeoutError",
        "RequestValidationError",
    ):
        assert name in xero_customer_api.__all__
        assert getattr(xero_customer_api, name) is not None


def test_all_is_sorted_and_complete() -> None:
    for module in (xero_customer_api, v1_0, models):
        assert list(module.__all__) == all_order(list(module.__all__)), module.__name__
        public = {
            n
            for n in vars(module)
            if not n.startswith("_") and not inspect.ismodule(getattr(module, n))
        }
        public -= {"annotations"}
        if module is v1_0:
            public |= {"models"}
        assert public <= set(module.__all__), module.__name__
        for name in module.__all__:
            assert hasattr(module, name), (module.__name__, name)


def test_every_generated_all_is_sorted_and_resolvable() -> None:
    import importlib
    import pkgutil

    for info in pkgutil.walk_packages(xero_customer_api.__path__, "xero_customer_api."):
        if info.name.endswith(".cli") or "._cli" in info.name:
            continue  # importing the CLI needs nothing special, but keep this test about the SDK
        module = importlib.import_module(info.name)
        names = getattr(module, "__all__", None)
        if names is None:
            continue
        assert list(names) == all_order(list(names)), info.name
        for name in names:
            assert hasattr(module, name), (info.name, name)


def test_error_hierarchy() -> None:
    e = xero_customer_api
    assert issubclass(e.NotFoundError, e.XeroAPIError)
    assert issubclass(e.InvalidCustomerKeyError, e.XeroAPIError)
    assert issubclass(e.XeroAPIError, e.XeroError)
    assert issubclass(e.InvalidPartnerKeyError, e.XeroError)
    assert issubclass(e.XeroResponseError, e.XeroError)
    assert issubclass(e.XeroTimeoutError, e.XeroConnectionError)
    assert issubclass(e.RequestValidationError, ValueError)


def test_package_is_typed() -> None:
    assert (Path(xero_customer_api.__file__).parent / "py.typed").is_file()


def _clients() -> list[object]:
    from xero_customer_api import v2_0

    return [
        v1_0.XeroClient(api_key="K" * 30, customer_key="C" * 30),
        v2_0.XeroClient(access_token="T" * 30, tenant_id="b1f7a1c2-3d4e-4f50-8a6b-7c8d9e0f1a2b"),
    ]


def test_top_level_clients_are_the_latest_version() -> None:
    from xero_customer_api import v2_0

    assert xero_customer_api.XeroClient is v2_0.XeroClient
    assert xero_customer_api.AsyncXeroClient is v2_0.AsyncXeroClient


def test_methods_are_keyword_only_and_documented() -> None:
    for client in _clients():
        resources = [
            value
            for name, value in inspect.getmembers(client)
            if not name.startswith("_") and hasattr(value, "with_raw_response")
        ]
        assert len(resources) >= 4
        for resource in resources:
            for name, method in inspect.getmembers(resource, inspect.ismethod):
                if name.startswith("_"):
                    continue
                params = list(inspect.signature(method).parameters.values())
                positional = [p for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
                assert len(positional) <= 1, (name, positional)  # only the request body
                doc = method.__doc__ or ""
                assert "Args:" in doc and "Returns:" in doc and "Raises:" in doc, name
        client.close()  # type: ignore[attr-defined]
