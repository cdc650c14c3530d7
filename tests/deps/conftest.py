"""Shared fixtures: the bundled advisory data at a fixed clock, project trees in tmp dirs."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectsec.deps.advisories import AdvisoryDatabase, load_advisories
from connectsec.model import Inventory, Observations
from connectsec.model.source import DependencyScan

NOW = datetime(2026, 11, 29, tzinfo=UTC)


@pytest.fixture(scope="session")
def bundled() -> AdvisoryDatabase:
    return load_advisories(now=NOW)


def write(root: Path, files: dict[str, str]) -> Path:
    """Write dedented files under root; returns root."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), "utf-8")
    return root


def line_of(root: Path, name: str, needle: str) -> int:
    """1-based line of the first line of a test file containing needle (the test's own oracle)."""
    for number, line in enumerate((root / name).read_text("utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {name}")


def observations(scan: DependencyScan) -> Observations:
    inventory = Inventory(
        descriptor_url="file:atlassian-connect.json",
        app_key="app",
        app_name=None,
        base_url="https://app.example",
        authentication="jwt",
        endpoints=(),
        hosts=(),
    )
    return Observations(inventory=inventory, dependencies=scan)


def by_location(scan: DependencyScan) -> dict[str, set[str]]:
    """location → advisory ids (lead and aliases) matched there."""
    found: dict[str, set[str]] = {}
    for match in scan.matches:
        found.setdefault(match.package.location, set()).update({match.id, *match.aliases})
    return found


def loc(root: Path, name: str, needle: str) -> str:
    """`name:line` of the first line containing needle."""
    return f"{name}:{line_of(root, name, needle)}"
