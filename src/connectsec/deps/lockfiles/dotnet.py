"""NuGet: packages.lock.json (Direct, Transitive and CentralTransitive entries per target framework)."""

from __future__ import annotations

import json
from pathlib import Path

from connectsec.deps.lockfiles.common import Lines, Parsed, ParseError


def parse_packages_lock(path: str, text: str, folder: Path) -> Parsed:
    """Every resolved package once per name and version; project references are skipped."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ParseError(f"not JSON ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("dependencies"), dict):
        raise ParseError("no `dependencies` object")
    parsed = Parsed(path, "NuGet", "packages.lock.json")
    lines = Lines(text)
    seen: set[tuple[str, str]] = set()
    for framework, packages in data["dependencies"].items():
        if not isinstance(packages, dict):
            continue
        start = lines.find(f'"{framework}"')
        for name, entry in packages.items():
            if not isinstance(entry, dict) or entry.get("type") == "Project":
                continue
            version = str(entry.get("resolved", ""))
            if (name.lower(), version) in seen:
                continue
            seen.add((name.lower(), version))
            line = lines.find(f'"{name}"', start)
            parsed.add(name, version, line, direct=entry.get("type") == "Direct", development=False)
    return parsed
