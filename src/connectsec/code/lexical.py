"""A code view of C-like sources: comments and string contents blanked, offsets and lines kept."""

from __future__ import annotations

import re
from collections.abc import Callable

_SECRET_IDENT = re.compile(r"shared_?secret", re.IGNORECASE)
_SECRET_KEY = re.compile(
    r"""(\[\s*|\.get\(\s*|getattr\([^,)]*,\s*|\.pop\(\s*)['"`]shared_?secret['"`]|['"]shared_?secret['"]\s*:""",
    re.IGNORECASE,
)


def code_view(text: str, *, templates: bool = True, kotlin: bool = False) -> str:
    """The text with comments and string literal contents replaced by spaces (newlines kept).

    `${…}` inside template literals (JavaScript backticks, Kotlin strings) stays code, so names used in
    interpolations are seen; quotes themselves stay so literals remain visible as `"   "`.
    """
    out = list(text)
    i, n = 0, len(text)

    def blank(start: int, end: int) -> None:
        for k in range(start, min(end, n)):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = text[i]
        if c == "/" and i + 1 < n and text[i + 1] == "/":
            end = text.find("\n", i)
            end = n if end < 0 else end
            blank(i, end)
            i = end
        elif c == "/" and i + 1 < n and text[i + 1] == "*":
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            blank(i, end)
            i = end
        elif c in "\"'`":
            i = _string(text, i, blank, interpolate=(c == "`" and templates) or (c == '"' and kotlin))
        else:
            i += 1
    return "".join(out)


def _string(text: str, start: int, blank: Callable[[int, int], None], *, interpolate: bool) -> int:
    """Blank one literal's contents; returns the offset after its closing quote."""
    quote, i, n = text[start], start + 1, len(text)
    segment = i
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == quote:
            blank(segment, i)
            return i + 1
        if c == "\n" and quote != "`":
            blank(segment, i)
            return i
        if interpolate and c == "$" and i + 1 < n and text[i + 1] == "{":
            blank(segment, i)
            depth, i = 0, i + 1
            while i < n:
                if text[i] == "{":
                    depth += 1
                elif text[i] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                i += 1
            segment = i + 1
        i += 1
    blank(segment, n)
    return n


def balanced_end(code: str, open_at: int) -> int:
    """The offset just after the bracket matching the one at `open_at` (end of text when unbalanced)."""
    pairs = {"(": ")", "{": "}", "[": "]"}
    stack: list[str] = []
    for i in range(open_at, len(code)):
        c = code[i]
        if c in pairs:
            stack.append(pairs[c])
        elif stack and c == stack[-1]:
            stack.pop()
            if not stack:
                return i + 1
    return len(code)


def mentions_secret(raw: str, code: str) -> bool:
    """Whether a span (raw text and its code view) uses the sharedSecret: an identifier or a key lookup."""
    return bool(_SECRET_IDENT.search(code) or _SECRET_KEY.search(raw))


def line_of(text: str, offset: int) -> int:
    """1-based line of an offset."""
    return text.count("\n", 0, offset) + 1
