"""OSV range evaluation, severity, de-duplication and loading edge cases (plain data)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from connectsec.deps.advisories import load_advisories
from connectsec.deps.match import match_packages
from connectsec.deps.osv import Advisory, advisories_from
from connectsec.deps.severity import rate
from connectsec.model.source import ResolvedPackage

from .conftest import NOW


def record(vid: str = "X-1", ecosystem: str = "PyPI", name: str = "pkg", **fields: Any) -> dict[str, Any]:
    affected = {"package": {"ecosystem": ecosystem, "name": name}}
    affected.update(fields.pop("affected", {}))
    return {"id": vid, "modified": "2026-11-01T00:00:00Z", "affected": [affected], **fields}


def one(raw: dict[str, Any]) -> Advisory:
    [advisory] = list(advisories_from(raw))
    return advisory


def ranges(*events: dict[str, str], kind: str = "ECOSYSTEM") -> dict[str, Any]:
    return {"ranges": [{"type": kind, "events": list(events)}]}


def test_unsorted_events_and_several_branches() -> None:
    advisory = one(
        record(
            affected=ranges(
                {"introduced": "2.13"},
                {"fixed": "2.13.2"},
                {"introduced": "0"},
                {"fixed": "2.11.8"},
                {"introduced": "2.12"},
                {"fixed": "2.12.5"},
            )
        )
    )
    affected = {
        v: advisory.affects(v) for v in ("1.0", "2.11.8", "2.12.0", "2.12.5", "2.13.1", "2.13.2", "3.0")
    }
    assert affected == {
        "1.0": True,
        "2.11.8": False,
        "2.12.0": True,
        "2.12.5": False,
        "2.13.1": True,
        "2.13.2": False,
        "3.0": False,
    }
    assert advisory.fixed_above("2.12.1") == "2.12.5"


def test_last_affected_is_inclusive_and_pep440_ordering() -> None:
    advisory = one(record(affected=ranges({"introduced": "1.0"}, {"last_affected": "1.10"})))
    assert advisory.affects("1.10.0")
    assert advisory.affects("1.9")
    assert not advisory.affects("1.10.post1")
    assert not advisory.affects("1.0rc1")


def test_versions_list_alone_and_git_ranges_ignored() -> None:
    advisory = one(
        record(
            affected={
                "ranges": [
                    {"type": "GIT", "repo": "https://example.invalid", "events": [{"introduced": "0"}]}
                ],
                "versions": ["1.0", "1.1"],
            }
        )
    )
    assert advisory.ranges == ()
    assert advisory.affects("1.0.0")
    assert not advisory.affects("1.2")


def test_npm_semver_prerelease_bounds() -> None:
    advisory = one(
        record(
            ecosystem="npm", affected=ranges({"introduced": "2.0.1-0"}, {"fixed": "3.11.0-0"}, kind="SEMVER")
        )
    )
    assert not advisory.affects("2.0.0")
    assert advisory.affects("2.0.1")
    assert advisory.affects("3.10.9")
    assert not advisory.affects("3.11.0")
    assert not advisory.affects("3.11.0-beta.1")


def test_withdrawn_records_are_skipped_and_names_normalised() -> None:
    assert (
        list(advisories_from(record(withdrawn="2024-01-01T00:00:00Z", affected=ranges({"introduced": "0"}))))
        == []
    )
    advisory = one(record(name="Zope.Interface", affected=ranges({"introduced": "0"})))
    assert advisory.name == "zope-interface"


def test_severity_cvss_v3_v4_database_and_unscored() -> None:
    v3 = rate({"severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]})
    assert (v3.severity, v3.score) == ("critical", 9.8)
    v4 = rate(
        {
            "severity": [
                {
                    "type": "CVSS_V4",
                    "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N",
                }
            ]
        }
    )
    assert v4.severity == "medium"
    assert rate({"database_specific": {"severity": "MODERATE"}}).severity == "medium"
    assert rate({"severity": [{"type": "CVSS_V3", "score": "garbage"}]}).severity == "unscored"


def _package(version: str, name: str = "pkg") -> ResolvedPackage:
    return ResolvedPackage("PyPI", name, version, "requirements.txt", 1, True, False)


def test_aliases_deduplicate_and_unparseable_bounds_are_reported(tmp_path: Path) -> None:
    records = [
        record("PYSEC-1", aliases=["CVE-2020-1"], affected=ranges({"introduced": "0"}, {"fixed": "2.0"})),
        record(
            "GHSA-aaaa",
            aliases=["CVE-2020-1"],
            severity=[{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N"}],
            affected=ranges({"introduced": "0"}, {"fixed": "2.1"}),
        ),
        record("BROKEN-1", affected=ranges({"introduced": "not a version!"})),
    ]
    (tmp_path / "a.json").write_text(json.dumps(records), "utf-8")
    database = load_advisories([str(tmp_path)], include_bundled=False, now=NOW)
    result = match_packages([_package("1.5")], database)
    [match] = result.matches
    assert match.id == "GHSA-aaaa"
    assert set(match.aliases) == {"CVE-2020-1", "PYSEC-1"}
    assert match.severity == "critical", "C:H/I:H/A:N scores 9.1"
    assert match.fixed == "2.1"
    assert len(result.problems) == 1
    assert "BROKEN-1" in result.problems[0]


def test_loading_zip_dedupes_by_newest_modified_and_dates_by_modified(tmp_path: Path) -> None:
    old = record("PYSEC-9", affected=ranges({"introduced": "0"}, {"fixed": "1.0"}))
    new = {
        **record("PYSEC-9", affected=ranges({"introduced": "0"}, {"fixed": "3.0"})),
        "modified": "2026-11-20T00:00:00Z",
    }
    dump = tmp_path / "all.zip"
    with zipfile.ZipFile(dump, "w") as archive:
        archive.writestr("PYSEC-9.json", json.dumps(new))
        archive.writestr("bad.json", "{")
    folder = tmp_path / "dir"
    folder.mkdir()
    (folder / "PYSEC-9.json").write_text(json.dumps(old), "utf-8")
    database = load_advisories([str(folder), str(dump)], include_bundled=False, now=NOW)
    [advisory] = database.for_package("PyPI", "pkg")
    assert advisory.fixed_above("0.1") == "3.0"
    assert database.age_days("PyPI") == 9
    assert any("bad.json" in p for p in database.problems)


def test_bad_paths_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no such file"):
        load_advisories([str(tmp_path / "missing")], include_bundled=False)
    (tmp_path / "x.txt").write_text("x", "utf-8")
    with pytest.raises(ValueError, match=r"not a directory, zip file or \.json file"):
        load_advisories([str(tmp_path / "x.txt")], include_bundled=False)


def test_bundled_snapshot_counts() -> None:
    database = load_advisories(now=NOW)
    counts = {s.ecosystem: s.records for s in database.sources}
    assert counts == {"PyPI": 2651, "npm": 467}, "2661 PyPI records less the 10 withdrawn"
    assert database.age_days("PyPI") == 779
