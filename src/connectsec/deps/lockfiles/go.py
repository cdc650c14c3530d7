"""Go modules: go.mod (requirements, `// indirect`, replace directives), go.sum without go.mod."""

from __future__ import annotations

from pathlib import Path

from connectsec.deps.lockfiles.common import Parsed


def parse_go_mod(path: str, text: str, folder: Path) -> Parsed:
    """Every required module at its exact version; local replacements are listed as not checked."""
    parsed = Parsed(path, "Go", "go.mod")
    requires: list[tuple[str, str, int, bool]] = []
    replaces: dict[str, tuple[str, str]] = {}
    block: str | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        code, _, comment = raw.partition("//")
        words = code.split()
        if not words:
            continue
        if words[-1] == "(" and len(words) == 2:
            block = words[0]
            continue
        if words == [")"]:
            block = None
            continue
        verb = block
        if block is None:
            verb, words = words[0], words[1:]
        if verb == "require" and len(words) >= 2:
            requires.append((words[0], words[1], number, "indirect" not in comment))
        elif verb == "replace" and "=>" in words:
            arrow = words.index("=>")
            after = words[arrow + 1 :]
            replaces[words[0]] = (after[0], after[1] if len(after) > 1 else "")
    for module, version, number, direct in requires:
        if module in replaces:
            target, target_version = replaces[module]
            if not target_version:
                parsed.skip(module, target, number, "replaced by a local directory")
                continue
            module, version = target, target_version
        parsed.add(module, version.removeprefix("v"), number, direct=direct, development=False)
    return parsed


def parse_go_sum(path: str, text: str, folder: Path) -> Parsed:
    """go.sum alone (no go.mod beside it): every module version it hashes."""
    parsed = Parsed(path, "Go", "go.sum")
    seen: set[tuple[str, str]] = set()
    for number, raw in enumerate(text.splitlines(), 1):
        words = raw.split()
        if len(words) < 3:
            continue
        module, version = words[0], words[1].removesuffix("/go.mod")
        if (module, version) not in seen:
            seen.add((module, version))
            parsed.add(module, version.removeprefix("v"), number, direct=None, development=False)
    return parsed
