"""`xero-codegen diff` / `release-check` end to end: formats, exit codes, git sides, the guard."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from xero_codegen.cli import main
from xero_codegen.diff import diff_sources
from xero_codegen.diff.report import SCHEMA_PATH, render_markdown, render_text

from .conftest import ROOT, TINY, edited_copy

BREAKING = [("types.xsd", '<xs:enumeration value="PAID"/>', "")]  # a value requests may carry
SAFE = [("manifest.toml", 'doc = "The summary."', 'doc = "The summary of all items."')]


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_formats_and_fail_on(tmp_path: Path) -> None:
    new = edited_copy(tmp_path / "new", BREAKING + SAFE)
    code, text = _run("diff", str(TINY), str(new))
    assert code == 0
    assert "enum-value-removed" in text and "[wire,python]" in text
    assert "suggested version bump: minor" in text  # this repository is before 1.0
    assert _run("diff", str(TINY), str(new), "--fail-on", "breaking")[0] == 1
    assert _run("diff", str(TINY), str(new), "--fail-on", "dangerous")[0] == 1
    safe = edited_copy(tmp_path / "safe", SAFE)
    assert _run("diff", str(TINY), str(safe), "--fail-on", "dangerous")[0] == 0
    code, md = _run("diff", str(TINY), str(new), "--format", "markdown")
    assert code == 0 and "### Breaking (1)" in md and "| `enum-value-removed` |" in md
    code, out = _run("diff", str(TINY), str(new), "--format", "json")
    data = json.loads(out)
    assert data["summary"]["breaking"] == 1 and data["summary"]["worst"] == "breaking"
    assert [c["id"] for c in data["changes"]] == ["enum-value-removed", "endpoint-doc-changed"]


def test_json_matches_committed_schema(tmp_path: Path) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    new = edited_copy(tmp_path / "new", BREAKING + SAFE)
    for old_side, new_side in ((TINY, new), (TINY, TINY)):
        code, out = _run("diff", str(old_side), str(new_side), "--format", "json")
        assert code == 0
        jsonschema.validate(json.loads(out), schema)
    broken = json.loads(_run("diff", str(TINY), str(new), "--format", "json")[1])
    broken["changes"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_unreadable_side_exits_2(tmp_path: Path) -> None:
    code, out = _run("diff", str(tmp_path), str(TINY))
    assert code == 2 and "no manifest.toml" in out
    code, out = _run("diff", "git:no-such-rev:schemas/v1.0", str(TINY), "--root", str(ROOT))
    assert code == 2 and "does not resolve" in out


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return result.stdout


def _repo(tmp_path: Path, version: str = "0.1.0") -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(TINY, repo / "schemas" / "tiny")
    (repo / "pyproject.toml").write_text(f'[project]\nname = "x"\nversion = "{version}"\n')
    (repo / "CHANGELOG.md").write_text(f"# Changelog\n\n## [{version}]\n\n- first\n")
    _git(repo.parent, "init", "-q", "-b", "main", str(repo))
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "init")
    return repo


def _break(repo: Path) -> None:
    types = repo / "schemas" / "tiny" / "types.xsd"
    types.write_text(types.read_text().replace('<xs:enumeration value="PAID"/>', ""))


def test_git_side(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _break(repo)
    report = diff_sources("git:main:schemas/tiny", str(repo / "schemas" / "tiny"), repo)
    assert [c.id for c in report.changes] == ["enum-value-removed"]
    assert "git:main:schemas/tiny" in render_text(report)
    assert "git:main:schemas/tiny" in render_markdown(report)


def test_guard_fails_on_breaking_change_without_bump(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    code, out = _run("release-check", "--root", str(repo))
    assert code == 0 and "release guard ok (against main)" in out
    _break(repo)
    code, out = _run("release-check", "--root", str(repo))
    assert code == 1
    assert "enum-value-removed" in out and "is not a minor bump of 0.1.0" in out
    assert "CHANGELOG.md has no '## [0.1.0]'" not in out  # the heading exists; the bump is missing
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("0.1.0", "0.1.1"))
    code, out = _run("release-check", "--root", str(repo))
    assert code == 1 and "is not a minor bump" in out  # a patch bump is not enough
    pyproject.write_text(pyproject.read_text().replace("0.1.1", "0.2.0"))
    code, out = _run("release-check", "--root", str(repo))
    assert code == 1 and "CHANGELOG.md has no '## [0.2.0]' section" in out
    changelog = repo / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text().replace("## [0.1.0]", "## [0.2.0]\n\n- removed PAID\n\n## [0.1.0]")
    )
    code, out = _run("release-check", "--root", str(repo))
    assert code == 0, out


def test_guard_prefers_the_last_release_tag(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "1.0.0")
    _git(repo, "tag", "v1.0.0")
    _break(repo)
    code, out = _run("release-check", "--root", str(repo))
    assert code == 1 and "is not a major bump of 1.0.0 (v1.0.0)" in out


def test_guard_skips_without_tag_or_main(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _git(repo, "branch", "-m", "main", "work")
    _break(repo)
    code, out = _run("release-check", "--root", str(repo))
    assert code == 0 and "skipped" in out


def test_removing_a_written_element_is_breaking_in_every_format(tmp_path: Path) -> None:
    """Issue 21, item 7: EmailAddress removed from the Contact write type (the SDK would stop
    sending every contact's email) reported no change at all."""
    v2 = ROOT / "schemas" / "v2.0"
    write_types = v2 / "requests" / "write_types.xsd"
    text = write_types.read_text(encoding="utf-8")
    start = text.index('<xs:complexType name="Contact">')
    begin = text.index('      <xs:element name="EmailAddress"', start)
    end = text.index("</xs:element>\n", begin) + len("</xs:element>\n")
    new = edited_copy(
        tmp_path / "v2.0", [("requests/write_types.xsd", text[begin:end], "")], source=v2
    )
    code, out = _run("diff", str(v2), str(new), "--fail-on", "breaking")
    assert code == 1
    assert "1 changes: 1 breaking, 0 dangerous, 0 safe" in out
    assert "breaking  write-element-removed" in out and "field Contact.EmailAddress" in out
    assert "client.contacts.create(contact=...)" in out or "(+" in out
    code, md = _run("diff", str(v2), str(new), "--format", "markdown")
    assert code == 0 and "### Breaking (1)" in md
    assert "| `write-element-removed` | field Contact.EmailAddress |" in md
    code, out = _run("diff", str(v2), str(new), "--format", "json")
    data = json.loads(out)
    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    assert data["summary"]["worst"] == "breaking"
    (change,) = data["changes"]
    assert (change["id"], change["level"], change["layers"]) == (
        "write-element-removed",
        "breaking",
        ["wire"],
    )
    assert change["subject"] == "field Contact.EmailAddress"
    assert "v2_0.models.Contact.email_address" in change["symbols"]
    assert "client.contacts.create(contact=...)" in change["symbols"]


def test_guard_sees_write_shapes(tmp_path: Path) -> None:
    """A written element removed needs a bump; the order of an xs:all type's elements does not."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "schemas" / "v2.0", repo / "schemas" / "v2.0")
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "0.1.0"\n')
    (repo / "CHANGELOG.md").write_text("# Changelog\n\n## [0.1.0]\n\n- first\n")
    _git(repo.parent, "init", "-q", "-b", "main", str(repo))
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "init")
    write_types = repo / "schemas" / "v2.0" / "requests" / "write_types.xsd"
    text = write_types.read_text(encoding="utf-8")
    start = text.index('<xs:complexType name="Contact">')
    first = text.index('      <xs:element name="ContactNumber"', start)
    second = text.index('      <xs:element name="AccountNumber"', start)
    third = text.index('      <xs:element name="ContactStatus"', start)
    swapped = text[:first] + text[second:third] + text[first:second] + text[third:]
    write_types.write_text(swapped, encoding="utf-8")
    code, out = _run("release-check", "--root", str(repo))
    assert code == 0, out
    assert "schemas/v2.0: 1 changes since main, 0 breaking" in out
    begin = swapped.index('      <xs:element name="EmailAddress"', start)
    end = swapped.index("</xs:element>\n", begin) + len("</xs:element>\n")
    write_types.write_text(swapped[:begin] + swapped[end:], encoding="utf-8")
    code, out = _run("release-check", "--root", str(repo))
    assert code == 1
    assert "breaking in schemas/v2.0: write-element-removed field Contact.EmailAddress" in out
