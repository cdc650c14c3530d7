"""npm: package-lock.json/npm-shrinkwrap.json (v1–v3), yarn.lock (classic, berry), pnpm-lock.yaml."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from connectsec.deps.lockfiles.common import UNKNOWN_SCOPES, Lines, Parsed, ParseError, Scopes, scopes

_RUNTIME_FIELDS = ("dependencies", "optionalDependencies", "peerDependencies")
_EXACT = re.compile(r"^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$")


def declared(folder: Path) -> tuple[dict[str, str], dict[str, str]] | None:
    """package.json's runtime and development dependencies (name → range), None without a package.json."""
    try:
        data = json.loads((folder / "package.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    runtime: dict[str, str] = {}
    for key in _RUNTIME_FIELDS:
        runtime.update(_str_map(data.get(key)))
    return runtime, _str_map(data.get("devDependencies"))


def parse_package_lock(path: str, text: str, folder: Path) -> Parsed:
    """package-lock.json or npm-shrinkwrap.json, any lockfileVersion."""
    data = _json(text)
    version = data.get("lockfileVersion", 1)
    parsed = Parsed(path, "npm", f"{Path(path).name} v{version}")
    lines = Lines(text)
    packages = data.get("packages")
    if isinstance(packages, dict) and packages:
        _lock_v2(parsed, lines, packages)
    else:
        deps = declared(folder)
        direct = set(deps[0]) | set(deps[1]) if deps else None
        _lock_v1(parsed, lines, _map(data.get("dependencies")), 1, direct, top=True)
    return parsed


def _lock_v2(parsed: Parsed, lines: Lines, packages: Mapping[str, Any]) -> None:
    root = _map(packages.get(""))
    direct = {n for key in (*_RUNTIME_FIELDS, "devDependencies") for n in _map(root.get(key))}
    for key, entry in packages.items():
        if not key or "node_modules/" not in key or not isinstance(entry, dict) or entry.get("link"):
            continue
        installed = key.rsplit("node_modules/", 1)[1]
        name = str(entry.get("name") or installed)
        line = lines.json_key(key)
        version = entry.get("version")
        if not isinstance(version, str):
            parsed.skip(name, str(entry.get("resolved") or "?"), line, "no version in the lockfile")
            continue
        parsed.add(
            name,
            version,
            line,
            direct=key == f"node_modules/{installed}" and installed in direct,
            development=bool(entry.get("dev")),
        )


def _lock_v1(
    parsed: Parsed, lines: Lines, deps: Mapping[str, Any], start: int, direct: set[str] | None, *, top: bool
) -> None:
    for name, entry in deps.items():
        if not isinstance(entry, dict):
            continue
        line = lines.find(f'"{name}": {{', start)
        version = str(entry.get("version") or "")
        real = name
        if version.startswith("npm:"):
            real, _, version = version[4:].rpartition("@")
        is_direct = (name in direct if direct is not None else None) if top else False
        parsed.add(real, version, line, direct=is_direct, development=bool(entry.get("dev")))
        _lock_v1(parsed, lines, _map(entry.get("dependencies")), line + 1, direct, top=False)


def parse_yarn_lock(path: str, text: str, folder: Path) -> Parsed:
    """yarn.lock, classic (v1) or berry (`__metadata`)."""
    berry = "__metadata:" in text
    parsed = Parsed(path, "npm", "yarn.lock berry" if berry else "yarn.lock classic")
    blocks = _yarn_blocks(text)
    if not blocks and text.strip() and not text.lstrip().startswith("#"):
        raise ParseError("no yarn.lock entries found")
    by_spec: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    for index, block in enumerate(blocks):
        for spec in block["specs"]:
            by_spec[spec] = index
        by_name.setdefault(block["name"], []).append(index)

    def resolve(name: str, range_: str) -> list[int]:
        for key in (f"{name}@{range_}", f"{name}@npm:{range_}"):
            if key in by_spec:
                return [by_spec[key]]
        return by_name.get(name, [])

    edges = {i: [t for n, r in b["deps"] for t in resolve(n, r)] for i, b in enumerate(blocks)}
    deps = declared(folder)
    scope: Scopes = UNKNOWN_SCOPES
    roots: set[int] = set()
    if deps is not None:
        runtime = [t for n, r in deps[0].items() for t in resolve(n, r)]
        dev = [t for n, r in deps[1].items() for t in resolve(n, r)]
        roots = set(runtime) | set(dev)
        scope = scopes(runtime, dev, edges)
    for index, block in enumerate(blocks):
        resolution = block.get("resolution", "")
        if any(p in resolution for p in ("@workspace:", "@patch:", "@link:", "@portal:")):
            continue
        version = block.get("version")
        if not version:
            parsed.skip(block["name"], ", ".join(block["specs"]), block["line"], "no version in yarn.lock")
            continue
        parsed.add(
            block["name"],
            version,
            block["line"],
            direct=(index in roots) if deps is not None else None,
            development=scope.is_development(index),
        )
    return parsed


def _yarn_blocks(text: str) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    section: str | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        line = raw.strip()
        if indent == 0:
            header = line.rstrip(":")
            specs = [s.strip().strip('"') for s in header.split(",") if s.strip()]
            if not specs or specs[0] == "__metadata":
                current = None
                continue
            name = _spec_name(specs[0])
            current = {"specs": specs, "name": name, "line": number, "deps": []}
            blocks.append(current)
            section = None
        elif current is not None and indent == 2:
            key, value = _yarn_pair(line)
            section = key if key in ("dependencies", "optionalDependencies") and not value else None
            if key == "version":
                current["version"] = value
            elif key == "resolution":
                current["resolution"] = value
        elif current is not None and indent >= 4 and section:
            key, value = _yarn_pair(line)
            if key and value:
                current["deps"].append((key, value))
    return blocks


def _yarn_pair(line: str) -> tuple[str, str]:
    if line.startswith('"'):
        end = line.find('"', 1)
        key, rest = line[1:end], line[end + 1 :]
    else:
        key, _, rest = line.partition(" ")
        if key.endswith(":"):
            key = key[:-1]
        elif ":" in key:
            key, _, more = key.partition(":")
            rest = more + " " + rest
    return key.rstrip(":"), rest.strip().lstrip(":").strip().strip('"')


def _spec_name(spec: str) -> str:
    at = spec.find("@", 1)
    return spec[:at] if at > 0 else spec


def parse_pnpm_lock(path: str, text: str, folder: Path) -> Parsed:
    """pnpm-lock.yaml, lockfile versions 5 to 9."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ParseError(f"not YAML ({str(exc).splitlines()[0]})") from exc
    if not isinstance(data, dict):
        raise ParseError("not a pnpm lockfile")
    raw_version = str(data.get("lockfileVersion", "5"))
    try:
        major = int(float(raw_version))
    except ValueError:
        major = 9
    parsed = Parsed(path, "npm", f"pnpm-lock.yaml v{raw_version}")
    lines = Lines(text)
    packages = _map(data.get("packages"))
    graph_source = _map(data.get("snapshots")) if major >= 9 else packages
    edges: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for key, entry in graph_source.items():
        node = _pnpm_key(str(key), major)
        if node is None or not isinstance(entry, dict):
            continue
        for field_name in ("dependencies", "optionalDependencies"):
            for dep, ref in _map(entry.get(field_name)).items():
                target = _pnpm_ref(str(dep), ref, major)
                if target is not None:
                    edges.setdefault(node, []).append(target)
    importers = _map(data.get("importers")) or {".": data}
    runtime: list[tuple[str, str]] = []
    dev: list[tuple[str, str]] = []
    for importer in importers.values():
        if not isinstance(importer, dict):
            continue
        for field_name, bucket in (*((f, runtime) for f in _RUNTIME_FIELDS), ("devDependencies", dev)):
            for dep, ref in _map(importer.get(field_name)).items():
                target = _pnpm_ref(str(dep), ref, major)
                if target is not None:
                    bucket.append(target)
    scope = scopes(runtime, dev, edges)
    roots = set(runtime) | set(dev)
    start = lines.find("packages:", default=1)
    for key, entry in packages.items():
        node = _pnpm_key(str(key), major)
        if node is None:
            continue
        name, version = node
        line = lines.yaml_key(str(key), start)
        flag = entry.get("dev") if isinstance(entry, dict) else None
        development = flag if isinstance(flag, bool) else scope.is_development(node)
        parsed.add(name, version, line, direct=node in roots, development=development)
    return parsed


def _pnpm_key(key: str, major: int) -> tuple[str, str] | None:
    text = key.lstrip("/")
    if major >= 6:
        text = text.split("(")[0]
        at = text.find("@", 1)
        if at <= 0:
            return None
        return text[:at], text[at + 1 :]
    if "/" not in text:
        return None
    name, _, version = text.rpartition("/")
    return name, version.split("_")[0]


def _pnpm_ref(name: str, ref: Any, major: int) -> tuple[str, str] | None:
    if isinstance(ref, dict):
        ref = ref.get("version")
    if not isinstance(ref, str | int | float) or str(ref).startswith(("link:", "file:", "workspace:")):
        return None
    text = str(ref)
    if text.startswith("/") or (major >= 9 and "@" in text.split("(")[0][1:]):
        return _pnpm_key(text, major)
    return name, text.split("(")[0].split("_")[0]


def parse_package_json(path: str, text: str, folder: Path) -> Parsed:
    """package.json without a lockfile: exact pins are checked, ranges are listed as not checked."""
    data = _json(text)
    parsed = Parsed(path, "npm", "package.json (no lockfile)", transitive_resolved=False)
    lines = Lines(text)
    for field_name in (*_RUNTIME_FIELDS, "devDependencies"):
        section = lines.find(f'"{field_name}"')
        for name, spec in _str_map(data.get(field_name)).items():
            line = lines.find(f'"{name}"', section)
            if _EXACT.match(spec.strip()):
                parsed.add(
                    name,
                    spec.strip().lstrip("v"),
                    line,
                    direct=True,
                    development=field_name == "devDependencies",
                )
            else:
                parsed.skip(name, spec, line, "range without a lockfile: the installed version is unknown")
    return parsed


def _json(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ParseError(f"not JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise ParseError("not a JSON object")
    return data


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str_map(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}
