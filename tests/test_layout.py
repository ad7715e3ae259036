"""The generated layout carries many resources: one module per resource (endpoints, commands),
one codec module per models module, and nothing of a resource loaded before it is used.

Import checks run in fresh interpreters (``sys.modules`` of a new process), so that what other
tests imported does not count.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import xero_customer_api
from xero_codegen.frontend import load_api
from xero_codegen.manifest import load_manifest
from xero_codegen.xsdata_driver import render_models

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(xero_customer_api.__file__).parent
VERSIONS = ("v1_0", "v2_0")
# Modules that belong to one resource (or load every resource's models or codec).
PER_RESOURCE = ("._resources.", "._commands.", "._codecs", "._codec", "._checks", ".models")


def _fresh(code: str) -> object:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


LOADED = f"""
import json, sys
def loaded():
    return sorted(
        m for m in sys.modules
        if m.startswith("xero_customer_api.v")
        and any(part in m + "." for part in {PER_RESOURCE!r})
    )
"""


def _resources(version: str) -> list[str]:
    return sorted(
        p.stem for p in (PACKAGE / version / "_resources").glob("*.py") if p.stem[0] != "_"
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_each_resource_has_its_own_modules(version: str) -> None:
    names = _resources(version)
    assert "contacts" in names and "invoices" in names
    for name in names:
        assert (PACKAGE / version / "_commands" / f"{name}.py").is_file()
    assert not (PACKAGE / version / "_resources.py").exists()
    codecs = PACKAGE / version / "_codecs"
    # 2.0 has a module per type (api.model_modules = "per-type"), 1.0 one for all
    assert (codecs / "types.py").is_file() or (codecs / "types" / "invoice.py").is_file()
    # every response schema has its codec module beside the others
    schema_dir = ROOT / "schemas" / f"v{version[1:].replace('_', '.')}"
    for xsd in (schema_dir / "responses").glob("*.xsd"):
        assert (PACKAGE / version / "_codecs" / "responses" / f"{xsd.stem}.py").is_file(), xsd


def test_importing_the_package_and_making_clients_loads_no_resource() -> None:
    out = _fresh(
        LOADED
        + """
import xero_customer_api
after_import = loaded()
from xero_customer_api import XeroClient, AsyncXeroClient
from xero_customer_api.v1_0 import XeroClient as XeroClient1
client = XeroClient(access_token="test-access-token", tenant_id="4c76ffb5-02e7-47c5-9a86-b0a5a35d1682", limiter=None)
aclient = AsyncXeroClient(access_token="test-access-token", tenant_id="4c76ffb5-02e7-47c5-9a86-b0a5a35d1682", limiter=None)
client1 = XeroClient1(api_key="K" * 30, customer_key="C" * 30)
after_clients = loaded()
with_options = client.with_options(tenant_id="5d87aac6-13f8-48d6-8b97-c1b6b46e2793")
print(json.dumps([after_import, after_clients, loaded()]))
"""
    )
    assert out == [[], [], []]


def test_a_resource_loads_its_own_modules_on_first_use() -> None:
    out = _fresh(
        LOADED
        + """
from xero_customer_api import XeroClient, AsyncXeroClient
client = XeroClient(access_token="test-access-token", tenant_id="4c76ffb5-02e7-47c5-9a86-b0a5a35d1682", limiter=None)
first = client.contacts
again = client.contacts
contacts = loaded()
aclient = AsyncXeroClient(access_token="test-access-token", tenant_id="4c76ffb5-02e7-47c5-9a86-b0a5a35d1682", limiter=None)
aclient.accounts
print(json.dumps([first is again, type(first).__name__, contacts, loaded()]))
"""
    )
    assert isinstance(out, list)
    same, class_name, contacts, after_async = out
    assert same is True and class_name == "ContactsResource"
    resources = [m for m in contacts if "._resources." in m]
    assert resources == ["xero_customer_api.v2_0._resources.contacts"]
    assert "xero_customer_api.v2_0._codecs.responses.contacts_response" in contacts
    # another resource's endpoints and codec, the aggregate codec and the CLI stay unloaded
    assert not [m for m in contacts if "invoices" in m and "models" not in m]
    assert not [m for m in contacts if m.endswith("._codec") or "._commands" in m]
    assert "xero_customer_api.v2_0._resources.accounts" in after_async


def test_cli_help_lists_every_resource_without_loading_their_commands() -> None:
    out = _fresh(
        LOADED
        + """
from click.testing import CliRunner
from xero_customer_api.cli import main
top = CliRunner().invoke(main, ["--help"], env={"XERO_API_VERSION": "2.0"})
after_help = loaded()
group = CliRunner().invoke(main, ["contacts", "--help"], env={"XERO_API_VERSION": "2.0"})
print(json.dumps([top.exit_code, top.output, after_help, group.exit_code, group.output, loaded()]))
"""
    )
    assert isinstance(out, list)
    code, text, after_help, group_code, group_text, after_group = out
    assert code == 0 and group_code == 0
    for name in _resources("v2_0"):
        assert re.search(rf"\n  {name.replace('_', '-')}\s", text), name
    assert not [m for m in after_help if "._commands." in m or "._resources." in m]
    commands = [m for m in after_group if "._commands." in m]
    assert commands == ["xero_customer_api.v2_0._commands.contacts"]
    for command in ("list", "get", "create", "save"):
        assert re.search(rf"\n  {command}\s", group_text), command


def test_the_resources_package_still_names_every_class() -> None:
    from xero_customer_api.v2_0 import _resources
    from xero_customer_api.v2_0._resources.invoices import AsyncInvoicesResource

    assert _resources.AsyncInvoicesResource is AsyncInvoicesResource
    assert "InvoicesResourceWithRawResponse" in dir(_resources)
    with pytest.raises(AttributeError):
        _resources.InvoiceResource  # type: ignore[attr-defined]  # noqa: B018


@pytest.mark.parametrize("version", VERSIONS)
def test_the_codec_gathers_every_module(version: str) -> None:
    import importlib

    codec = importlib.import_module(f"xero_customer_api.{version}._codec")
    models = importlib.import_module(f"xero_customer_api.{version}.models")
    classes = {v for v in vars(models).values() if isinstance(v, type) and hasattr(v, "__slots__")}
    dataclasses_ = {c for c in classes if "__dataclass_fields__" in vars(c)}
    assert set(codec.DECODERS) == set(codec.ENCODERS) == set(codec.WRITERS) == dataclasses_
    for name in codec.__all__:
        assert callable(getattr(codec, name)) or name.isupper()


def test_one_model_serves_every_renderer() -> None:
    schema_dir = ROOT / "schemas" / "v2.0"
    manifest = load_manifest(schema_dir)
    api = manifest["api"]
    classes = render_models(
        schema_dir,
        "xero_customer_api.v2_0.models",
        {
            Path(e["response"]["schema"]).name
            for e in manifest["endpoints"]
            if "schema" in e.get("response", {})
        },
        write_schemas=api.get("write_schemas"),
        attribute_names=api.get("attribute_names"),
        per_type=api.get("model_modules") == "per-type",
    ).classes
    ir = load_api(schema_dir, classes, manifest)
    invoice = ir.model("Invoice")
    assert invoice.module == "types.invoice"  # api.model_modules = "per-type"
    assert ir.model("InvoicesResponse").module == "responses.invoices_response"
    line_items = next(f for f in invoice.fields if f.attr == "line_items")
    # one field, seen by the codec (tag, wrapper) and by the checks (path, value check)
    assert (line_items.tag, line_items.wrapper, line_items.path) == (
        "LineItem",
        "LineItems",
        "LineItems/LineItem",
    )
    assert line_items.check.kind == "model" and line_items.check.ref == "LineItem"
    assert invoice.write_fields is not None  # the write shape of requests/write_types.xsd
    assert {r.element for r in ir.requests} >= {"Invoice", "Invoices", "Contact", "Contacts"}
    assert {r.source for r in ir.resources} >= {"schemas/v2.0/resources/invoices.toml"}


def test_the_client_attributes_are_precisely_typed(tmp_path: Path) -> None:
    """mypy sees ``client.<resource>`` as its resource class, though it loads lazily."""
    script = tmp_path / "layout_types.py"
    script.write_text(
        textwrap.dedent(
            """
            from typing import assert_type

            from xero_customer_api import AsyncXeroClient, XeroClient
            from xero_customer_api.v2_0 import models
            from xero_customer_api.v2_0._resources.contacts import (
                AsyncContactsResource,
                ContactsResource,
            )


            def use(client: XeroClient, aclient: AsyncXeroClient) -> None:
                assert_type(client.contacts, ContactsResource)
                assert_type(aclient.contacts, AsyncContactsResource)
                assert_type(client.contacts.list(), list[models.Contact])
            """
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", str(script)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


# A resource made up for the test (so that no real resource added later can clash with it),
# added the way docs/maintaining.md says: its types, its request and response XSDs, its
# resources/<resource>.toml, and generation.
GADGET_TYPE = """
  <xs:complexType name="Gadget">
    <xs:annotation><xs:documentation>A made-up record of the layout test.</xs:documentation></xs:annotation>
    <xs:all>
      <xs:element name="GadgetID" type="guid" minOccurs="0">
        <xs:annotation><xs:documentation>Xero's identifier of the gadget.</xs:documentation></xs:annotation>
      </xs:element>
      <xs:element name="Name" type="xs:string" minOccurs="0">
        <xs:annotation><xs:documentation>The gadget's name.</xs:documentation></xs:annotation>
      </xs:element>
    </xs:all>
  </xs:complexType>
"""
GADGET_WRITE = """
  <xs:complexType name="Gadget">
    <xs:sequence>
      <xs:element name="Name" type="xs:string" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
"""
GADGET_REQUEST = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
  <xs:include schemaLocation="write_types.xsd"/>
  <xs:element name="Gadget" type="Gadget">
    <xs:annotation><xs:documentation>One gadget to create.</xs:documentation></xs:annotation>
  </xs:element>
</xs:schema>
"""
GADGET_RESPONSE = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
  <xs:include schemaLocation="../types.xsd"/>
  <xs:complexType name="GadgetsResponse">
    <xs:annotation><xs:documentation>The answer to every Gadgets call.</xs:documentation></xs:annotation>
    <xs:all>
      <xs:element name="Id" type="xs:string" minOccurs="0">
        <xs:annotation><xs:documentation>Identifier of this response.</xs:documentation></xs:annotation>
      </xs:element>
      <xs:element name="Gadgets" minOccurs="0">
        <xs:annotation><xs:documentation>The gadgets read or written.</xs:documentation></xs:annotation>
        <xs:complexType><xs:sequence>
          <xs:element name="Gadget" type="Gadget" minOccurs="0" maxOccurs="unbounded"/>
        </xs:sequence></xs:complexType>
      </xs:element>
    </xs:all>
  </xs:complexType>
  <xs:element name="Response" type="GadgetsResponse"/>
</xs:schema>
"""
GADGET_TOML = """doc = "Made-up gadgets of the layout test."

[[endpoints]]
name = "list"
method = "GET"
path = "Gadgets"
response = { schema = "responses/gadgets_response.xsd", type = "GadgetsResponse", payload = "gadgets" }
doc = "List the gadgets."

[[endpoints]]
name = "create"
method = "PUT"
path = "Gadgets"
request = { schema = "requests/gadgets_request.xsd", element = "Gadget", param = "gadget" }
response = { schema = "responses/gadgets_response.xsd", type = "GadgetsResponse", payload = "gadgets" }
returns = "one"
doc = "Create one gadget."
"""


def _insert_before_last_marker(path: Path, text: str) -> None:
    source = path.read_text(encoding="utf-8")
    marker = source.rindex("  <!-- (end of family")
    path.write_text(source[:marker] + text + source[marker:], encoding="utf-8")


def test_a_new_resource_is_its_xsds_its_toml_and_a_generate(tmp_path: Path) -> None:
    from xero_codegen.pipeline import build

    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    v2 = tmp_path / "schemas" / "v2.0"
    _insert_before_last_marker(v2 / "types.xsd", GADGET_TYPE)
    _insert_before_last_marker(v2 / "requests" / "write_types.xsd", GADGET_WRITE)
    (v2 / "requests" / "gadgets_request.xsd").write_text(GADGET_REQUEST, encoding="utf-8")
    (v2 / "responses" / "gadgets_response.xsd").write_text(GADGET_RESPONSE, encoding="utf-8")
    (v2 / "resources" / "gadgets.toml").write_text(GADGET_TOML, encoding="utf-8")

    files = build(tmp_path).files
    before = build(ROOT).files
    package = "xero_customer_api/v2_0"
    new = sorted(set(files) - set(before))
    assert new == [
        f"{package}/_codecs/requests/gadgets_request.py",
        f"{package}/_codecs/responses/gadgets_response.py",
        f"{package}/_codecs/types/gadget.py",  # a module per type (model_modules = "per-type")
        f"{package}/_commands/gadgets.py",
        f"{package}/_resources/gadgets.py",
        f"{package}/models/responses/gadgets_response.py",
        f"{package}/models/types/gadget.py",
    ]
    resource = files[f"{package}/_resources/gadgets.py"].decode()
    assert "class GadgetsResource:" in resource and "class AsyncGadgetsResource:" in resource
    assert "def create(" in resource and "encode_request_gadget" in resource
    client = files[f"{package}/_client.py"].decode()
    assert "def gadgets(self) -> GadgetsResource:" in client
    assert "from ._resources.gadgets import GadgetsResource" in client
    cli = files[f"{package}/_cli.py"].decode()
    assert '"._commands.gadgets"' in cli
    # the other resources' modules are untouched by the addition (the lists in the package
    # files name it)
    for path in before:
        if ("/_resources/" in path or "/_commands/" in path) and "__init__" not in path:
            assert files[path] == before[path], path
