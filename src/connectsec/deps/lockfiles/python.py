"""PyPI: requirements*.txt, poetry.lock, Pipfile.lock, uv.lock."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from connectsec.deps.ecosystems import normalise_name
from connectsec.deps.lockfiles.common import UNKNOWN_SCOPES, Lines, Parsed, ParseError, Scopes, scopes

_REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")
_PIN = re.compile(r"^===?\s*([^\s,;*]+)\s*$")
_DEV_WORDS = re.compile(r"(^|[^a-z])(dev|test|tests|testing|lint|docs|ci)([^a-z]|$)")


def parse_requirements(path: str, text: str, folder: Path) -> Parsed:
    """A pip requirements file: `name==version` is pinned, everything else is listed as not checked."""
    parsed = Parsed(path, "PyPI", "requirements")
    development = bool(_DEV_WORDS.search(Path(path).as_posix().lower()))
    logical: list[tuple[int, str]] = []
    buffer, first = "", 0
    raw_lines = text.splitlines()
    for number, raw in enumerate(raw_lines, 1):
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not buffer:
            first = number
        if line.endswith("\\"):
            buffer += line[:-1] + " "
            continue
        buffer += line
        if buffer.strip():
            logical.append((first, buffer.strip()))
        buffer = ""
    for number, line in logical:
        if line.startswith("-") or "://" in line or line.startswith((".", "/")):
            if line.startswith(("-e", "--editable")) or "://" in line:
                parsed.skip(line.split()[-1][:80], line[:80], number, "editable, URL or VCS requirement")
            continue
        requirement = line.split(";")[0].split(" --")[0].strip()
        match = _REQUIREMENT.match(requirement)
        if not match:
            continue
        name, spec = match.group(1), match.group(3).strip()
        pin = _PIN.match(spec)
        direct = not _transitive_comment(raw_lines, number)
        if pin:
            parsed.add(name, pin.group(1), number, direct=direct, development=development, spec=spec)
        else:
            parsed.skip(
                name, spec or "(any version)", number, "not pinned with ==: the installed version is unknown"
            )
    return parsed


def _transitive_comment(lines: list[str], number: int) -> bool:
    """pip-compile's `# via X` under a requirement: pulled in by X rather than declared."""
    for raw in lines[number : number + 8]:
        stripped = raw.strip()
        if not stripped.startswith("#"):
            return False
        via = stripped.lstrip("#").strip()
        if via.startswith("via"):
            names = via[3:].strip()
            return bool(names) and not names.startswith("-r")
        if via.startswith("-r") or via.startswith("-c"):
            return False
    return False


def parse_poetry_lock(path: str, text: str, folder: Path) -> Parsed:
    """poetry.lock: dev scope from `category` (old) or from pyproject's groups (new)."""
    data = _toml(text)
    parsed = Parsed(path, "PyPI", "poetry.lock")
    packages = [p for p in data.get("package", []) if isinstance(p, dict)]
    project = _pyproject(folder)
    poetry = project.get("tool", {}).get("poetry", {}) if isinstance(project.get("tool"), dict) else {}
    runtime_roots = {normalise_name("PyPI", n) for n in _names(poetry.get("dependencies"))} - {"python"}
    runtime_roots |= {_req_name(r) for r in _list(project.get("project", {}).get("dependencies"))}
    dev_roots = {normalise_name("PyPI", n) for n in _names(poetry.get("dev-dependencies"))}
    for group in (poetry.get("group") or {}).values():
        if isinstance(group, dict):
            dev_roots |= {normalise_name("PyPI", n) for n in _names(group.get("dependencies"))}
    edges = {
        normalise_name("PyPI", str(p.get("name"))): [
            normalise_name("PyPI", d) for d in _names(p.get("dependencies"))
        ]
        for p in packages
    }
    scope = scopes(runtime_roots, dev_roots, edges) if project else UNKNOWN_SCOPES
    _emit_toml_packages(parsed, text, packages, scope, runtime_roots | dev_roots if project else None)
    return parsed


def parse_uv_lock(path: str, text: str, folder: Path) -> Parsed:
    """uv.lock: the project's own entries (editable/virtual source) are the roots."""
    data = _toml(text)
    parsed = Parsed(path, "PyPI", "uv.lock")
    packages = [p for p in data.get("package", []) if isinstance(p, dict)]
    edges: dict[str, list[str]] = {}
    runtime_roots: set[str] = set()
    dev_roots: set[str] = set()
    own: set[str] = set()
    for package in packages:
        name = normalise_name("PyPI", str(package.get("name")))
        targets = [_dep_name(d) for d in _list(package.get("dependencies"))]
        for extra in (package.get("optional-dependencies") or {}).values():
            targets += [_dep_name(d) for d in _list(extra)]
        edges[name] = targets
        source = package.get("source") or {}
        if isinstance(source, dict) and ("editable" in source or "virtual" in source):
            own.add(name)
            runtime_roots.update(targets)
            for group in (package.get("dev-dependencies") or {}).values():
                dev_roots.update(_dep_name(d) for d in _list(group))
    scope = scopes(runtime_roots, dev_roots, edges) if own else UNKNOWN_SCOPES
    kept = [p for p in packages if normalise_name("PyPI", str(p.get("name"))) not in own]
    _emit_toml_packages(parsed, text, kept, scope, runtime_roots | dev_roots if own else None)
    return parsed


def _emit_toml_packages(
    parsed: Parsed, text: str, packages: list[dict[str, Any]], scope: Scopes, direct: set[str] | None
) -> None:
    lines = Lines(text)
    cursor = 1
    for package in packages:
        name, version = str(package.get("name", "")), str(package.get("version", ""))
        block = lines.find("[[package]]", cursor)
        line = lines.find(f'name = "{name}"', block)
        cursor = line + 1
        key = normalise_name("PyPI", name)
        development = package.get("category") == "dev" or scope.is_development(key)
        parsed.add(
            name,
            version,
            line,
            direct=(key in direct) if direct is not None else None,
            development=development,
        )


def parse_pipfile_lock(path: str, text: str, folder: Path) -> Parsed:
    """Pipfile.lock: `default` is runtime, `develop` development; direct names from the Pipfile."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ParseError(f"not JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise ParseError("not a JSON object")
    parsed = Parsed(path, "PyPI", "Pipfile.lock")
    lines = Lines(text)
    pipfile: dict[str, Any] = {}
    try:
        pipfile = tomllib.loads((folder / "Pipfile").read_text("utf-8"))
    except (OSError, ValueError):
        pipfile = {}
    direct = {
        normalise_name("PyPI", n) for key in ("packages", "dev-packages") for n in _names(pipfile.get(key))
    }
    default: dict[str, Any] = data["default"] if isinstance(data.get("default"), dict) else {}
    for section in ("default", "develop"):
        start = lines.find(f'"{section}"')
        entries = data.get(section)
        for name, entry in (entries if isinstance(entries, dict) else {}).items():
            if section == "develop" and name in default:
                continue
            line = lines.find(f'"{name}"', start)
            version = entry.get("version") if isinstance(entry, dict) else None
            if not isinstance(version, str) or not version.startswith("=="):
                parsed.skip(name, str(version or "(no version)"), line, "no == version (VCS, path or file)")
                continue
            parsed.add(
                name,
                version[2:].lstrip("="),
                line,
                direct=(normalise_name("PyPI", name) in direct) if pipfile else None,
                development=section == "develop",
            )
    return parsed


def _toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ParseError(f"not TOML ({exc})") from exc


def _pyproject(folder: Path) -> dict[str, Any]:
    try:
        return tomllib.loads((folder / "pyproject.toml").read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def _names(value: Any) -> Iterable[str]:
    return [str(k) for k in value] if isinstance(value, dict) else []


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dep_name(value: Any) -> str:
    return normalise_name("PyPI", str(value.get("name") if isinstance(value, dict) else value))


def _req_name(requirement: Any) -> str:
    match = _REQUIREMENT.match(str(requirement).strip())
    return normalise_name("PyPI", match.group(1)) if match else ""
