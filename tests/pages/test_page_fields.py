"""The page-model fields the page checks read: markup excerpts, nearby text, form noreferrer, link rel."""

from __future__ import annotations

from connectsec.html.page import EXCERPT_CHARS, parse_page

URL = "https://app.example/page"


def test_form_text_markup_and_noreferrer() -> None:
    body = b'<form rel="noreferrer" action="/x"><p>Your <b>Jira</b> login</p><input name="u"></form>'
    page = parse_page(body + b"<form></form>", URL)
    first, second = page.forms
    assert first.text == "Your Jira login"
    assert first.html.startswith('<form rel="noreferrer" action="/x">')
    assert first.noreferrer is True
    assert second.noreferrer is False
    assert first.inputs[0].html == '<input name="u">'


def test_loose_input_context_is_the_nearest_wordy_ancestor() -> None:
    body = (
        b"<body><section><h2>Connect your Confluence account to continue</h2>"
        b"<div><span><input type=password name=p></span></div></section><footer>x</footer></body>"
    )
    (field,) = parse_page(body, URL).loose_inputs
    assert field.context == "Connect your Confluence account to continue"


def test_long_markup_is_cut() -> None:
    body = b'<input name="a" placeholder="' + b"x" * 500 + b'">'
    (field,) = parse_page(body, URL).loose_inputs
    assert len(field.html) == EXCERPT_CHARS
    assert field.html.endswith("…")


def test_link_rel_tokens() -> None:
    page = parse_page(b'<link rel="Preconnect  dns-prefetch" href="https://cdn.example/">', URL)
    (sub,) = page.subresources
    assert sub.rel == ("dns-prefetch", "preconnect")
