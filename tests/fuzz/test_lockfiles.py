"""Lockfile and manifest parsers raise only ParseError (or RecursionError, which discover also reports)."""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import strategies as st

from connectsec.deps.discover import _FIXED
from connectsec.deps.lockfiles import go, jvm, npm, python
from connectsec.deps.lockfiles.common import Parsed, ParseError
from tests.fuzz.bounds import fuzz

Parser = Callable[[str, str, Path], Parsed]
FOLDER = Path(__file__).parent / "no-such-folder"
"""Parsers read sibling manifests (package.json, Pipfile) from here: absent, as in a lone lockfile."""
PARSERS: dict[str, Parser] = {
    **_FIXED,
    "go.sum": go.parse_go_sum,
    "build.gradle": jvm.parse_build_gradle,
    "requirements.txt": python.parse_requirements,
    "package.json": npm.parse_package_json,
}
KEYS = [
    "packages",
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
    "version",
    "resolved",
    "dev",
    "lockfileVersion",
    "requires",
    "name",
    "type",
    "default",
    "develop",
    "packages-dev",
    "importers",
    "specifiers",
    "tool",
    "poetry",
    "group",
    "project",
    "source",
    "category",
    "",
    "node_modules/a",
    "a",
    "b@1.0.0",
    "/a/1.0.0",
    ".NETCoreApp,Version=v8.0",
    "net8.0",
]
TOML_KEYS = ["name", "version", "category", "dependencies", "source"]
POM_KEYS = ["groupId", "artifactId", "version", "scope"]
VERSIONS = ["1.0.0", "1.0", "", " ", ":", "0", "v1", "1.0.0-rc.1", "link:../x", "git+https://h/x", "*"]


def _parse(name: str, text: str) -> Parsed | None:
    try:
        parsed = PARSERS[name](name, text, FOLDER)
    except (ParseError, RecursionError):
        return None
    for package in parsed.packages:
        assert package.line >= 0
        assert package.name is not None
    return parsed


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-2, 3), st.sampled_from(VERSIONS), st.text(max_size=6)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=5)), inner, max_size=4),
    ),
    max_leaves=16,
)
line_token = st.one_of(
    st.sampled_from(
        [
            "  ",
            "    ",
            "\t",
            '"',
            ":",
            "@",
            "#",
            "=",
            "==",
            "//",
            "(",
            ")",
            ",",
            "\n",
            "require",
            "replace",
            "module",
            "GEM",
            "GIT",
            "PATH",
            "DEPENDENCIES",
            "specs:",
            "remote:",
            "version",
            "resolved",
            "a@^1.0.0",
            "a",
            "b",
            "github.com/x/y",
            "v1.2.3",
            "h1:abc=",
            "/go.mod",
            "implementation",
            "'g:a:1.0'",
            "-e",
            "-r",
            "--hash",
            "# via",
            "=empty",
            "x==1.0",
            "[extra]",
            ";",
            "<",
            "${v}",
        ]
    ),
    st.sampled_from(VERSIONS),
)
line_text = st.lists(line_token, max_size=30).map(" ".join)
structured = {
    "json": st.one_of(json_value, st.dictionaries(st.sampled_from(KEYS), json_value, max_size=5)).map(
        json.dumps
    ),
    "yaml": st.dictionaries(st.sampled_from([*KEYS, "lockfileVersion"]), json_value, max_size=5).map(
        yaml.safe_dump
    ),
    "toml": st.lists(st.tuples(st.sampled_from(TOML_KEYS), json_value), max_size=5).map(
        lambda fields: "[[package]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in fields)
    ),
    "xml": st.lists(st.tuples(st.sampled_from(POM_KEYS), line_text), max_size=4).map(
        lambda fields: (
            '<project xmlns="http://maven.apache.org/POM/4.0.0"><properties><v>1</v></properties>'
            "<dependencies><dependency>"
            + "".join(f"<{k}>{v.replace('<', '')}</{k}>" for k, v in fields)
            + "</dependency></dependencies></project>"
        )
    ),
    "lines": line_text,
}
FORMAT = {
    "npm-shrinkwrap.json": "json",
    "package-lock.json": "json",
    "composer.lock": "json",
    "Pipfile.lock": "json",
    "packages.lock.json": "json",
    "package.json": "json",
    "pnpm-lock.yaml": "yaml",
    "poetry.lock": "toml",
    "uv.lock": "toml",
    "pom.xml": "xml",
}


@fuzz(st.sampled_from(sorted(PARSERS)), st.text(max_size=200))
def test_arbitrary_text_raises_only_parse_error(name: str, text: str) -> None:
    _parse(name, text)


@fuzz(
    st.sampled_from(sorted(PARSERS)).flatmap(
        lambda n: st.tuples(st.just(n), structured[FORMAT.get(n, "lines")])
    )
)
def test_plausible_files_raise_only_parse_error(case: tuple[str, str]) -> None:
    _parse(*case)


@fuzz(st.sampled_from(sorted(PARSERS)), st.sampled_from(list(structured)).flatmap(lambda f: structured[f]))
def test_files_of_another_format_raise_only_parse_error(name: str, text: str) -> None:
    _parse(name, text)


SIBLINGS = {
    "package-lock.json": "package.json",
    "yarn.lock": "package.json",
    "composer.lock": "composer.json",
    "Pipfile.lock": "Pipfile",
    "poetry.lock": "pyproject.toml",
    "uv.lock": "pyproject.toml",
    "Gemfile.lock": "Gemfile",
}
_toml_tables = st.dictionaries(
    st.sampled_from(["packages", "dev-packages", "tool", "project", "poetry", "dependencies", "group"]),
    json_value,
    max_size=4,
)


def _toml(tables: dict[str, Any]) -> str:
    return "".join(f"{key} = {json.dumps(value)}\n" for key, value in tables.items() if value is not None)


@fuzz(
    st.sampled_from(sorted(SIBLINGS)),
    st.one_of(structured["json"], _toml_tables.map(_toml), line_text),
    st.sampled_from(list(structured)).flatmap(lambda f: structured[f]),
)
def test_hostile_sibling_manifests_raise_only_parse_error(lockfile: str, manifest: str, text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / SIBLINGS[lockfile]).write_text(manifest, "utf-8")
        with contextlib.suppress(ParseError, RecursionError):
            PARSERS[lockfile](lockfile, text, Path(folder))


@pytest.mark.parametrize(
    ("name", "text", "sibling"),
    [
        ("composer.lock", '{"packages": true, "packages-dev": 3}', None),
        ("composer.lock", '{"packages": []}', ("composer.json", '{"require": 5}')),
        ("Pipfile.lock", '{"develop": "f", "default": []}', None),
    ],
)
def test_wrong_json_types_are_skipped(name: str, text: str, sibling: tuple[str, str] | None) -> None:
    """Found by fuzzing: a section or manifest of the wrong JSON type raised TypeError/AttributeError."""
    with tempfile.TemporaryDirectory() as folder:
        if sibling:
            (Path(folder) / sibling[0]).write_text(sibling[1], "utf-8")
        parsed = PARSERS[name](name, text, Path(folder))
    assert parsed.packages == []
