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
