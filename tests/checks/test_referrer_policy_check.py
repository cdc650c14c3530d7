"""ReferrerPolicyCheck judgement: header on every https hop, meta in HTML documents."""

from __future__ import annotations

import pytest

from connectsec.checks.headers.referrer_policy import ReferrerPolicyCheck
from connectsec.model import HttpExchange

from .exchanges import BASE, exchange, headers, observe, redirect, response

RP = "referrer-policy"
CT = "content-type"
PAGE = f"{BASE}/page"


def meta(value: str) -> bytes:
    return f'<!doctype html><html><head><meta name="referrer" content="{value}"></head></html>'.encode()


def page(*hdrs: tuple[str, str | None], body: bytes = b"", status: int = 200) -> HttpExchange:
    return exchange(response(hdrs=headers(*hdrs), body=body, status=status))


CASES = [
    ("good", [page()], []),
    ("missing", [page((RP, None))], [("referrer-policy.missing", PAGE)]),
    ("404 judged", [page((RP, None), status=404)], [("referrer-policy.missing", PAGE)]),
    ("invalid", [page((RP, "foo"))], [("referrer-policy.invalid", PAGE)]),
    ("empty", [page((RP, ""))], [("referrer-policy.invalid", PAGE)]),
    ("legacy keyword invalid in header", [page((RP, "never"))], [("referrer-policy.invalid", PAGE)]),
    ("unsafe-url", [page((RP, "unsafe-url"))], [("referrer-policy.unsafe", PAGE)]),
    ("downgrade", [page((RP, "no-referrer-when-downgrade"))], [("referrer-policy.unsafe", PAGE)]),
    ("last token wins", [page((RP, "no-referrer, unsafe-url"))], [("referrer-policy.unsafe", PAGE)]),
    ("unknown last token", [page((RP, "unsafe-url, foo"))], [("referrer-policy.unsafe", PAGE)]),
    ("fallback list", [page((RP, "no-referrer, strict-origin-when-cross-origin"))], []),
    ("two headers combined", [page((RP, "unsafe-url"), (RP, "same-origin"))], []),
    (
        "two headers, last unsafe",
        [page((RP, "same-origin"), (RP, "unsafe-url"))],
        [("referrer-policy.unsafe", PAGE)],
    ),
    (
        "meta unsafe overrides good header",
        [page(body=meta("always"))],
        [("referrer-policy.meta-unsafe", PAGE)],
    ),
    ("meta unsafe-url", [page(body=meta("unsafe-url"))], [("referrer-policy.meta-unsafe", PAGE)]),
    (
        "meta safe, header missing",
        [page((RP, None), body=meta("no-referrer"))],
        [("referrer-policy.missing", PAGE)],
    ),
    (
        "meta safe, header unsafe",
        [page((RP, "unsafe-url"), body=meta("never"))],
        [("referrer-policy.unsafe", PAGE)],
    ),
    ("meta unrecognised ignored", [page(body=meta("bogus"))], []),
    ("meta in json ignored", [page((CT, "application/json"), body=meta("always"))], []),
    (
        "meta sniffed without content type",
        [page((CT, None), body=meta("always"))],
        [("referrer-policy.meta-unsafe", PAGE)],
    ),
    (
        "meta on redirect not rendered",
        [exchange(response(status=302, hdrs=headers(("location", "/x")), body=meta("always")))],
        [],
    ),
    (
        "redirect hop judged",
        [exchange(redirect(f"{BASE}/a", PAGE, headers((RP, None))), response())],
        [("referrer-policy.missing", f"{BASE}/a")],
    ),
    (
        "plain http not applicable",
        [exchange(redirect("http://app.example/", PAGE, headers((RP, None))), response())],
        [],
    ),
]


@pytest.mark.parametrize(("exchanges", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_findings(exchanges: list[HttpExchange], expected: list[tuple[str, str]]) -> None:
    result = ReferrerPolicyCheck().judge(observe(*exchanges))
    assert [(f.rule, f.location) for f in result.findings] == expected


DETAILS = [
    (page((RP, None)), "strict-origin-when-cross-origin (browser default, no header)"),
    (page((RP, "foo")), "strict-origin-when-cross-origin (browser default, invalid header)"),
    (page((RP, "no-referrer, unsafe-url")), "unsafe-url (from the Referrer-Policy header)"),
    (page((RP, None), body=meta("never")), 'no-referrer (from <meta name="referrer">)'),
    (page(body=meta("always")), 'unsafe-url (from <meta name="referrer">)'),
]


@pytest.mark.parametrize(("item", "phrase"), DETAILS)
def test_detail_names_the_effective_policy_and_its_source(item: HttpExchange, phrase: str) -> None:
    (finding,) = ReferrerPolicyCheck().judge(observe(item)).findings
    assert f"Effective policy: {phrase}." in finding.detail


def test_meta_evidence_has_the_tag() -> None:
    (finding,) = ReferrerPolicyCheck().judge(observe(page(body=meta("always")))).findings
    (evidence,) = finding.evidence
    assert evidence.excerpt == '<meta name="referrer" content="always">'
    assert evidence.headers == ((RP, "strict-origin-when-cross-origin"), (CT, "text/html; charset=utf-8"))
