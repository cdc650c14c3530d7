"""Packagist: composer.lock (`packages` runtime, `packages-dev` development)."""

from __future__ import annotations

import json
from pathlib import Path

from connectsec.deps.lockfiles.common import Lines, Parsed, ParseError


def parse_composer_lock(path: str, text: str, folder: Path) -> Parsed:
    """composer.lock; direct names from composer.json beside it."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ParseError(f"not JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise ParseError("not a JSON object")
    parsed = Parsed(path, "Packagist", "composer.lock")
    direct: set[str] | None = None
    try:
        manifest = json.loads((folder / "composer.json").read_text("utf-8"))
        direct = {n.lower() for key in ("require", "require-dev") for n in (manifest.get(key) or {})}
    except (OSError, ValueError, AttributeError, TypeError):
        direct = None
    lines = Lines(text)
    for section in ("packages", "packages-dev"):
        cursor = lines.find(f'"{section}"')
        packages = data.get(section)
        for package in packages if isinstance(packages, list) else ():
            if not isinstance(package, dict):
                continue
            name, version = str(package.get("name", "")), str(package.get("version", ""))
            line = lines.find(f'"name": "{name}"', cursor)
            cursor = line
            if version.startswith("dev-") or version.endswith("-dev"):
                parsed.skip(name, version, line, "development branch, not a release")
                continue
            parsed.add(
                name,
                version.removeprefix("v"),
                line,
                direct=(name.lower() in direct) if direct is not None else None,
                development=section == "packages-dev",
            )
    return parsed
