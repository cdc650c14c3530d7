"""Redaction of secrets: every known form, idempotent, URLs otherwise untouched."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectsec.redact import MASK, Redactor

SECRET = "s3cr3t-shared-secret-value-0123456789"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ4In0.abcdefghijklmnop"


@pytest.mark.parametrize(
    "form",
    [
        SECRET,
        base64.b64encode(SECRET.encode()).decode(),
        base64.urlsafe_b64encode(SECRET.encode()).decode().rstrip("="),
        SECRET.encode().hex(),
        SECRET.encode().hex().upper(),
    ],
)
def test_known_secret_masked_in_every_form(form: str) -> None:
    text = f"before {form} after"
    assert form not in Redactor([SECRET]).text(text)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"https://a.example/p?jwt={JWT}&x=1", f"https://a.example/p?jwt={MASK}&x=1"),
        ("https://a.example/p?token=abc&x=1", f"https://a.example/p?token={MASK}&x=1"),
        ("https://a.example/p?x&y=a%20b", "https://a.example/p?x&y=a%20b"),
        ("https://user:pw@a.example/p", f"https://user:{MASK}@a.example/p"),
        ("https://a.example/p?jwt=", "https://a.example/p?jwt="),
    ],
)
def test_url_redaction(url: str, expected: str) -> None:
    assert Redactor().url(url) == expected


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("Authorization", f"JWT {JWT}", f"JWT {MASK}"),
        ("Cookie", "connect.sid=abc", MASK),
        ("Set-Cookie", "connect.sid=abc123; Path=/; HttpOnly", f"connect.sid={MASK}; Path=/; HttpOnly"),
        ("Set-Cookie", "bare-token-value; Secure", f"{MASK}; Secure"),
        ("Location", f"/next?jwt={JWT}", f"/next?jwt={MASK}"),
        ("Content-Type", "text/html", "text/html"),
    ],
)
def test_header_redaction(name: str, value: str, expected: str) -> None:
    assert Redactor().header(name, value) == expected


@given(st.text(max_size=200))
def test_text_redaction_is_idempotent(text: str) -> None:
    redactor = Redactor([SECRET])
    once = redactor.text(text)
    assert redactor.text(once) == once


@given(st.sampled_from(["jwt", "token", "q"]), st.text(max_size=40))
def test_url_redaction_is_idempotent(key: str, value: str) -> None:
    from urllib.parse import quote

    redactor = Redactor()
    url = f"https://a.example/p?{key}={quote(value)}&z=1"
    once = redactor.url(url)
    assert redactor.url(once) == once
