"""Loading the Retire.js repository: the bundled snapshot, a newer file, bad files; range matching."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest

from connectsec.components.retire import SKIPPED_ENTRIES, bundled_repository, load_repository

BUNDLED_SHA256 = "79b3fc3efb2c880bcf9a5745d08db7067fd4b65c74de470e0f433ece823915d7"


def test_bundled_file_is_the_documented_snapshot_with_its_licence() -> None:
    folder = resources.files("connectsec.data.retirejs")
    data = folder.joinpath("jsrepository-v5.json").read_bytes()
    assert hashlib.sha256(data).hexdigest() == BUNDLED_SHA256
    assert "Apache License" in folder.joinpath("LICENSE.md").read_text()
    assert "Erlend Oftedal" in folder.joinpath("NOTICE.md").read_text()
    assert BUNDLED_SHA256 in folder.joinpath("SOURCE.md").read_text()


def test_bundled_repository_contents() -> None:
    repository = load_repository(None, now=datetime(2026, 11, 28, tzinfo=UTC))
    names = {lib.name for lib in repository.libraries}
    assert len(names) == 74
    assert not names & SKIPPED_ENTRIES
    assert {"jquery", "lodash", "angularjs", "DOMPurify"} <= names
    assert sum(len(lib.advisories) for lib in repository.libraries) == 722  # 723 minus retire-example's
    assert repository.runtime_only > 0  # func/ast: not used, and counted for the report
    assert "commit fd8df0d" in repository.source
    assert "2026-08-20, 99 days old" in repository.source
    assert repository.age_days == 99
    assert repository.stale
    assert not load_repository(None, now=datetime(2026, 9, 1, tzinfo=UTC)).stale
    assert "07f8b94c8d601a24a1914a1a92bec0e4fafda964" not in repository.hashes  # retire-example's hash


def test_jquery_1_8_3_advisories() -> None:
    jquery = bundled_repository().library("jquery")
    assert jquery is not None
    hits = jquery.vulnerable("1.8.3")
    cves = {c for a in hits for c in a.cves}
    assert {"CVE-2012-6708", "CVE-2015-9251", "CVE-2019-11358", "CVE-2020-11023"} <= cves
    assert "CVE-2011-4969" not in cves  # below 1.6.3
    assert {a.severity for a in hits} == {"medium", "low"}
    assert jquery.vulnerable("3.7.1") == ()


def test_excludes_leave_the_patched_build_out() -> None:
    jquery = bundled_repository().library("jquery")
    assert jquery is not None
    eol = [a for a in jquery.advisories if "1.12.4-aem" in a.excludes]
    assert eol
    assert not any(a.affects("1.12.4-aem") for a in eol)
    assert all(a.affects("1.12.4") for a in eol)


def _write(path: Path, content: object) -> str:
    path.write_text(json.dumps(content))
    return str(path)


def test_newer_file_from_a_path(tmp_path: Path) -> None:
    file = _write(
        tmp_path / "jsrepository-v5.json",
        {
            "retire-example": {"vulnerabilities": [], "extractors": {}},
            "tiny": {
                "vulnerabilities": [
                    {"below": "2.0.0", "severity": "high", "identifiers": {"CVE": ["CVE-2099-1"]}},
                    {"atOrAbove": "2.0.0", "below": "2.1", "identifiers": {"summary": "no severity"}},
                ],
                "extractors": {"filename": ["tiny-(§§version§§)\\.js"], "hashes": {"AB" * 20: "1.0.0"}},
            },
        },
    )
    repository = load_repository(file)
    assert [lib.name for lib in repository.libraries] == ["tiny"]
    assert repository.hashes == {"ab" * 20: ("tiny", "1.0.0")}
    assert file in repository.source
    assert "days old" in repository.source
    tiny = repository.library("tiny")
    assert tiny is not None
    assert [a.severity for a in tiny.vulnerable("1.5")] == ["high"]
    unknown = tiny.vulnerable("2.0.5")
    assert [(a.severity, a.severity_given) for a in unknown] == [("medium", False)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not JSON"),
        ("[]", "expected a JSON object of libraries"),
        ('{"retire-example": {}}', "no library entries"),
        ('{"x": []}', "library 'x': not an object"),
        ('{"x": {"vulnerabilities": [{"below": 3}]}}', r"vulnerabilities\[0\]\.below must be a version"),
        ('{"x": {"extractors": {"hashes": {"a": 1}}}}', "hashes must map"),
    ],
)
def test_bad_files_are_one_line_errors(tmp_path: Path, content: str, message: str) -> None:
    file = tmp_path / "bad.json"
    file.write_text(content)
    with pytest.raises(ValueError, match=message) as caught:
        load_repository(str(file))
    assert "\n" not in str(caught.value)
    assert str(file) in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a file"):
        load_repository(str(tmp_path / "absent.json"))
    with pytest.raises(ValueError, match="not a file"):
        load_repository(str(tmp_path))
