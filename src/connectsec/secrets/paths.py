"""Which paths are skipped, which are test fixtures, which are configuration files."""

from __future__ import annotations

from collections.abc import Sequence
from fnmatch import fnmatchcase
from functools import lru_cache

DEFAULT_EXCLUDES: tuple[str, ...] = (
    # vendored and generated trees
    "node_modules",
    "bower_components",
    "jspm_packages",
    "vendor",
    "dist",
    "build",
    "out",
    "coverage",
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    "__pycache__",
    ".tox",
    ".mypy_cache",
    ".next",
    ".nuxt",
    "*.min.js",
    "*.min.css",
    "*.map",
    # lockfiles (integrity hashes look random)
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
    "composer.lock",
    "Gemfile.lock",
    "Cargo.lock",
    "go.sum",
    "packages.lock.json",
    "gradle.lockfile",
    # media, fonts and archives (compressed: nothing readable inside)
    "*.png",
    "*.jpg",
    "*.jpeg",
    "*.gif",
    "*.ico",
    "*.webp",
    "*.woff",
    "*.woff2",
    "*.ttf",
    "*.eot",
    "*.otf",
    "*.pdf",
    "*.zip",
    "*.gz",
    "*.tgz",
    "*.bz2",
    "*.xz",
    "*.7z",
    "*.jar",
    "*.mp3",
    "*.mp4",
)
"""Glob patterns: one without `/` matches any path component (a directory name or a file name);
one with `/` matches the whole `/`-separated path relative to the scanned root."""

_FIXTURE_DIRS = frozenset(
    {
        "test",
        "tests",
        "__tests__",
        "spec",
        "specs",
        "fixture",
        "fixtures",
        "__fixtures__",
        "testdata",
        "__mocks__",
    }
)
_FIXTURE_FILES = ("*.test.*", "*.spec.*", "*_test.*", "test_*.*", "*_spec.*")
_CONFIG_SUFFIXES = (
    ".json",
    ".yml",
    ".yaml",
    ".toml",
    ".ini",
    ".cfg",
    ".conf",
    ".properties",
    ".xml",
    ".tfvars",
    ".env",
    ".npmrc",
    ".pypirc",
    ".netrc",
)


class PathFilter:
    """Decides which relative paths are excluded from the scan."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self.patterns = tuple(patterns)
        self._names = tuple(p for p in self.patterns if "/" not in p.rstrip("/"))
        self._paths = tuple(p.rstrip("/") for p in self.patterns if "/" in p.rstrip("/"))
        self._cache: dict[str, bool] = {}

    def excluded(self, path: str) -> bool:
        """True when a component of `path` or the whole path matches a pattern."""
        hit = self._cache.get(path)
        if hit is None:
            parts = path.split("/")
            hit = any(fnmatchcase(part, p.rstrip("/")) for part in parts for p in self._names) or any(
                fnmatchcase(path, p) or path.startswith(p + "/") for p in self._paths
            )
            if len(self._cache) < 200_000:
                self._cache[path] = hit
        return hit

    def git_pathspecs(self) -> tuple[str, ...]:
        """The same exclusions as git pathspecs, so git does not even diff excluded files."""
        specs = [":(top)."]
        for pattern in self._names:
            name = pattern.rstrip("/")
            specs += [f":(exclude,glob)**/{name}", f":(exclude,glob)**/{name}/**"]
        for pattern in self._paths:
            specs += [f":(exclude,glob){pattern}", f":(exclude,glob){pattern}/**"]
        return tuple(specs)


@lru_cache(maxsize=65_536)
def is_fixture(path: str) -> bool:
    """Test code and fixtures: a `tests/`-like directory or a `*.test.*`-like file name."""
    parts = path.lower().split("/")
    if any(part in _FIXTURE_DIRS for part in parts[:-1]):
        return True
    return any(fnmatchcase(parts[-1], p) for p in _FIXTURE_FILES)


@lru_cache(maxsize=65_536)
def is_config(path: str) -> bool:
    """Configuration and environment files, where assigned values need no quotes."""
    name = path.rsplit("/", 1)[-1].lower()
    return name.startswith(".env") or name.endswith(_CONFIG_SUFFIXES) or name in {"credentials", "config"}
