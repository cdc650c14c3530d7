"""RubyGems: Gemfile.lock, with development/test groups read from the Gemfile."""

from __future__ import annotations

import re
from pathlib import Path

from connectsec.deps.lockfiles.common import UNKNOWN_SCOPES, Parsed, ParseError, scopes

_SPEC = re.compile(r"^    ([^\s(]+) \(([^)]+)\)$")
_DEP = re.compile(r"^      ([^\s(]+)")
_GEM = re.compile(r"""^\s*gem\s+['"]([^'"]+)['"](.*)$""")
_GROUP = re.compile(r"^\s*group\s+(.+?)\s+do\b")
_DEV_GROUPS = {"development", "test"}
_PLATFORM = re.compile(r"-(x86|x64|arm|aarch|universal|java|mswin|mingw|darwin|linux|musl)[\w.-]*$")


def parse_gemfile_lock(path: str, text: str, folder: Path) -> Parsed:
    """Specs under GEM/GIT/PATH sections; the DEPENDENCIES section names the direct gems."""
    parsed = Parsed(path, "RubyGems", "Gemfile.lock")
    specs: dict[str, tuple[str, int]] = {}
    edges: dict[str, list[str]] = {}
    direct: set[str] = set()
    section, current = "", ""
    for number, raw in enumerate(text.splitlines(), 1):
        if raw and not raw.startswith(" "):
            section = raw.strip()
            continue
        if section in ("GEM", "GIT", "PATH"):
            spec = _SPEC.match(raw)
            if spec:
                current = spec.group(1)
                specs.setdefault(current, (_PLATFORM.sub("", spec.group(2)), number))
                continue
            dep = _DEP.match(raw)
            if dep and current:
                edges.setdefault(current, []).append(dep.group(1))
        elif section == "DEPENDENCIES" and raw.startswith("  ") and raw.strip():
            direct.add(raw.split()[0].rstrip("!"))
    if not specs and "GEM" not in text:
        raise ParseError("no GEM section")
    groups = _gemfile_groups(folder / "Gemfile")
    if groups is not None:
        runtime = [g for g in direct if not groups.get(g, set()) or not groups[g] <= _DEV_GROUPS]
        dev = [g for g in direct if groups.get(g) and groups[g] <= _DEV_GROUPS]
        scope = scopes(runtime, dev, edges)
    else:
        scope = UNKNOWN_SCOPES
    for name, (version, number) in specs.items():
        parsed.add(name, version, number, direct=name in direct, development=scope.is_development(name))
    return parsed


def _gemfile_groups(path: Path) -> dict[str, set[str]] | None:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    groups: dict[str, set[str]] = {}
    stack: list[set[str]] = []
    for raw in text.splitlines():
        group = _GROUP.match(raw)
        if group:
            stack.append(set(re.findall(r":(\w+)", group.group(1))))
            continue
        if raw.strip() == "end" and stack:
            stack.pop()
            continue
        gem = _GEM.match(raw)
        if gem:
            inline = set(re.findall(r"group[s]?:\s*\[?([^\]]+)", gem.group(2)))
            named = {g for chunk in inline for g in re.findall(r":(\w+)", chunk)}
            current = set().union(*stack) if stack else set()
            groups[gem.group(1)] = current | named
    return groups
