"""Evidence for findings: the headers that matter and a redacted curl to reproduce."""

from __future__ import annotations

import shlex

from connectsec.model import Evidence, HttpExchange, HttpResponse
from connectsec.redact import Redactor

_DEFAULT_REDACTOR = Redactor()
EXCERPT_CHARS = 300


def curl_command(method: str, url: str, headers: tuple[tuple[str, str], ...], redactor: Redactor) -> str:
    """A copy-pasteable curl that sends the same request, credentials masked."""
    parts = ["curl", "-sS", "-D", "-", "-o", "/dev/null"]
    if method.upper() != "GET":
        parts += ["-X", method.upper()]
    for name, value in headers:
        parts += ["-H", f"{name}: {redactor.header(name, value)}"]
    parts.append(redactor.url(url))
    return shlex.join(parts)


def evidence_for(
    exchange: HttpExchange,
    response: HttpResponse,
    header_names: tuple[str, ...],
    excerpt: str | None = None,
    redactor: Redactor = _DEFAULT_REDACTOR,
) -> Evidence:
    """Evidence of one response: status, the named headers (all repeats), a redacted curl."""
    wanted = {h.lower() for h in header_names}
    headers = tuple((k, redactor.header(k, v)) for k, v in response.headers if k in wanted)
    method = exchange.request.method if response is exchange.hops[0] else "GET"
    request_headers = exchange.request.headers if response is exchange.hops[0] else ()
    if excerpt is not None:
        excerpt = redactor.text(excerpt[:EXCERPT_CHARS])
    return Evidence(
        method=method,
        url=redactor.url(response.url),
        status=response.status,
        headers=headers,
        excerpt=excerpt,
        curl=curl_command(method, response.url, request_headers, redactor),
    )
