"""The generator stays "a folder, never a fork": 2.0 is driven by its manifest and XSDs, and
the manifest checks cover the keys 2.0 added."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest
from xero_codegen.ir import ManifestError
from xero_codegen.pipeline import build

from .conftest import ROOT

CODEGEN = ROOT / "codegen" / "xero_codegen"


def _generator_sources() -> list[Path]:
    return sorted(
        p for p in [*CODEGEN.glob("*.py"), *(CODEGEN / "templates").rglob("*.jinja")] if p.is_file()
    )


@pytest.mark.parametrize("path", _generator_sources(), ids=lambda p: p.name)
def test_generator_never_branches_on_a_version(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"""["'](1\.0|2\.0|v1_0|v2_0)["']""", text), path
    assert not re.search(r"""version\s*(==|!=)\s*["']""", text), path


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    (tmp_path / "codegen").mkdir()
    return tmp_path


def _break(root: Path, *replacements: tuple[str, str]) -> list[str]:
    folder = root / "schemas/v2.0"
    files = [folder / "manifest.toml", *sorted((folder / "resources").glob("*.toml"))]
    for old, new in replacements:
        manifest = next(f for f in files if old in f.read_text(encoding="utf-8"))
        text = manifest.read_text(encoding="utf-8").replace(old, new, 1)
        manifest.write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError) as info:
        build(root)
    return info.value.problems


def test_path_slots_must_match_path_parameters(tmp_path: Path) -> None:
    problems = _break(
        _copy(tmp_path), ('path = "Accounts/{AccountID}"', 'path = "Accounts/{AccountId}"')
    )
    assert len(problems) == 1 and "path slots" in problems[0]
    assert problems[0].startswith("schemas/v2.0/resources/accounts.toml: endpoints[")


def test_new_parameter_types_and_returns_are_checked(tmp_path: Path) -> None:
    problems = _break(
        _copy(tmp_path),
        ('type = "guid_list"', 'type = "uuid_list"'),
        ('returns = "batch"', 'returns = "many"'),
        ("default_size = 100", "default_size = 0"),
    )
    assert len(problems) == 3, problems
    assert any("uuid_list" in p for p in problems)
    assert any("returns" in p for p in problems)
    assert any("paging" in p for p in problems)


def test_second_wave_keys_are_checked(tmp_path: Path) -> None:
    """returns = "none", sub_resource, offset paging, min, int path parameters and body
    arguments each refuse what they cannot generate, naming the file."""
    problems = _break(
        _copy(tmp_path),
        # a 204 endpoint with a response
        (
            'path = "Items/{ItemID}"\nreturns = "none"',
            'path = "Items/{ItemID}"\nreturns = "none"\nresponse = { schema = "responses/'
            'items_response.xsd", type = "ItemsResponse", payload = "items" }',
        ),
        # a nested resource without its [sub_resources.<name>] doc
        ("[sub_resources.contacts]\ndoc = ", "[sub_resources.members]\ndoc = "),
        # offset paging whose next field is not a whole number of the item
        ('next = "journal_number"', 'next = "journal_id"'),
        # min on a text parameter
        ('wire = "where"\ntype = "string"', 'wire = "where"\ntype = "string"\nmin = 0'),
        # a body argument that is not a text field of the body
        ('arguments = ["name", "tax_type"]', 'arguments = ["name", "tax_components"]'),
    )
    joined = "\n".join(problems)
    assert 'returns = "none" (204 No Content) takes no response' in joined
    assert "schemas/v2.0/resources/contact_groups.toml: [sub_resources.contacts] needs a doc" in (
        joined
    )
    assert "[sub_resources.members] has no endpoint" in joined
    assert "offset paging needs next = a whole-number field of Journal" in joined
    assert "min is for int parameters" in joined
    assert "argument 'tax_components' is not a text field of TaxRate" in joined


def test_a_request_element_must_exist_in_its_write_schema(tmp_path: Path) -> None:
    problems = _break(_copy(tmp_path), ('element = "Contacts"', 'element = "People"'))
    # The first resource file naming the element is broken: contacts.create_many, or another
    # resource that sends <Contacts> too. The problem names that file and the endpoint's index
    # in it.
    assert len(problems) == 1, problems
    found = re.fullmatch(
        r"schemas/v2\.0/resources/(\w+)\.toml: endpoints\[(\d+)\] \((\w+)\.(\w+)\):"
        r" requests/contacts_request\.xsd has no root <People>",
        problems[0],
    )
    assert found, problems
    file, index, resource, name = found.groups()
    assert file == resource
    endpoints = tomllib.loads((ROOT / f"schemas/v2.0/resources/{file}.toml").read_text())
    assert endpoints["endpoints"][int(index)]["name"] == name


def test_a_problem_names_the_resource_file_and_its_index_there(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    gadgets = root / "schemas/v2.0/resources/gadgets.toml"
    gadgets.write_text(
        'doc = "Gadgets (no such resource: its response XSD is missing)."\n\n'
        "[[endpoints]]\n"
        'name = "list"\nmethod = "GET"\npath = "Gadgets"\ndoc = "All gadgets."\n'
        'response = { schema = "responses/gadgets_response.xsd", type = "GadgetsResponse",'
        ' payload = "gadgets" }\n',
        encoding="utf-8",
    )
    with pytest.raises(ManifestError) as info:
        build(root)
    assert info.value.problems == [
        "schemas/v2.0/resources/gadgets.toml: endpoints[0] (gadgets.list): response schema/type"
        " responses/gadgets_response.xsd/GadgetsResponse not found"
    ]


def test_1_0_output_has_no_2_0_features() -> None:
    package = ROOT / "generated/xero_customer_api/v1_0"
    resources = "".join(p.read_text() for p in sorted((package / "_resources").glob("*.py")))
    assert "class ContactsResource" in resources
    for needle in ("tenant_id", "idempotency_key", "encode_path_segment", "iter_pages", "headers="):
        assert needle not in resources, needle
    codec = "".join(p.read_text() for p in sorted((package / "_codecs").rglob("*.py")))
    assert "def decode_contact(" in codec
    assert "_XSI_" not in codec and "_request(" not in codec


CYCLIC_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
  <xs:complexType name="Row">
    <xs:all>
      <xs:element name="Title" type="xs:string" minOccurs="0"/>
      <xs:element name="Section" type="Section" minOccurs="0"/>
      <xs:element name="Cell" type="Cell" minOccurs="0"/>
    </xs:all>
  </xs:complexType>
  <xs:complexType name="Section">
    <xs:all>
      <xs:element name="Heading" type="xs:string" minOccurs="0"/>
      <xs:element name="FirstRow" type="Row" minOccurs="0"/>
    </xs:all>
  </xs:complexType>
  <xs:complexType name="Cell">
    <xs:all><xs:element name="Value" type="xs:string" minOccurs="0"/></xs:all>
  </xs:complexType>
</xs:schema>
"""


def test_per_type_modules_keep_a_cycle_together(tmp_path: Path) -> None:
    """api.model_modules = "per-type": a module per type of types.xsd, except that types
    referring to each other in a cycle share one (the modules then import without a cycle)."""
    import subprocess
    import sys

    from xero_codegen.xsdata_driver import render_models

    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "types.xsd").write_text(CYCLIC_TYPES, encoding="utf-8")
    sources = render_models(schemas, "pkg.models", set(), per_type=True).sources
    modules = {p: s for p, s in sources.items() if p.startswith("pkg/models/types/")}
    assert sorted(modules) == [
        "pkg/models/types/__init__.py",
        "pkg/models/types/cell.py",
        "pkg/models/types/row.py",  # Row and Section refer to each other: one module
    ]
    assert "class Row" in modules["pkg/models/types/row.py"]
    assert "class Section" in modules["pkg/models/types/row.py"]
    for path, text in sources.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from pkg.models.types.row import Row, Section; print(Row.__name__)",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.stdout.strip() == "Row", done.stderr
