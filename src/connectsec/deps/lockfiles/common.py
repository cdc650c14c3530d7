"""What every parser returns, line lookup in lockfile text, and dev/runtime reachability."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from connectsec.deps.ecosystems import VersionError, version_key
from connectsec.model.source import ResolvedPackage, UncheckedPackage

K = TypeVar("K", bound=Hashable)


class ParseError(ValueError):
    """A file that is not what its name says (one line, no secret values)."""


@dataclass
class Parsed:
    """The packages one file pins, and the declarations it cannot pin."""

    path: str
    ecosystem: str
    kind: str
    packages: list[ResolvedPackage] = field(default_factory=list)
    unchecked: list[UncheckedPackage] = field(default_factory=list)
    transitive_resolved: bool = True

    def add(
        self, name: str, version: str, line: int, *, direct: bool | None, development: bool, spec: str = ""
    ) -> None:
        """A pinned package; one whose version the ecosystem cannot order goes to `unchecked`."""
        try:
            version_key(self.ecosystem, version)
        except VersionError:
            self.skip(name, spec or version, line, "not a registry version (local, git or URL source)")
            return
        self.packages.append(
            ResolvedPackage(self.ecosystem, name, version, self.path, line, direct, development)
        )

    def skip(self, name: str, spec: str, line: int, reason: str) -> None:
        """A declaration that cannot be matched against advisories."""
        self.unchecked.append(UncheckedPackage(self.ecosystem, name, spec, self.path, line, reason))


class Lines:
    """1-based line numbers of substrings in a file's text."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self._keys: dict[str, int] | None = None
        self._yaml: dict[str, list[int]] | None = None

    def json_key(self, key: str) -> int:
        """The first line whose first token is the JSON key `"key":` (indexed once: large lockfiles)."""
        if self._keys is None:
            self._keys = {}
            for number, line in enumerate(self.lines, 1):
                stripped = line.lstrip()
                if stripped.startswith('"'):
                    end = stripped.find('":', 1)
                    if end > 0:
                        self._keys.setdefault(stripped[1:end], number)
        return self._keys.get(key) or self.find(f'"{key}":')

    def yaml_key(self, key: str, start: int = 1) -> int:
        """The first line at or after `start` that is the YAML mapping key `key:` (quoted or not)."""
        if self._yaml is None:
            self._yaml = {}
            for number, line in enumerate(self.lines, 1):
                stripped = line.strip()
                if stripped.endswith(":"):
                    self._yaml.setdefault(stripped[:-1].strip("'\""), []).append(number)
        for number in self._yaml.get(key, ()):
            if number >= start:
                return number
        return self.find(key, start)

    def find(self, needle: str, start: int = 1, default: int | None = None) -> int:
        """The first line at or after `start` containing `needle`; `default` (else `start`) when none."""
        for number in range(max(start, 1), len(self.lines) + 1):
            if needle in self.lines[number - 1]:
                return number
        return default if default is not None else max(start, 1)


def reach(roots: Iterable[K], edges: Mapping[K, Iterable[K]]) -> set[K]:
    """Every node reachable from `roots` (roots included)."""
    seen: set[K] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        stack.extend(edges.get(node, ()))
    return seen


@dataclass(frozen=True)
class Scopes:
    """Which nodes runtime and development roots reach; `known` False when the roots are unknown."""

    runtime: frozenset[Hashable]
    development: frozenset[Hashable]
    known: bool = True

    def is_development(self, node: Hashable) -> bool:
        """Reached only from development roots (unknown roots: never, so nothing is downgraded)."""
        return self.known and node in self.development and node not in self.runtime


def scopes(
    runtime_roots: Iterable[Hashable], dev_roots: Iterable[Hashable], edges: Mapping[Any, Iterable[Hashable]]
) -> Scopes:
    """Reachability from both sets of roots."""
    return Scopes(frozenset(reach(runtime_roots, edges)), frozenset(reach(dev_roots, edges)))


UNKNOWN_SCOPES = Scopes(frozenset(), frozenset(), known=False)
