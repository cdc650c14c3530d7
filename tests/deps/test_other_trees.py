"""Maven, Gradle, Go, RubyGems, Packagist and NuGet trees against OSV records given with --advisories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectsec.checks.source.dependencies import SOURCE_DEPENDENCIES_CHECK
from connectsec.deps.advisories import AdvisoryDatabase, load_advisories
from connectsec.deps.scan import scan_dependencies
from connectsec.model import Verdict

from .conftest import NOW, by_location, loc, observations, write

CRITICAL = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
RECORDS = {
    # Real advisory ids and ranges (GHSA/GO), trimmed to what matching reads.
    "GHSA-jfh8-c2jp-5v3q": ("Maven", "org.apache.logging.log4j:log4j-core", [("2.0-beta9", "2.15.0")]),
    "GO-2022-0969": ("Go", "golang.org/x/net", [("0", "0.0.0-20220906165146-f3363e06e74c")]),
    "GHSA-vr8q-g5c7-m54m": ("RubyGems", "nokogiri", [("0", "1.13.2")]),
    "GHSA-f7cx-5v5p-x7w3": ("Packagist", "guzzlehttp/psr7", [("0", "1.8.4")]),
    "GHSA-5crp-9r3c-p9vr": ("NuGet", "Newtonsoft.Json", [("0", "13.0.1")]),
}


def _record(vid: str, ecosystem: str, name: str, ranges: list[tuple[str, str]]) -> dict[str, object]:
    return {
        "schema_version": "1.6.0",
        "id": vid,
        "modified": "2026-11-20T00:00:00Z",
        "aliases": [],
        "summary": f"test copy of {vid}",
        "severity": [{"type": "CVSS_V3", "score": CRITICAL}],
        "affected": [
            {
                "package": {"ecosystem": ecosystem, "name": name},
                "ranges": [
                    {
                        "type": "SEMVER" if ecosystem == "Go" else "ECOSYSTEM",
                        "events": [e for a, f in ranges for e in ({"introduced": a}, {"fixed": f})],
                    }
                ],
            }
        ],
    }


@pytest.fixture(scope="module")
def advisories(tmp_path_factory: pytest.TempPathFactory) -> AdvisoryDatabase:
    folder = tmp_path_factory.mktemp("osv")
    for vid, (ecosystem, name, ranges) in RECORDS.items():
        (folder / f"{vid}.json").write_text(json.dumps(_record(vid, ecosystem, name, ranges)), "utf-8")
    return load_advisories([str(folder)], include_bundled=False, now=NOW)


def _judge(root: Path, advisories: AdvisoryDatabase) -> dict[str, str]:
    scan = scan_dependencies(str(root), advisories)
    assert scan.unparsed == ()
    return {f.location: f.rule for f in SOURCE_DEPENDENCIES_CHECK.judge(observations(scan)).findings}


POM = """
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>app</artifactId>
  <version>1.0.0</version>
  <properties>
    <log4j.version>{log4j}</log4j.version>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-core</artifactId>
      <version>${{log4j.version}}</version>
    </dependency>
    <dependency>
      <groupId>junit</groupId>
      <artifactId>junit</artifactId>
      <scope>test</scope>
    </dependency>
  </dependencies>
</project>
"""


def test_maven_pom_properties_resolved(tmp_path: Path, advisories: AdvisoryDatabase) -> None:
    root = write(tmp_path / "bad", {"pom.xml": POM.format(log4j="2.14.1")})
    scan = scan_dependencies(str(root), advisories)
    assert by_location(scan) == {loc(root, "pom.xml", "<artifactId>log4j-core"): {"GHSA-jfh8-c2jp-5v3q"}}
    assert [u.name for u in scan.unchecked] == ["junit:junit"]
    assert scan.manifests[0].transitive_resolved is False
    result = SOURCE_DEPENDENCIES_CHECK.judge(observations(scan))
    assert result.findings[0].rule == "dependency.vulnerable-critical"
    assert result.findings[0].verdict is Verdict.FAIL
    assert "2.15.0" in result.findings[0].detail
    assert any("pom.xml" in n and "transitive" in n for n in result.notes)
    clean = write(tmp_path / "clean", {"pom.xml": POM.format(log4j="2.17.1")})
    assert _judge(clean, advisories) == {}


def test_gradle_lockfile_and_build_gradle_without_lock(tmp_path: Path, advisories: AdvisoryDatabase) -> None:
    root = write(
        tmp_path,
        {
            "gradle.lockfile": (
                "# This is a Gradle generated file\n"
                "org.apache.logging.log4j:log4j-core:2.14.1=compileClasspath,runtimeClasspath\n"
                "org.apache.logging.log4j:log4j-api:2.14.1=compileClasspath,runtimeClasspath\n"
                "empty=annotationProcessor\n"
            ),
            "lib/build.gradle": "dependencies {\n    implementation 'com.google.guava:guava:31.1-jre'\n}\n",
        },
    )
    scan = scan_dependencies(str(root), advisories)
    assert set(by_location(scan)) == {loc(root, "gradle.lockfile", "log4j-core")}
    assert [(u.name, u.path, u.line) for u in scan.unchecked] == [
        ("com.google.guava:guava", "lib/build.gradle", 2)
    ]


def test_go_mod_direct_indirect_and_replace(tmp_path: Path, advisories: AdvisoryDatabase) -> None:
    root = write(
        tmp_path,
        {
            "go.mod": """
            module example.com/app

            go 1.21

            require (
            \tgithub.com/gorilla/mux v1.8.0
            \tgolang.org/x/net v0.0.0-20220127200216-cd36cc0744dd // indirect
            )

            require example.com/local v1.0.0

            replace example.com/local => ../local
            """,
        },
    )
    scan = scan_dependencies(str(root), advisories)
    net = loc(root, "go.mod", "golang.org/x/net")
    assert by_location(scan) == {net: {"GO-2022-0969"}}
    assert {p.name: p.direct for p in scan.packages} == {
        "github.com/gorilla/mux": True,
        "golang.org/x/net": False,
    }
    assert [u.name for u in scan.unchecked] == ["example.com/local"]
    clean = write(tmp_path / "clean", {"go.mod": "module m\n\nrequire golang.org/x/net v0.17.0\n"})
    assert _judge(clean, advisories) == {}


def test_gemfile_lock_with_development_group(tmp_path: Path, advisories: AdvisoryDatabase) -> None:
    root = write(
        tmp_path,
        {
            "Gemfile": "gem 'rails'\ngroup :development, :test do\n  gem 'nokogiri'\nend\n",
            "Gemfile.lock": """
            GEM
              remote: https://example.invalid/
              specs:
                nokogiri (1.12.5-x86_64-linux)
                  racc (~> 1.4)
                racc (1.6.0)
                rails (7.0.0)

            PLATFORMS
              x86_64-linux

            DEPENDENCIES
              nokogiri
              rails
            """,
        },
    )
    scan = scan_dependencies(str(root), advisories)
    nokogiri = loc(root, "Gemfile.lock", "nokogiri (1.12.5")
    assert by_location(scan) == {nokogiri: {"GHSA-vr8q-g5c7-m54m"}}
    packages = {p.name: p for p in scan.packages}
    assert packages["nokogiri"].version == "1.12.5"
    assert packages["nokogiri"].development is True
    assert packages["racc"].direct is False
    assert _judge(root, advisories) == {nokogiri: "dependency.dev-vulnerable-critical"}


def test_composer_lock(tmp_path: Path, advisories: AdvisoryDatabase) -> None:
    lock = {
        "packages": [
            {"name": "guzzlehttp/psr7", "version": "1.8.3"},
            {"name": "acme/x", "version": "dev-main"},
        ],
        "packages-dev": [{"name": "phpunit/phpunit", "version": "9.5.0"}],
    }
    root = write(
        tmp_path,
        {"composer.json": '{"require": {"acme/x": "*"}}', "composer.lock": json.dumps(lock, indent=4)},
    )
    scan = scan_dependencies(str(root), advisories)
    assert by_location(scan) == {loc(root, "composer.lock", '"guzzlehttp/psr7"'): {"GHSA-f7cx-5v5p-x7w3"}}
    assert {p.name: p.direct for p in scan.packages} == {"guzzlehttp/psr7": False, "phpunit/phpunit": False}
    assert [u.name for u in scan.unchecked] == ["acme/x"]


def test_nuget_packages_lock(tmp_path: Path, advisories: AdvisoryDatabase) -> None:
    lock = {
        "version": 1,
        "dependencies": {
            "net6.0": {
                "Newtonsoft.Json": {"type": "Direct", "requested": "[12.0.3, )", "resolved": "12.0.3"},
                "Other.Project": {"type": "Project"},
            }
        },
    }
    root = write(tmp_path, {"packages.lock.json": json.dumps(lock, indent=2)})
    scan = scan_dependencies(str(root), advisories)
    assert by_location(scan) == {
        loc(root, "packages.lock.json", '"Newtonsoft.Json"'): {"GHSA-5crp-9r3c-p9vr"}
    }


def test_ecosystem_without_data_is_an_error_not_a_pass(tmp_path: Path, bundled: AdvisoryDatabase) -> None:
    root = write(tmp_path, {"go.mod": "module m\n\nrequire golang.org/x/net v0.17.0\n"})
    scan = scan_dependencies(str(root), bundled)
    assert scan.missing_data == ("Go",)
    result = SOURCE_DEPENDENCIES_CHECK.judge(observations(scan))
    assert result.findings == ()
    assert any("no advisory data loaded for Go" in e for e in result.errors)
    assert result.coverage.untested == 1


def test_unparseable_lockfile_is_an_error(tmp_path: Path, bundled: AdvisoryDatabase) -> None:
    root = write(tmp_path, {"composer.lock": "{not json", "poetry.lock": "[[package]\n"})
    scan = scan_dependencies(str(root), bundled)
    result = SOURCE_DEPENDENCIES_CHECK.judge(observations(scan))
    assert len(result.errors) == 2
    assert all(e.startswith("could not read ") for e in result.errors)
