"""Plausible values for Connect URL context variables (`{issue.key}`, `${page.id}`, `{condition.x}`)."""

from __future__ import annotations

import re
from urllib.parse import quote

_VARIABLE = re.compile(r"\$?\{\s*([A-Za-z0-9_.\-]+)\s*\}")

_KNOWN: dict[str, str] = {
    "issue.key": "DEMO-1",
    "project.key": "DEMO",
    "space.key": "DEMO",
    "user.accountid": "5b10a2844c20165700ede21g",
    "user.accountId".lower(): "5b10a2844c20165700ede21g",
    "user.key": "admin",
    "user.name": "admin",
    "timezone": "UTC",
    "locale": "en-US",
    "lic": "active",
    "xdm_e": "https://connectsec-test.atlassian.net",
    "cp": "/wiki",
    "page.type": "page",
    "content.type": "page",
    "content.plugin": "page",
    "issuetype.name": "Task",
    "board.type": "scrum",
    "board.screen": "work",
    "servicedesk.requesttypename": "Request",
}


def plausible_value(name: str) -> str:
    """A value a real product would put in this variable."""
    lower = name.lower()
    if lower in _KNOWN:
        return _KNOWN[lower]
    if lower.startswith("condition."):
        return "true"
    leaf = lower.rsplit(".", 1)[-1]
    if leaf in {"id", "version"} or leaf.endswith("id"):
        return "10000"
    if leaf in {"key"}:
        return "DEMO"
    if leaf in {"title", "name"}:
        return "Demo"
    if leaf in {"url", "baseurl"}:
        return "https://connectsec-test.atlassian.net"
    return "demo"


def fill(template: str) -> str:
    """Replace every `{var}` / `${var}` with a URL-encoded plausible value."""
    return _VARIABLE.sub(lambda m: quote(plausible_value(m.group(1)), safe=""), template)


def has_variables(template: str) -> bool:
    """Whether the URL uses context variables."""
    return _VARIABLE.search(template) is not None
