"""Building code facts: the rule's requirement, a masked one-line snippet."""

from __future__ import annotations

import re

from connectsec.catalog.rules_code import CODE_RULES
from connectsec.code.patterns import SECRET_NAME
from connectsec.model.source import CodeFact

_REQUIREMENT = {rule.id: rule.requirement for rule in CODE_RULES}
_LITERAL = re.compile(r"""(["'`])([^"'`\s]{8,})\1""")
_TOKEN = re.compile(r"(?<![\w/+=~-])[\w+/=~-]{12,}")
"""A run of token characters (no dots: `a.b.c` chains stay readable) that may be a secret value."""
_SNIPPET_CHARS = 160


def mask(value: str) -> str:
    """The redacted preview of a possibly secret value: first 4 characters, `…`, the length."""
    return f"{value[:4]}…({len(value)})"


def _looks_secret(value: str) -> bool:
    letters, digits = any(c.isalpha() for c in value), any(c.isdigit() for c in value)
    return len(value) >= 12 and letters and digits and not value.startswith(("http://", "https://", "/"))


def snippet(line: str) -> str:
    """A source line for a finding: trimmed, long literals masked, cut to a readable length.

    On a line that names the sharedSecret every literal of 8+ characters is masked (it may be the value).
    """
    secret_line = bool(SECRET_NAME.search(line))

    def masked(match: re.Match[str]) -> str:
        quote, value = match.group(1), match.group(2)
        hide = (secret_line and not SECRET_NAME.fullmatch(value)) or _looks_secret(value)
        return f"{quote}{mask(value)}{quote}" if hide else match.group(0)

    text = _LITERAL.sub(masked, line.strip())
    text = _TOKEN.sub(lambda m: mask(m.group(0)) if _looks_secret(m.group(0)) else m.group(0), text)
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
