"""What every header check shares: registry, coverage, errors, skips and redaction."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectsec.catalog.rules import BY_ID
from connectsec.checks.base import Check
from connectsec.checks.headers import HEADER_CHECKS
from connectsec.model import EndpointKind

from .exchanges import BASE, exchange, headers, observe, redirect, response

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
IDS = [c.requirement for c in HEADER_CHECKS]


def test_registry() -> None:
    assert IDS == ["R1.2", "R2", "R11", "R12"]
    for check in HEADER_CHECKS:
        assert check.needs == frozenset({"http"})


@pytest.mark.parametrize("check", HEADER_CHECKS, ids=IDS)
def test_nothing_observed_is_skipped(check: Check) -> None:
    result = check.judge(observe())
    assert result.skipped
    assert result.findings == ()
    assert result.requirement == check.requirement


@pytest.mark.parametrize("check", HEADER_CHECKS, ids=IDS)
def test_only_errors_is_an_error_never_a_pass_or_skip(check: Check) -> None:
    result = check.judge(observe(exchange(url=f"{BASE}/page?jwt={JWT}", error=f"timeout after {JWT}")))
    assert result.skipped is None
    assert result.errors == (
        f"{BASE}/page: timeout after [REDACTED]",
    )  # the minted jwt is not part of a location
    assert (result.coverage.tested, result.coverage.untested) == (0, 1)
    assert JWT not in repr(result)


@pytest.mark.parametrize("check", HEADER_CHECKS, ids=IDS)
def test_error_on_a_url_judged_elsewhere_is_not_untested(check: Check) -> None:
    result = check.judge(observe(exchange(url=f"{BASE}/page", error="reset"), exchange(response())))
    assert result.errors == ()
    assert (result.coverage.tested, result.coverage.untested) == (1, 0)


@pytest.mark.parametrize("check", HEADER_CHECKS, ids=IDS)
def test_errors_listed_at_most_twenty(check: Check) -> None:
    result = check.judge(observe(*(exchange(url=f"{BASE}/p{i}", error="refused") for i in range(25))))
    assert len(result.errors) == 21
    assert result.errors[-1] == "and 5 more"
    assert result.coverage.untested == 25
    assert "25 URLs could not be fetched" in result.tested


@pytest.mark.parametrize("check", HEADER_CHECKS, ids=IDS)
def test_plain_http_error_is_not_untested(check: Check) -> None:
    result = check.judge(observe(exchange(url="http://app.example/", error="refused"), exchange(response())))
    assert result.errors == ()
    assert result.coverage.not_applicable == 1


@pytest.mark.parametrize("check", HEADER_CHECKS, ids=IDS)
def test_compliant_responses_have_no_findings(check: Check) -> None:
    body = b'<html><head><meta name="referrer" content="no-referrer"></head></html>'
    result = check.judge(
        observe(
            exchange(
                response(hdrs=(*headers(), ("set-cookie", "sid=a; Path=/; Secure; HttpOnly; SameSite=None")))
            ),
            exchange(
                response(f"{BASE}/api", hdrs=headers(("content-type", "application/json"))),
                kind=EndpointKind.API,
            ),
            exchange(response(f"{BASE}/doc", body=body)),
        )
    )
    assert result.findings == ()
    assert result.errors == ()
    assert result.skipped is None
    assert result.coverage.tested == 3


@pytest.mark.parametrize("check", HEADER_CHECKS, ids=IDS)
def test_secrets_never_in_results(check: Check) -> None:
    bad = (
        ("content-type", "text/html"),
        ("referrer-policy", "unsafe-url"),
        ("set-cookie", f"sid={JWT}; Path=/"),
        ("set-cookie", f"prefs={JWT}"),
    )
    result = check.judge(
        observe(
            exchange(
                response(f"{BASE}/page?jwt={JWT}&lic=active", hdrs=bad),
                request_headers=(("authorization", f"JWT {JWT}"), ("cookie", f"sid={JWT}")),
            )
        )
    )
    assert result.findings
    assert JWT not in repr(result)
    for finding in result.findings:
        assert finding.rule in BY_ID
        assert BY_ID[finding.rule].requirement == check.requirement
        assert all(e.curl and "[REDACTED]" in e.curl for e in finding.evidence)


@pytest.mark.parametrize("check", HEADER_CHECKS, ids=IDS)
def test_responses_from_other_hosts_are_not_judged(check: Check) -> None:
    bare = (("content-type", "text/html"), ("set-cookie", "sid=a"))
    idp = "https://idp.other.example/authorize"
    result = check.judge(observe(exchange(redirect(f"{BASE}/page", idp), response(idp, hdrs=bare))))
    assert result.findings == ()
    assert result.coverage.not_applicable == 1
    assert "responses from hosts outside the app were not judged: idp.other.example" in result.notes


@pytest.mark.parametrize("check", HEADER_CHECKS, ids=IDS)
def test_app_hosts_include_the_inventory(check: Check) -> None:
    bare = (("content-type", "text/html"), ("set-cookie", "sid=a"))
    other = "https://cdn.example/page"
    observations = observe(exchange(response(other, hdrs=bare), url=f"{BASE}/page"))
    observations = replace(observations, inventory=replace(observations.inventory, hosts=("CDN.example",)))
    assert check.judge(observations).findings


HEADER_NAMES = st.sampled_from(
    ["strict-transport-security", "cache-control", "referrer-policy", "set-cookie", "content-type", "date"]
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(HEADER_NAMES, st.text(max_size=40)), max_size=8),
    st.integers(min_value=100, max_value=599),
    st.binary(max_size=200),
)
def test_judging_arbitrary_responses_never_raises(
    hdrs: list[tuple[str, str]], status: int, body: bytes
) -> None:
    observations = observe(exchange(response(status=status, hdrs=tuple(hdrs), body=body)))
    for check in HEADER_CHECKS:
        result = check.judge(observations)
        assert result == check.judge(observations)
        assert result.coverage.tested + result.coverage.not_applicable == 1
