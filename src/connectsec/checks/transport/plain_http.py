"""R1.1: plain http on port 80 must redirect to https or not answer at all."""

from __future__ import annotations

import shlex
from urllib.parse import urljoin, urlsplit

from connectsec.catalog.rules import make_finding
from connectsec.model import CheckResult, Coverage, Evidence, Finding, HttpExchange, Observations

PURPOSE = "plain-http"
_REFUSALS = (
    "refused",
    "errno 111",
    "errno 61",
    "errno 10061",
    "reset by peer",
    "errno 104",
    "errno 54",
    "disconnected without sending a response",
)
"""Error texts that mean the server turned the connection down rather than failing to be reached."""


def _evidence(exchange: HttpExchange) -> Evidence:
    url = exchange.request.url
    hop = exchange.hops[0] if exchange.hops else None
    headers = tuple((k, v) for k, v in hop.headers if k in ("location", "content-type")) if hop else ()
    excerpt = hop.body[:200].decode("utf-8", "replace") if hop and hop.body else exchange.error
    return Evidence(
        method="GET",
        url=url,
        status=hop.status if hop else None,
        headers=headers,
        excerpt=excerpt,
        curl=f"curl -sS -o /dev/null -D - {shlex.quote(url)}",
    )


def _refused(error: str) -> bool:
    text = error.lower()
    return any(marker in text for marker in _REFUSALS)


class PlainHttpCheck:
    """R1.1: `GET http://host/` redirects to https, or the connection is refused."""

    requirement = "R1.1"
    needs: frozenset[str] = frozenset({"plain-http"})

    def judge(self, observations: Observations) -> CheckResult:
        """Judge the first answer to each plain-http request."""
        findings: list[Finding] = []
        errors: list[str] = []
        notes: list[str] = []
        tested = 0
        exchanges = [x for x in observations.plain_http if x.request.purpose == PURPOSE] or list(
            observations.plain_http
        )
        for exchange in exchanges:
            url = exchange.request.url
            if not exchange.hops:
                error = exchange.error or "no response"
                if _refused(error):
                    tested += 1
                    notes.append(f"{url}: plain http refused ({error})")
                else:
                    errors.append(f"{url}: {error}")
                continue
            tested += 1
            first = exchange.hops[0]
            location = first.header("location") if 300 <= first.status < 400 else None
            if location is None:
                findings.append(
                    make_finding(
                        "tls.plain-http-content",
                        url,
                        f"Plain http answered HTTP {first.status} with content, not a redirect to https.",
                        (_evidence(exchange),),
                    )
                )
                continue
            target = urljoin(url, location.strip())
            if urlsplit(target).scheme.lower() == "https":
                notes.append(f"{url}: redirects to {target}")
                continue
            findings.append(
                make_finding(
                    "tls.plain-http-redirect-http",
                    url,
                    f"Plain http redirects (HTTP {first.status}) to {target}, which is not https.",
                    (_evidence(exchange),),
                )
            )
        return CheckResult(
            requirement=self.requirement,
            findings=tuple(findings),
            coverage=Coverage(tested=tested, untested=len(errors)),
            tested=f"plain http on port 80 of {tested} host(s)" if tested else "",
            errors=tuple(errors),
            notes=tuple(notes),
            skipped=None if exchanges else "no plain-http request was made",
        )


PLAIN_HTTP_CHECK = PlainHttpCheck()
