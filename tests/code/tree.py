"""Real source trees on disk for the code-scan tests; seeded lines carry a `SEED: <rule>` marker."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from connectsec.model.source import CodeScan

_SEED = re.compile(r"SEED:\s*([\w.-]+)")


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write files (dedented) under root; returns root."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), "utf-8")
    return root


def seeded(root: Path) -> set[tuple[str, str]]:
    """(rule, path:line) of every `SEED:` marker under root."""
    found = set()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
                for match in _SEED.finditer(line):
                    found.add((match.group(1), f"{path.relative_to(root).as_posix()}:{number}"))
    return found


def facts(scan: CodeScan) -> set[tuple[str, str]]:
    """(rule, path:line) of every fact of a scan."""
    assert scan.error is None, scan.error
    return {(f.rule, f.location) for f in scan.facts}
