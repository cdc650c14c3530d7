"""HstsCheck judgement: every https hop, first header only, one finding per URL and rule."""

from __future__ import annotations

import pytest

from connectsec.checks.headers.hsts import HstsCheck
from connectsec.model import HttpExchange

from .exchanges import BASE, exchange, headers, observe, redirect, response

HSTS = "strict-transport-security"
PAGE = f"{BASE}/page"


def findings(*exchanges: HttpExchange) -> list[tuple[str, str]]:
    return [(f.rule, f.location) for f in HstsCheck().judge(observe(*exchanges)).findings]


CASES = [
    ("compliant", [exchange(response())], []),
    ("missing", [exchange(response(hdrs=headers((HSTS, None))))], [("hsts.missing", PAGE)]),
    ("401 judged", [exchange(response(status=401, hdrs=headers((HSTS, None))))], [("hsts.missing", PAGE)]),
    ("404 judged", [exchange(response(status=404, hdrs=headers((HSTS, None))))], [("hsts.missing", PAGE)]),
    (
        "short",
        [exchange(response(hdrs=headers((HSTS, "max-age=86400; includeSubDomains"))))],
        [("hsts.max-age-short", PAGE)],
    ),
    ("zero", [exchange(response(hdrs=headers((HSTS, "max-age=0"))))], [("hsts.max-age-short", PAGE)]),
    (
        "no subdomains",
        [exchange(response(hdrs=headers((HSTS, "max-age=31536000"))))],
        [("hsts.no-include-subdomains", PAGE)],
    ),
    (
        "short, no subdomains: only short",
        [exchange(response(hdrs=headers((HSTS, "max-age=5"))))],
        [("hsts.max-age-short", PAGE)],
    ),
    (
        "invalid duplicate",
        [exchange(response(hdrs=headers((HSTS, "max-age=31536000; max-age=31536000"))))],
        [("hsts.invalid", PAGE)],
    ),
    (
        "invalid flag value",
        [exchange(response(hdrs=headers((HSTS, "max-age=31536000; includeSubDomains=1"))))],
        [("hsts.invalid", PAGE)],
    ),
    (
        "first good of two",
        [
            exchange(
                response(hdrs=headers((HSTS, "max-age=31536000; includeSubDomains"), (HSTS, "max-age=0")))
            )
        ],
        [("hsts.multiple-headers", PAGE)],
    ),
    (
        "first bad of two",
        [
            exchange(
                response(hdrs=headers((HSTS, "max-age=0"), (HSTS, "max-age=31536000; includeSubDomains")))
            )
        ],
        [("hsts.multiple-headers", PAGE), ("hsts.max-age-short", PAGE)],
    ),
    (
        "redirect hop judged",
        [exchange(redirect(f"{BASE}/a", PAGE, headers((HSTS, None))), response())],
        [("hsts.missing", f"{BASE}/a")],
    ),
    (
        "plain http hop not applicable",
        [exchange(redirect("http://app.example/", PAGE, headers((HSTS, None))), response())],
        [],
    ),
    (
        "deduplicated across exchanges",
        [exchange(response(hdrs=headers((HSTS, None)))), exchange(response(hdrs=headers((HSTS, None))))],
        [("hsts.missing", PAGE)],
    ),
    (
        "jwt never in location",
        [
            exchange(
                response(
                    f"{PAGE}?jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig&x=1", hdrs=headers((HSTS, None))
                )
            )
        ],
        [("hsts.missing", f"{PAGE}?x=1")],
    ),
]


@pytest.mark.parametrize(("exchanges", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_findings(exchanges: list[HttpExchange], expected: list[tuple[str, str]]) -> None:
    assert findings(*exchanges) == expected


def test_invalid_detail_says_why_and_evidence_shows_the_header() -> None:
    result = HstsCheck().judge(observe(exchange(response(hdrs=headers((HSTS, "max-age=1; max-age=2"))))))
    (finding,) = result.findings
    assert "more than once" in finding.detail
    (evidence,) = finding.evidence
    assert evidence.headers == ((HSTS, "max-age=1; max-age=2"),)
    assert (evidence.url, evidence.status) == (PAGE, 200)


def test_coverage_counts_urls_and_http_hops() -> None:
    result = HstsCheck().judge(
        observe(
            exchange(redirect("http://app.example/", PAGE), response()),
            exchange(response()),
            exchange(response(f"{BASE}/other")),
        )
    )
    assert (result.coverage.tested, result.coverage.not_applicable, result.coverage.untested) == (2, 1, 0)
    assert result.tested == "3 https responses from 2 URLs"
    assert result.skipped is None
    assert result.errors == ()


def test_plain_http_base_url_fails_instead_of_skipping() -> None:
    from dataclasses import replace

    from connectsec.engine.rollup import roll_up
    from connectsec.model import Outcome

    plain = "http://app.example"
    observations = observe(exchange(response(f"{plain}/page", hdrs=headers((HSTS, None)))))
    observations = replace(observations, inventory=replace(observations.inventory, base_url=plain))
    result = HstsCheck().judge(observations)
    assert [(f.rule, f.location) for f in result.findings] == [("hsts.plain-http", plain)]
    assert roll_up("R1.2", "HSTS", [result]).outcome is Outcome.FAIL


def test_https_base_url_has_no_plain_http_finding() -> None:
    result = HstsCheck().judge(observe(exchange(response())))
    assert result.findings == ()
