"""Server-side page templates (Handlebars, Jinja, EJS, Pug …): the sharedSecret rendered into a page."""

from __future__ import annotations

import re

from connectsec.code.facts import fact, line_text
from connectsec.code.lexical import line_of
from connectsec.code.patterns import SECRET_NAME
from connectsec.model.source import CodeFact

_COMMENTS = re.compile(r"<!--.*?-->|\{\{!--.*?--\}\}|\{\{!.*?\}\}|\{#.*?#\}|<%--.*?--%>", re.DOTALL)


def analyse_template(rel: str, text: str) -> list[CodeFact]:
    """Every use of a sharedSecret name outside template and HTML comments."""
    visible = _COMMENTS.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    lines: dict[int, CodeFact] = {}
    for match in SECRET_NAME.finditer(visible):
        line = line_of(text, match.start())
        lines.setdefault(
            line,
            fact(
                "code.shared-secret-client-side",
                rel,
                line,
                "A page template uses the sharedSecret: it is rendered into the page the browser gets.",
                line_text(text, line),
            ),
        )
    return list(lines.values())
