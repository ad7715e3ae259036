"""The generator: golden output, drift detection, determinism, headers, manifest checks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from xero_codegen.cli import main
from xero_codegen.ir import ManifestError
from xero_codegen.pipeline import build, diff, existing_files, write
from xero_codegen.render import HEADER

from .conftest import ROOT


@pytest.fixture(scope="module")
def fresh_build() -> dict[str, bytes]:
    return build(ROOT).files


def _copy_repo(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    shutil.copytree(
        ROOT / "generated", tmp_path / "generated", ignore=shutil.ignore_patterns("__pycache__")
    )
    (tmp_path / "codegen").mkdir()
    return tmp_path


def test_committed_output_matches_a_fresh_build(
    fresh_build: dict[str, bytes], tmp_path: Path
) -> None:
    write_target = tmp_path / "out"
    from xero_codegen.pipeline import Build

    write(Build(files=fresh_build, apis=[]), write_target)
    drift = diff(existing_files(write_target), existing_files(ROOT / "generated"))
    assert drift.clean, drift


def test_generation_is_deterministic(fresh_build: dict[str, bytes]) -> None:
    assert build(ROOT).files == fresh_build


def test_no_absolute_paths_or_timestamps(fresh_build: dict[str, bytes]) -> None:
    for name, data in fresh_build.items():
        text = data.decode("utf-8")
        assert str(ROOT) not in text, name
        assert "/tmp/" not in text, name
        assert "Generated on" not in text and "xsdata v" not in text, name


def test_every_generated_file_starts_with_the_header(fresh_build: dict[str, bytes]) -> None:
    for name, data in fresh_build.items():
        assert data.decode().startswith(HEADER), name
        assert "DO NOT EDIT" in HEADER


def test_no_hand_written_module_carries_the_header() -> None:
    for folder in ("codegen", "tests", "sandbox", "examples", "bench"):
        for path in (ROOT / folder).rglob("*.py") if (ROOT / folder).exists() else []:
            assert not path.read_text(encoding="utf-8").startswith(HEADER), path


def test_runtime_is_copied_verbatim(fresh_build: dict[str, bytes]) -> None:
    for source in sorted((ROOT / "codegen/xero_codegen/runtime").glob("*.py")):
        copied = fresh_build[f"xero_customer_api/_runtime/{source.name}"].decode()
        assert copied == HEADER + "\n" + source.read_text(encoding="utf-8")


def test_check_passes_on_the_repository() -> None:
    result = CliRunner().invoke(main, ["check", "--root", str(ROOT)])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output


def test_check_fails_when_a_generated_file_is_edited(tmp_path: Path) -> None:
    root = _copy_repo(tmp_path)
    target = root / "generated/xero_customer_api/v1_0/_client.py"
    target.write_text(target.read_text() + "\n# hand edit\n")
    (root / "generated/xero_customer_api/v1_0/stray.py").write_text("x = 1\n")
    (root / "generated/xero_customer_api/py.typed").unlink()
    result = CliRunner().invoke(main, ["check", "--root", str(root)])
    assert result.exit_code == 1
    assert "differs: generated/xero_customer_api/v1_0/_client.py" in result.output
    assert "extra:   generated/xero_customer_api/v1_0/stray.py" in result.output
    assert "missing: generated/xero_customer_api/py.typed" in result.output


def test_check_fails_when_a_schema_changes(tmp_path: Path) -> None:
    root = _copy_repo(tmp_path)
    types = root / "schemas/v1.0/types.xsd"
    types.write_text(types.read_text().replace("Name of the account.", "The account's name."))
    result = CliRunner().invoke(main, ["check", "--root", str(root)])
    assert result.exit_code == 1
    assert "differs: generated/xero_customer_api/v1_0/models/types.py" in result.output


def test_generate_then_check_round_trips(tmp_path: Path) -> None:
    root = _copy_repo(tmp_path)
    shutil.rmtree(root / "generated")
    assert CliRunner().invoke(main, ["generate", "--root", str(root)]).exit_code == 0
    assert CliRunner().invoke(main, ["check", "--root", str(root)]).exit_code == 0


def test_manifest_problems_are_all_reported(tmp_path: Path) -> None:
    root = _copy_repo(tmp_path)
    manifest = root / "schemas/v1.0/manifest.toml"
    text = manifest.read_text().replace('path = "contacts"', 'path = "Contacts"', 1)
    text = text.replace('type = "guid"', 'type = "uuid"', 1)
    manifest.write_text(text)
    with pytest.raises(ManifestError) as info:
        build(root)
    assert len(info.value.problems) == 2
