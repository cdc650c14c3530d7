"""The access oracle: refused, accepted, shell or inconclusive."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectsec.auth.oracle import Access, judge_access, looks_like_denial, similarity, tenant_data
from connectsec.model import Endpoint, EndpointKind, HttpExchange, HttpRequestSpec, HttpResponse

URL = "https://app.example.com/page"
HTML = "text/html; charset=utf-8"
JSON = "application/json"


def resp(
    status: int = 200,
    body: str | bytes = "",
    ctype: str = HTML,
    url: str = URL,
    headers: tuple[tuple[str, str], ...] = (),
) -> HttpResponse:
    raw = body.encode() if isinstance(body, str) else body
    return HttpResponse(url, status, "HTTP/1.1", (("content-type", ctype), *headers), raw)


def exchange(*hops: HttpResponse, error: str | None = None) -> HttpExchange:
    request = HttpRequestSpec("GET", URL, Endpoint(URL, EndpointKind.PAGE))
    return HttpExchange(request, hops, error)


def page(title: str, main: str) -> str:
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{main}</body></html>"


DATA_PAGE = page(
    "Sprint report",
    "<table>"
    + "".join(f"<tr><td>DEMO-{i}</td><td>Fix bug {i} in module {i}</td></tr>" for i in range(1, 30))
    + "</table>",
)
LOGIN_PAGE = page("Please log in", "<form><input name=u><input type=password name=p></form>")
SHELL_PAGE = page("My App", '<div id="root"></div><script src="/static/app.js"></script>')
DATA_JSON = json.dumps([{"key": f"DEMO-{i}", "summary": f"thing {i}"} for i in range(5)])


def with_volatile(seed: int) -> str:
    return (
        f'<html><head><meta name="csrf-token" content="tok{seed}x9f8a7b6c5d4e3f2a1">'
        f'<script nonce="n{seed}Zk29dkeJd93kdLq"></script></head><body>'
        f"<p>Generated 2024-05-0{seed}T10:1{seed}:00Z request {seed}4f3e2d1c0b9a8f7e6d5c</p>"
        f"<p>id 5f1e{seed}c2a-1b2c-4d5e-8f90-123456789abc</p>{DATA_PAGE}</body></html>"
    )


TIMEOUT = exchange(error="timeout after 10 s")
AUTH_DATA = exchange(resp(200, DATA_PAGE))
NO_TOKEN_401 = exchange(resp(401, "Unauthorized"))

CASES: list[tuple[str, HttpExchange, HttpExchange | None, HttpExchange | None, Access]] = [
    ("401", exchange(resp(401, "no")), None, None, Access.REFUSED),
    ("403", exchange(resp(403, DATA_PAGE)), AUTH_DATA, None, Access.REFUSED),
    (
        "redirect-login",
        exchange(resp(302, headers=(("location", "/login?next=/page"),))),
        None,
        None,
        Access.REFUSED,
    ),
    (
        "redirect-other-host",
        exchange(resp(302, headers=(("location", "https://id.atlassian.com/x"),))),
        None,
        None,
        Access.REFUSED,
    ),
    (
        "followed-to-login",
        exchange(
            resp(302, headers=(("location", "/auth/signin"),)),
            resp(200, SHELL_PAGE, url="https://app.example.com/auth/signin"),
        ),
        None,
        None,
        Access.REFUSED,
    ),
    (
        "redirect-inside-app",
        exchange(resp(302, headers=(("location", "/page2"),))),
        None,
        None,
        Access.INCONCLUSIVE,
    ),
    ("400-denial", exchange(resp(400, '{"error": "invalid jwt"}', JSON)), None, None, Access.REFUSED),
    ("400-other", exchange(resp(400, "<p>bad request: missing field</p>")), None, None, Access.INCONCLUSIVE),
    ("404", exchange(resp(404, "Not found")), None, None, Access.INCONCLUSIVE),
    ("405", exchange(resp(405, "")), None, None, Access.INCONCLUSIVE),
    ("500", exchange(resp(500, "Traceback")), None, None, Access.INCONCLUSIVE),
    ("timeout", TIMEOUT, None, None, Access.INCONCLUSIVE),
    ("no-response", exchange(), None, None, Access.INCONCLUSIVE),
    ("branded-login-200", exchange(resp(200, LOGIN_PAGE)), None, None, Access.REFUSED),
    ("branded-login-vs-ref", exchange(resp(200, LOGIN_PAGE)), AUTH_DATA, None, Access.REFUSED),
    ("json-data-no-ref", exchange(resp(200, DATA_JSON, JSON)), None, None, Access.ACCEPTED),
    ("static-shell", exchange(resp(200, SHELL_PAGE)), None, None, Access.SHELL),
    ("shell-baseline-401", exchange(resp(200, SHELL_PAGE)), None, NO_TOKEN_401, Access.ACCEPTED),
    ("shell-baseline-timeout", exchange(resp(200, SHELL_PAGE)), None, TIMEOUT, Access.SHELL),
    (
        "same-with-volatile",
        exchange(resp(200, with_volatile(1))),
        exchange(resp(200, with_volatile(2))),
        None,
        Access.ACCEPTED,
    ),
    (
        "denial-json-vs-data",
        exchange(resp(200, '{"message": "Unauthorized"}', JSON)),
        exchange(resp(200, DATA_JSON, JSON)),
        None,
        Access.REFUSED,
    ),
    ("differs", exchange(resp(200, SHELL_PAGE)), AUTH_DATA, None, Access.INCONCLUSIVE),
    (
        "ref-itself-denial",
        exchange(resp(200, SHELL_PAGE)),
        exchange(resp(200, LOGIN_PAGE)),
        None,
        Access.SHELL,
    ),
]


@pytest.mark.parametrize(
    ("attempt", "reference", "baseline", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_judge_access(
    attempt: HttpExchange, reference: HttpExchange | None, baseline: HttpExchange | None, expected: Access
) -> None:
    judgement = judge_access(attempt, reference, baseline)
    assert judgement.access is expected, judgement.reason
    assert judgement.reason
    assert "\n" not in judgement.reason


def test_reasons() -> None:
    assert judge_access(TIMEOUT).reason == "the request failed: timeout after 10 s"
    accepted = judge_access(exchange(resp(200, SHELL_PAGE)), None, NO_TOKEN_401).reason
    assert accepted == "the request without a token was refused with 401, this one got 200"
    same = judge_access(AUTH_DATA, AUTH_DATA).reason
    assert same == "same content as the authenticated response, similarity 1.00"
    data = judge_access(exchange(resp(200, DATA_PAGE))).reason
    assert data.startswith("tenant-looking data: 29 issue keys (DEMO-1 DEMO-2")


def test_reason_never_quotes_tokens_or_long_text() -> None:
    token = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl"
    failed = judge_access(exchange(error=f"timeout for {URL}?jwt={token} " + "x" * 200))
    assert token not in failed.reason
    assert "eyJ" not in failed.reason
    assert len(failed.reason) < 120
    long_title = "Access denied " + "y" * 300
    denied = judge_access(exchange(resp(200, page(long_title, "z" * 3000))))
    assert denied.access is Access.REFUSED
    assert len(denied.reason) < 130


@pytest.mark.parametrize(
    ("body", "ctype", "expected"),
    [
        (LOGIN_PAGE, HTML, True),
        ("<p>Please open this page from Jira.</p>", HTML, True),
        ('{"error": "x"}', JSON, True),
        ('{"status": 401, "message": "nope"}', JSON, True),
        ('{"message": "JWT expired", "data": 1}', JSON, True),
        ('{"status": "ok"}', JSON, False),
        (DATA_JSON, JSON, False),
        (DATA_PAGE, HTML, False),
        (SHELL_PAGE, HTML, False),
        ("", HTML, False),
    ],
)
def test_looks_like_denial(body: str, ctype: str, expected: bool) -> None:
    assert looks_like_denial(resp(200, body, ctype)) is expected


@pytest.mark.parametrize(
    ("body", "ctype", "expected"),
    [
        ("[]", JSON, None),
        ("{}", JSON, None),
        ('{"error": "unauthorized"}', JSON, None),
        (DATA_JSON, JSON, "JSON list of 5 records"),
        ('{"issues": [{"id": 1}, {"id": 2}]}', JSON, "JSON object of 2 records under 'issues'"),
        ('{"user": {"accountId": "abc"}}', JSON, "JSON fields accountId"),
        (page("x", "<p>a@corp.example and b@corp.example</p>"), HTML, "2 e-mail addresses"),
        (page("x", "<p>DEMO-1, DEMO-2, OPS-7</p>"), HTML, "3 issue keys (DEMO-1 DEMO-2 …)"),
        (page("x", "<p>557058:0e2b3c4d-1111-2222-3333-444455556666</p>"), HTML, "Atlassian accountIds"),
        (page("x", "<p>UTF-8 and SHA-256 and ISO-8601</p>"), HTML, None),
        (SHELL_PAGE, HTML, None),
    ],
)
def test_tenant_data(body: str, ctype: str, expected: str | None) -> None:
    assert tenant_data(resp(200, body, ctype)) == expected


def test_similarity_examples() -> None:
    a, b = resp(200, with_volatile(1)), resp(200, with_volatile(2))
    assert similarity(a, b) >= 0.95
    assert similarity(resp(200, DATA_PAGE), resp(200, LOGIN_PAGE)) < 0.5
    assert similarity(resp(200, DATA_JSON, JSON), resp(200, DATA_JSON, HTML)) < 0.85
    assert similarity(resp(200, ""), resp(200, "")) == 1.0
    assert similarity(resp(200, ""), resp(200, "x")) == 0.0


bodies = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(["<p>", "</p>", "DEMO-1", "2024-01-01", " ", "abc", "{", "}"]), max_size=60).map(
        "".join
    ),
)


@settings(max_examples=150, deadline=None)
@given(a=bodies, b=bodies, json_a=st.booleans(), json_b=st.booleans())
def test_similarity_properties(a: str, b: str, json_a: bool, json_b: bool) -> None:
    ra, rb = resp(200, a, JSON if json_a else HTML), resp(200, b, JSON if json_b else HTML)
    forward, backward = similarity(ra, rb), similarity(rb, ra)
    assert 0.0 <= forward <= 1.0
    assert abs(forward - backward) <= 0.05
    assert similarity(ra, ra) == 1.0
