"""Building code facts: the rule's requirement, a masked one-line snippet."""

from __future__ import annotations

import re

from connectsec.catalog.rules_code import CODE_RULES
from connectsec.model.source import CodeFact

_REQUIREMENT = {rule.id: rule.requirement for rule in CODE_RULES}
_LITERAL = re.compile(r"""(["'`])([^"'`\s]{8,})\1""")
_SNIPPET_CHARS = 160


def mask(value: str) -> str:
    """The redacted preview of a possibly secret value: first 4 characters, `…`, the length."""
    return f"{value[:4]}…({len(value)})"


def _mask_literal(match: re.Match[str]) -> str:
    quote, value = match.group(1), match.group(2)
    letters, digits = any(c.isalpha() for c in value), any(c.isdigit() for c in value)
    mixed_case = any(c.islower() for c in value) and any(c.isupper() for c in value)
    looks_secret = len(value) >= 12 and ((letters and digits) or (len(value) >= 20 and mixed_case))
    if not looks_secret or value.startswith(("http://", "https://", "/")):
        return match.group(0)
    return f"{quote}{mask(value)}{quote}"


def snippet(line: str) -> str:
    """A source line for a finding: trimmed, long literals masked, cut to a readable length."""
    text = _LITERAL.sub(_mask_literal, line.strip())
    return text if len(text) <= _SNIPPET_CHARS else text[: _SNIPPET_CHARS - 1] + "…"


def fact(rule: str, path: str, line: int, detail: str, source_line: str = "") -> CodeFact:
    """A fact of a catalogued rule (KeyError for an unknown rule: a bug)."""
    return CodeFact(rule, _REQUIREMENT[rule], path, line, detail, snippet(source_line))


def line_at(text: str, offset: int) -> int:
    """The 1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1


def line_text(text: str, line: int) -> str:
    """The text of a 1-based line ('' when out of range)."""
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""
