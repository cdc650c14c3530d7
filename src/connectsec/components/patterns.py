"""Retire.js extractor regexes (JavaScript syntax) as Python patterns that yield versions."""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSION_PLACEHOLDER = "§§version§§"
VERSION_PATTERN = r"[0-9][0-9.a-z_\-]+"
"""What Retire.js substitutes for `§§version§§` before compiling an extractor."""

_JS_NAMED_GROUP = re.compile(r"\(\?<([A-Za-z_][A-Za-z0-9_]*)>")
_LOOKBEHIND = re.compile(r"\(\?<([=!])((?:\\.|[^()\\])*)\)")
_MIN_SUFFIX = re.compile(r"(\.|-)min$")
_JS_REPLACEMENT = re.compile(r"\$(\$|&|[0-9]{1,2})")
_REPLACE_EXTRACTOR = re.compile(r"^/(.*[^\\])/([^/]+)/$", re.DOTALL)
_MARK = "_connectsec_lb"
_LOOKBEHIND_WINDOW = 1000
_GAP = 1000
"""Unbounded gaps (`.*`, `[\\s\\S]*`) in content extractors match at most this many characters."""
_LINES = 100
"""`(.*\\n)*` in content extractors spans at most this many lines."""
_UNBOUNDED_GAP = re.compile(r"(?<!\\)(\.|\[\\s\\S\])\*")
_UNBOUNDED_LINES = (re.compile(r"(?<=\n\))\*"), re.compile(r"(?<=\\n\))\*"))
_ESCAPED_LITERAL = frozenset("./\\-()[]{}*+?|^$:=\"'<>!@#%&,;~` ")
_SPECIAL = frozenset(".^$*+?{}[]()|\\")
_QUANTIFIERS = frozenset("*+?{")


class PatternError(ValueError):
    """An extractor Python cannot run (the reason is the message)."""


@dataclass(frozen=True)
class _Lookbehind:
    group: str
    pattern: re.Pattern[str]
    negative: bool


@dataclass(frozen=True)
class VersionPattern:
    """One extractor: finds every version it names in a text, as Retire.js's `scan` does."""

    source: str
    """The extractor as written in the repository."""
    regex: re.Pattern[str]
    replacement: str | None = None
    """`filecontentreplace`: the JavaScript replacement template (`$1.$2`) that builds the version."""
    lookbehinds: tuple[_Lookbehind, ...] = ()
    groups: tuple[int, ...] = ()
    """Python group numbers of the JavaScript groups (markers for rewritten lookbehinds skipped)."""
    literal: str = ""
    """A text every match contains (the longest one known): absent from a text, the regex is not run."""

    def versions(self, text: str) -> list[str]:
        """Every version found in `text`, in order, `.min`/`-min` suffixes dropped."""
        found: list[str] = []
        if self.literal and self.literal not in text:
            return found
        for match in self.regex.finditer(text):
            if not all(self._holds(lb, match, text) for lb in self.lookbehinds):
                continue
            if self.replacement is not None:
                version = self.regex.sub(lambda m: self._expand(m), match.group(0), count=1)
            elif self.groups:
                version = match.group(self.groups[0]) or ""
            else:
                continue  # no group: the extractor names no version ("dont check" entries)
            if version:
                found.append(_MIN_SUFFIX.sub("", version))
        return found

    @staticmethod
    def _holds(lookbehind: _Lookbehind, match: re.Match[str], text: str) -> bool:
        at = match.start(lookbehind.group)
        hit = lookbehind.pattern.search(text, max(0, at - _LOOKBEHIND_WINDOW), at) is not None
        return hit != lookbehind.negative

    def _expand(self, match: re.Match[str]) -> str:
        """JavaScript `String.replace` template expansion ($n, $&, $$)."""
        template = self.replacement or ""

        def one(token: re.Match[str]) -> str:
            name = token.group(1)
            if name == "$":
                return "$"
            if name == "&":
                return match.group(0)
            number = int(name)
            if number == 0 or number > len(self.groups):
                return token.group(0)
            return match.group(self.groups[number - 1]) or ""

        return _JS_REPLACEMENT.sub(one, template)


def compile_extractor(
    source: str, *, anchored: bool = False, replace: bool = False, content: bool = False
) -> VersionPattern:
    """The extractor with `§§version§§` filled in; PatternError when Python cannot run it.

    `anchored` wraps it in `^…$` (Retire.js matches `filename` extractors against the whole name);
    `replace` reads the `/regex/replacement/` form of `filecontentreplace`. With `content`, unbounded
    gaps are bounded (1000 characters, 100 lines), so that a crafted 2 MB script costs seconds, not
    hours, of backtracking. Lookbehinds of variable width, which JavaScript allows and Python does
    not, become a check at the same position after the match (within 1000 characters); unlike
    JavaScript, a failed check does not make the engine backtrack into another match.
    """
    text = source.replace(VERSION_PLACEHOLDER, VERSION_PATTERN)
    replacement: str | None = None
    if replace:
        parts = _REPLACE_EXTRACTOR.match(text)
        if parts is None:
            raise PatternError("not of the form /regex/replacement/")
        text, replacement = parts.group(1), parts.group(2)
    text = _JS_NAMED_GROUP.sub(r"(?P<\1>", text)
    if content:
        text = _UNBOUNDED_GAP.sub(f"\\1{{0,{_GAP}}}", text)
        for lines in _UNBOUNDED_LINES:
            text = lines.sub(f"{{0,{_LINES}}}", text)
    literal = required_literal(text)
    if anchored:
        text = f"^{text}$"
    lookbehinds: list[_Lookbehind] = []
    try:
        regex = re.compile(text)
    except re.error as first:
        text, lookbehinds = _rewrite_lookbehinds(text)
        if not lookbehinds:
            raise PatternError(str(first)) from None
        try:
            regex = re.compile(text)
        except re.error as exc:
            raise PatternError(str(exc)) from None
    marks = {regex.groupindex[lb.group] for lb in lookbehinds}
    groups = tuple(i for i in range(1, regex.groups + 1) if i not in marks)
    return VersionPattern(source, regex, replacement, tuple(lookbehinds), groups, literal)


def required_literal(pattern: str) -> str:
    """The longest plain text outside groups and classes that every match of `pattern` contains.

    Conservative: '' when the pattern has a top-level alternative or flags, or no such text.
    """
    runs: list[str] = []
    run: list[str] = []
    depth, index, size = 0, 0, len(pattern)
    while index < size:
        char = pattern[index]
        token: str | None = None
        step = 1
        if char == "\\" and index + 1 < size:
            step = 2
            token = pattern[index + 1] if pattern[index + 1] in _ESCAPED_LITERAL else None
            while token is None and index + step < size and pattern[index + step].isalnum():
                step += 1  # \x41, \u00e9, \12: never read their digits as text
        elif char == "[":
            step = _class_end(pattern, index) - index
        elif char == "{":
            end = pattern.find("}", index)
            step = end + 1 - index if end > index else 1
        elif char == "(":
            if (
                pattern.startswith("(?", index)
                and depth == 0
                and not pattern.startswith(("(?:", "(?P", "(?="), index)
            ):
                return ""
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == "|" and depth == 0:
            return ""
        elif char not in _SPECIAL:
            token = char
        quantified = index + step < size and pattern[index + step] in _QUANTIFIERS
        if token is not None and depth == 0 and not quantified:
            run.append(token)
        else:
            runs.append("".join(run))
            run = []
        index += step
    runs.append("".join(run))
    return max(runs, key=len)


def _class_end(pattern: str, start: int) -> int:
    """The index after the character class opening at `start`."""
    index = start + 1
    if index < len(pattern) and pattern[index] == "^":
        index += 1
    if index < len(pattern) and pattern[index] == "]":
        index += 1
    while index < len(pattern) and pattern[index] != "]":
        index += 2 if pattern[index] == "\\" else 1
    return index + 1


def _rewrite_lookbehinds(text: str) -> tuple[str, list[_Lookbehind]]:
    found: list[_Lookbehind] = []

    def mark(match: re.Match[str]) -> str:
        name = f"{_MARK}{len(found)}"
        try:
            inner = re.compile(f"(?:{match.group(2)})\\Z")
        except re.error:
            return match.group(0)
        found.append(_Lookbehind(name, inner, match.group(1) == "!"))
        return f"(?P<{name}>)"

    return _LOOKBEHIND.sub(mark, text), found
