"""Ecosystem names, package-name normalisation and version ordering per ecosystem."""

from __future__ import annotations

import functools
import re
from typing import Any

from packaging.version import InvalidVersion as _PepInvalid
from packaging.version import Version as PepVersion
from univers.nuget import InvalidNuGetVersion
from univers.versions import (
    ComposerVersion,
    GolangVersion,
    InvalidVersion,
    MavenVersion,
    NugetVersion,
    RubygemsVersion,
    SemverVersion,
)

ECOSYSTEMS = ("npm", "PyPI", "Maven", "Go", "RubyGems", "Packagist", "NuGet")
"""The OSV ecosystems connectsec resolves from lockfiles."""

_UNIVERS: dict[str, Any] = {
    "npm": SemverVersion,
    "Maven": MavenVersion,
    "Go": GolangVersion,
    "RubyGems": RubygemsVersion,
    "Packagist": ComposerVersion,
    "NuGet": NugetVersion,
}
_PEP503 = re.compile(r"[-_.]+")


class VersionError(ValueError):
    """A version string the ecosystem's ordering cannot parse."""


def normalise_name(ecosystem: str, name: str) -> str:
    """The name as advisories are indexed: PEP 503 for PyPI, lower case where names are case-blind."""
    name = name.strip()
    if ecosystem == "PyPI":
        return _PEP503.sub("-", name).lower()
    if ecosystem in ("NuGet", "Packagist", "RubyGems"):
        return name.lower() if ecosystem != "RubyGems" else name
    return name


@functools.lru_cache(maxsize=65_536)
def version_key(ecosystem: str, version: str) -> Any:
    """An object ordered by the ecosystem's version semantics; VersionError when unparseable."""
    text = version.strip()
    if not text:
        raise VersionError("an empty version")  # NuGet would parse it into a key that cannot be compared
    if ecosystem == "PyPI":
        try:
            return PepVersion(text)
        except _PepInvalid as exc:
            raise VersionError(f"{version!r} is not a PEP 440 version") from exc
    kind = _UNIVERS.get(ecosystem)
    if kind is None:
        raise VersionError(f"no version ordering for ecosystem {ecosystem!r}")
    if ecosystem in ("npm", "Go", "Packagist"):
        text = text.removeprefix("v")
    if ecosystem == "Go":
        text = "v" + text
    if ecosystem == "npm" and text == "0":
        text = "0.0.0"
    try:
        return kind(text)
    except (InvalidVersion, InvalidNuGetVersion, ValueError, TypeError) as exc:
        raise VersionError(f"{version!r} is not a {ecosystem} version") from exc


def same_version(ecosystem: str, left: str, right: str) -> bool:
    """Equal under the ecosystem's semantics (`1.0` == `1.0.0` for PyPI), else as strings."""
    if left == right:
        return True
    try:
        return bool(version_key(ecosystem, left) == version_key(ecosystem, right))
    except VersionError:
        return False
