"""Finds the lockfiles and manifests of a tree and parses each with its parser."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from connectsec.deps.lockfiles import dotnet, go, jvm, npm, php, python, ruby
from connectsec.deps.lockfiles.common import Parsed, ParseError

Parser = Callable[[str, str, Path], Parsed]

SKIPPED_DIRS = frozenset(
    {
        "node_modules", "bower_components", "jspm_packages", ".git", ".hg", ".svn", "vendor", ".venv", "venv",
        "__pycache__", ".tox", ".nox", "site-packages", ".yarn", ".pnpm-store", ".gradle", ".m2", "target",
        "dist", "build", ".next", ".cache",
    }
)  # fmt: skip
"""Installed or generated trees: their lockfiles belong to other projects."""
MAX_FILE_BYTES = 64_000_000
MAX_FILES = 200_000
_NPM_LOCKS = ("npm-shrinkwrap.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml")
_FIXED: dict[str, Parser] = {
    "npm-shrinkwrap.json": npm.parse_package_lock,
    "package-lock.json": npm.parse_package_lock,
    "yarn.lock": npm.parse_yarn_lock,
    "pnpm-lock.yaml": npm.parse_pnpm_lock,
    "poetry.lock": python.parse_poetry_lock,
    "Pipfile.lock": python.parse_pipfile_lock,
    "uv.lock": python.parse_uv_lock,
    "pom.xml": jvm.parse_pom,
    "gradle.lockfile": jvm.parse_gradle_lockfile,
    "go.mod": go.parse_go_mod,
    "Gemfile.lock": ruby.parse_gemfile_lock,
    "composer.lock": php.parse_composer_lock,
    "packages.lock.json": dotnet.parse_packages_lock,
}
_REQUIREMENTS = re.compile(r"^(.*[-_.])?requirements([-_.].*)?\.txt$")


@dataclass
class Discovery:
    """Parsed files and the files that could not be read or parsed."""

    parsed: list[Parsed] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def discover(root: Path) -> Discovery:
    """Parse every dependency file under `root` (symlinks and installed trees skipped)."""
    found = Discovery()
    for path, parser in _candidates(root):
        relative = path.relative_to(root).as_posix()
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                found.problems.append(f"{relative}: larger than {MAX_FILE_BYTES} bytes, not read")
                continue
            text = path.read_bytes().decode("utf-8-sig")
            found.parsed.append(parser(relative, text, path.parent))
        except UnicodeDecodeError:
            found.problems.append(f"{relative}: not UTF-8 text")
        except (OSError, ParseError, RecursionError) as exc:
            found.problems.append(
                f"{relative}: {str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__}"
            )
    return found


def _candidates(root: Path) -> Iterator[tuple[Path, Parser]]:
    seen = 0
    npm_locked: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS)
        folder = Path(dirpath)
        names = {n for n in filenames if not (folder / n).is_symlink()}
        seen += len(names)
        if seen > MAX_FILES:
            return
        if any(n in names for n in _NPM_LOCKS):
            npm_locked.append(folder)
        for name in sorted(names):
            parser = _parser_for(name, folder, names)
            if parser is not None:
                yield folder / name, parser
        if "package.json" in names and not any(folder == p or p in folder.parents for p in npm_locked):
            yield folder / "package.json", npm.parse_package_json


def _parser_for(name: str, folder: Path, names: set[str]) -> Parser | None:
    if name == "package-lock.json" and "npm-shrinkwrap.json" in names:
        return None
    if name in _FIXED:
        return _FIXED[name]
    if name == "go.sum" and "go.mod" not in names:
        return go.parse_go_sum
    if name in ("build.gradle", "build.gradle.kts") and "gradle.lockfile" not in names:
        return jvm.parse_build_gradle
    if name.endswith(".txt") and (_REQUIREMENTS.match(name) or folder.name == "requirements"):
        return python.parse_requirements
    return None
