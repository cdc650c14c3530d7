"""Reading rendered Markdown back with a real CommonMark + GFM-table parser (markdown-it-py)."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

_PARSER = MarkdownIt("commonmark").enable("table")


def tokens(text: str) -> list[Token]:
    """Block tokens of the document."""
    return _PARSER.parse(text)


def table_shapes(text: str) -> list[list[int]]:
    """For every table, the number of cells of each row."""
    shapes: list[list[int]] = []
    cells = 0
    for token in tokens(text):
        if token.type == "table_open":
            shapes.append([])
        elif token.type == "tr_open":
            cells = 0
        elif token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "tr_close":
            shapes[-1].append(cells)
    return shapes


def html_blocks(text: str) -> list[str]:
    """The raw HTML blocks, stripped (the renderer's own `<details>` wrappers)."""
    return [t.content.strip() for t in tokens(text) if t.type == "html_block"]


def structure(text: str) -> list[str]:
    """Block token types outside tables and inline content, for comparing document shapes."""
    return [t.type for t in tokens(text) if t.type.endswith("_open") or t.type in ("fence", "html_block")]


def to_html(text: str) -> str:
    """The document rendered to HTML."""
    html: str = _PARSER.render(text)
    return html
