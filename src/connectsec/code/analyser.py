"""What the pattern-based analysers (JavaScript, JVM) share: facts by line, and basic auth from input."""

from __future__ import annotations

import re

from connectsec.code.facts import fact, line_text
from connectsec.code.lexical import line_of
from connectsec.model.source import CodeFact


class PatternAnalyser:
    """One file's text, its code view (comments and string contents blanked), and the facts found."""

    def __init__(self, rel: str, text: str, code: str) -> None:
        self.rel, self.text, self.code = rel, text, code
        self.facts: dict[tuple[str, int], CodeFact] = {}

    def add(self, rule: str, offset: int, detail: str) -> None:
        """One fact per rule and line."""
        line = line_of(self.text, offset)
        self.facts.setdefault((rule, line), fact(rule, self.rel, line, detail, line_text(self.text, line)))

    def basic_auth_from_input(
        self, basic_auth: re.Pattern[str], user_input: re.Pattern[str], window: int, detail: str
    ) -> None:
        """`code.atlassian-basic-auth` where basic auth is built within `window` lines of user input."""
        lines = self.code.splitlines()
        for match in basic_auth.finditer(self.text):
            if self.code[match.start()] == " ":
                continue  # inside a comment or string
            line = line_of(self.text, match.start())
            nearby = "\n".join(lines[max(0, line - 1 - window) : line + window])
            if user_input.search(nearby):
                self.add("code.atlassian-basic-auth", match.start(), detail)
