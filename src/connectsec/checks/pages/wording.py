"""R10's reading of words: does a field, a form or a string ask for Atlassian credentials?"""

from __future__ import annotations

import re
from collections.abc import Iterable

from connectsec.html.page import Form, Input

_PRODUCT = r"(?:atlassian|jira|confluence|bitbucket|opsgenie|statuspage)"
_CREDENTIAL = (
    r"(?:password|passwort|passphrase|pwd|e ?mail|user ?name|login|log ?in|sign ?in|account|"
    r"credentials?|api ?token|access ?token|personal ?token|token)"
)
_GAP = r"(?:\W+\w+){0,3}?\W+"
ATLASSIAN_CREDENTIAL = re.compile(
    rf"\b{_PRODUCT}s?\b{_GAP}{_CREDENTIAL}s?\b|\b{_CREDENTIAL}s?\b{_GAP}(?<!for ){_PRODUCT}\b"
    r"|atlassian\.(?:net|com)\b",
    re.IGNORECASE,
)
"""An Atlassian product named within a few words of a credential, or an Atlassian site address.

`Sign in to Acme for Jira` names the app, not whose account it is (`for` right before the product).
"""
_TOKEN = re.compile(
    r"\b(?:api ?token|api ?key|access ?token|personal ?(?:access ?)?token)s?\b", re.IGNORECASE
)
_EMAIL = re.compile(r"\be ?mail\b", re.IGNORECASE)
_SECRET_WORD = re.compile(r"\b(?:password|passwort|api ?token)\b", re.IGNORECASE)
API_TOKEN_PAGE = re.compile(r"id\.atlassian\.com/manage(?:-profile/security)?/api-tokens", re.IGNORECASE)
"""Where Atlassian users create API tokens: pointing users there means asking for one."""
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_STRING_LITERAL = re.compile(r"""(["'`])([^"'`\n\\]{4,160})\1""")
_TEXT_TYPES = frozenset({"text", "password", "email", "textarea", "search", "tel", "url"})


def words(*parts: str | None) -> str:
    """Identifiers and labels as plain words: `jiraApiToken` and `jira_api_token` read `jira api token`."""
    joined = " ".join(p for p in parts if p)
    return re.sub(r"[_\-.\[\]]+", " ", _CAMEL.sub(" ", joined)).lower()


def field_words(field: Input) -> str:
    """What the user reads about a control, and what its author named it."""
    return words(field.label_text, field.placeholder, field.name, field.id, field.autocomplete)


def asks_for_token(field: Input) -> bool:
    """Whether the control asks for an API or access token."""
    return field.type in _TEXT_TYPES and _TOKEN.search(field_words(field)) is not None


def asks_for_email(field: Input) -> bool:
    """Whether the control asks for an email address."""
    return field.type == "email" or (field.type == "text" and _EMAIL.search(field_words(field)) is not None)


def takes_text(field: Input) -> bool:
    """Whether the user can type a value into the control."""
    return field.type in _TEXT_TYPES


def atlassian_wording(texts: Iterable[str]) -> str | None:
    """The first phrase in `texts` that asks for Atlassian credentials, or None."""
    for text in texts:
        plain = words(text)
        match = ATLASSIAN_CREDENTIAL.search(plain) or ATLASSIAN_CREDENTIAL.search(text)
        if match is not None:
            return match.group(0)
    return None


def form_texts(form: Form) -> list[str]:
    """Every text of a form that could name whose credentials it asks for (the raw text, not words)."""
    texts = [form.text]
    for field in form.inputs:
        texts += [p for p in (field.label_text, field.placeholder, field.name, field.id) if p]
    return texts


def script_wording(code: str) -> str | None:
    """A string literal in a script that asks for an Atlassian password or API token, or None."""
    for match in _STRING_LITERAL.finditer(code):
        literal = match.group(2)
        plain = words(literal)
        if _SECRET_WORD.search(plain) and ATLASSIAN_CREDENTIAL.search(plain):
            return literal
    return None
