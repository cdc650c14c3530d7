"""Which files of a source tree the code scan reads, and as what."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".git",
    "node_modules",
    "bower_components",
    "jspm_packages",
    "vendor",
    ".venv",
    "venv",
    "__pycache__",
    ".tox",
    ".terraform",
    "target",
    "coverage",
    ".next",
    ".nuxt",
)
"""Directory names or path globs (relative, `/`-separated) never read."""

MAX_FILE_BYTES = 2_000_000

_BY_SUFFIX = {
    ".py": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "javascript",
    ".tsx": "javascript",
    ".mts": "javascript",
    ".cts": "javascript",
    ".vue": "javascript",
    ".svelte": "javascript",
    ".html": "html",
    ".htm": "html",
    ".hbs": "template",
    ".handlebars": "template",
    ".mustache": "template",
    ".ejs": "template",
    ".pug": "template",
    ".jade": "template",
    ".njk": "template",
    ".jinja": "template",
    ".jinja2": "template",
    ".j2": "template",
    ".twig": "template",
    ".erb": "template",
    ".jsp": "template",
    ".ftl": "template",
    ".vm": "template",
    ".liquid": "template",
    ".java": "jvm",
    ".kt": "jvm",
    ".kts": "jvm",
    ".groovy": "jvm",
    ".tf": "terraform",
    ".yml": "yaml",
    ".yaml": "yaml",
    ".json": "json",
    ".template": "json",
    ".xml": "xml",
    ".gradle": "gradle",
}


@dataclass(frozen=True)
class SourceFile:
    """One file to read: where it is and what it is."""

    path: Path
    rel: str
    """Relative to the root, `/`-separated: the location in findings."""
    kind: str

    def text(self) -> str:
        """The content as text (undecodable bytes replaced)."""
        return self.path.read_bytes().decode("utf-8", "replace")


def kind_of(name: str) -> str | None:
    """What a file name is for the code scan, or None when it is not read."""
    lower = name.lower()
    if lower.endswith(".d.ts"):
        return None
    if lower in {"build.gradle", "build.gradle.kts"}:
        return "gradle"
    return _BY_SUFFIX.get(os.path.splitext(lower)[1])


def excluded(rel: str, name: str, excludes: Sequence[str]) -> bool:
    """Whether a path (relative) or its name matches an exclusion."""
    return any(name == e or fnmatch.fnmatch(rel, e) or fnmatch.fnmatch(name, e) for e in excludes)


def walk(root: Path, excludes: Sequence[str]) -> Iterator[SourceFile | tuple[str, int]]:
    """Files to read in a stable order; `(rel, size)` for a file above the size cap. Symlinks not followed."""
    for current, dirs, names in os.walk(root, followlinks=False):
        base = Path(current)
        rel_base = base.relative_to(root).as_posix()
        rel_base = "" if rel_base == "." else rel_base + "/"
        dirs[:] = sorted(d for d in dirs if not excluded(rel_base + d, d, excludes))
        for name in sorted(names):
            rel = rel_base + name
            kind = kind_of(name)
            path = base / name
            if kind is None or excluded(rel, name, excludes) or path.is_symlink():
                continue
            try:
                size = path.stat().st_size
            except OSError:
                continue
            if size > MAX_FILE_BYTES:
                yield rel, size
                continue
            yield SourceFile(path, rel, kind)
