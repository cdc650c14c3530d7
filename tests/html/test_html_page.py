"""parse_page and is_html: what later checks read from HTML."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectsec.html.page import Form, Input, Page, Script, Subresource, decode_body, is_html, parse_page

URL = "https://app.example/app/page?jwt=secret#frag"


def page(html: str, url: str = URL, content_type: str | None = "text/html; charset=utf-8") -> Page:
    return parse_page(html.encode(), url, content_type)


BASE = [
    ("", URL),
    ('<base href="/other/">', "https://app.example/other/"),
    ('<base href="https://cdn.example/x/">', "https://cdn.example/x/"),
    ('<base target="_top"><base href="/second/">', "https://app.example/second/"),
    ('<base href="/first/"><base href="/second/">', "https://app.example/first/"),
    ('<base href="javascript:alert(1)">', URL),
    ('<base href="http://[::1">', URL),
]


@pytest.mark.parametrize(("head", "base"), BASE)
def test_base_url(head: str, base: str) -> None:
    assert page(f"<html><head>{head}</head><body></body></html>").base_url == base


LINKS = [
    ('<a href="x">', ("https://app.example/app/x",)),
    ('<a href="/x#top">', ("https://app.example/x",)),
    ('<a href="/x"><a href="/x#b"><area href="/y">', ("https://app.example/x", "https://app.example/y")),
    ('<a href="JavaScript:alert(1)"><a href=" javascript:x"><a href="java\tscript:x">', ()),
    ('<a href="mailto:a@b"><a href="data:text/html,x"><a href="tel:1">', ()),
    ('<a href="//other.example/p">', ("https://other.example/p",)),
    ('<a href="\\\\evil.example/p">', ("https://evil.example/p",)),
    ('<a href="http://[::1">', ()),
    ("<a>no href</a>", ()),
    ('<template><a href="/hidden"></a></template>', ()),
]


@pytest.mark.parametrize(("body", "links"), LINKS)
def test_links(body: str, links: tuple[str, ...]) -> None:
    assert page(body).links == links


def test_links_resolve_against_base() -> None:
    assert page('<base href="/b/"><a href="x">').links == ("https://app.example/b/x",)


def test_title() -> None:
    assert page("<svg><title>icon</title></svg><title>  My\n App </title>").title == "My App"
    assert page("<p>none</p>").title is None


def test_forms() -> None:
    html = """
    <label for="u">User name</label>
    <form method="post" action="/login">
      <input id="u" name="user" autocomplete="username" placeholder="you@example">
      <label>Password <input type="PASSWORD" name="pw"></label>
      <select name="site"></select><textarea name="note" aria-label="Note"></textarea>
    </form>
    <form method="bogus"></form>
    <form id="late" action=""></form>
    <input name="token" form="late"><input name="search">
    """
    parsed = page(html)
    assert parsed.forms == (
        Form(
            "https://app.example/login",
            "POST",
            (
                Input("user", "text", "u", "you@example", "User name", "username"),
                Input("pw", "password", None, None, "Password", None),
                Input("site", "select", None, None, None, None),
                Input("note", "textarea", None, None, "Note", None),
            ),
        ),
        Form(URL, "GET", ()),
        Form(URL, "GET", (Input("token", "text", None, None, None, None),)),
    )
    assert parsed.loose_inputs == (Input("search", "text", None, None, None, None),)


def test_scripts_styles_images_iframes() -> None:
    html = """
    <script src="/s.js" type="Module"></script><script>var a = 1;</script>
    <script src="data:text/javascript,1"></script>
    <link rel="Stylesheet preload" href="/a.css"><link rel="icon" href="/i.png">
    <img src="/a.png" srcset="/b.png 1x, /c,d.png 2x, /e.png">
    <picture><source srcset="/f.webp 100w"></picture>
    <source srcset="/video-only.png"><img src="data:image/png;base64,AA">
    <iframe src="https://other.example/f"></iframe><iframe src="about:blank"></iframe>
    """
    parsed = page(html)
    assert parsed.scripts == (
        Script("https://app.example/s.js", None, "module"),
        Script(None, "var a = 1;", None),
        Script("data:text/javascript,1", None, None),
    )
    assert parsed.stylesheets == ("https://app.example/a.css",)
    assert parsed.images == tuple(
        f"https://app.example/{p}" for p in ("a.png", "b.png", "c,d.png", "e.png", "f.webp")
    )
    assert parsed.iframes == ("https://other.example/f",)


META = [
    ('<meta name="referrer" content="unsafe-url">', ("unsafe-url",)),
    ('<meta name="REFERRER" content="never"><meta name="Referrer" content="origin">', ("never", "origin")),
    ('<meta name="referrer">', ()),
    ('<meta name="description" content="unsafe-url">', ()),
    ('<body><p><meta name="referrer" content="always"></p></body>', ("always",)),
    ('<noscript><meta name="referrer" content="always"></noscript>', ()),
]


@pytest.mark.parametrize(("html", "expected"), META)
def test_meta_referrer(html: str, expected: tuple[str, ...]) -> None:
    assert page(html).meta_referrer == expected


REFRESH = [
    ('<meta http-equiv="refresh" content="0; url=/next">', "https://app.example/next"),
    ('<meta http-equiv="Refresh" content="5;URL=\'https://o.example/x\'">', "https://o.example/x"),
    ('<meta http-equiv="refresh" content="3">', None),
    ('<meta http-equiv="refresh" content="0, /n">', "https://app.example/n"),
    ('<meta http-equiv="refresh" content="0; url=javascript:x">', None),
    (
        '<meta http-equiv="refresh" content="1; url=/a"><meta http-equiv="refresh" content="0; url=/b">',
        "https://app.example/a",
    ),
    ("", None),
]


@pytest.mark.parametrize(("html", "target"), REFRESH)
def test_meta_refresh(html: str, target: str | None) -> None:
    assert page(html).meta_refresh == target


def test_subresources() -> None:
    html = """
    <a href="/x#f" rel="NoReferrer nofollow">x</a>
    <img src="https://cdn.example/p.png" referrerpolicy=" Unsafe-URL ">
    <script src="https://cdn.example/s.js" referrerpolicy="no-referrer"></script>
    <link rel="stylesheet" href="/s.css"><iframe src="/f"></iframe>
    """
    assert page(html).subresources == (
        Subresource("a", "https://app.example/x#f", None, True),
        Subresource("img", "https://cdn.example/p.png", "unsafe-url", False),
        Subresource("script", "https://cdn.example/s.js", "no-referrer", False),
        Subresource("link", "https://app.example/s.css", None, False),
        Subresource("iframe", "https://app.example/f", None, False),
    )


DECODE = [
    # body, content-type header, expected text, codec
    ("<p>é</p>".encode(), "text/html; charset=utf-8", "<p>é</p>", "utf-8"),
    ("<p>é</p>".encode("cp1252"), "text/html; charset=ISO-8859-1", "<p>é</p>", "cp1252"),
    ("<p>é</p>".encode("cp1252"), 'text/html; charset="windows-1252"', "<p>é</p>", "cp1252"),
    (
        '<meta charset="koi8-r"><p>ж</p>'.encode("koi8-r"),
        "text/html",
        '<meta charset="koi8-r"><p>ж</p>',
        "koi8-r",
    ),
    (
        b'<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">',
        None,
        '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">',
        "shift_jis",
    ),
    (
        '<meta charset="koi8-r"><p>é</p>'.encode(),
        "text/html; charset=utf-8",
        '<meta charset="koi8-r"><p>é</p>',
        "utf-8",
    ),
    (b"\xef\xbb\xbf<p>x</p>", "text/html; charset=koi8-r", "<p>x</p>", "utf-8"),
    (b'<meta charset="utf-16"><p>x</p>', None, '<meta charset="utf-16"><p>x</p>', "utf-8"),
    (b'<meta charset="rot13"><p>x</p>', None, '<meta charset="rot13"><p>x</p>', "utf-8"),
    (b"<p>x</p>", "text/html; charset=base64", "<p>x</p>", "utf-8"),
    (b"<p>\xff</p>", None, "<p>\ufffd</p>", "utf-8"),
]


@pytest.mark.parametrize(("body", "header", "text", "codec"), DECODE)
def test_decode(body: bytes, header: str | None, text: str, codec: str) -> None:
    assert decode_body(body, header) == (text, codec)


IS_HTML = [
    ("text/html", b"", True),
    ("TEXT/HTML; charset=utf-8", b"{}", True),
    ("application/xhtml+xml", b"", True),
    ("application/json", b"<!doctype html>", False),
    ("text/plain", b"<html>", False),
    ("", b"  <!DOCTYPE html><html>", True),
    ("", b"<HTML lang=en>", True),
    ("", b"\xef\xbb\xbf<html>", True),
    ("", b"<!-- c --><p>", True),
    ("", b'{"html": 1}', False),
    ("", b"<htmlx>", False),
    ("", b"", False),
    ("application/unknown", b"<html>", True),
]


@pytest.mark.parametrize(("content_type", "body", "expected"), IS_HTML)
def test_is_html(content_type: str, body: bytes, expected: bool) -> None:
    assert is_html(content_type, body) is expected


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from([None, "text/html; charset=utf-16", "text/html; charset=x"]))
def test_arbitrary_bytes_give_a_page(body: bytes, header: str | None) -> None:
    parsed = parse_page(body, URL, header)
    assert parsed.url == URL
    assert parsed == parse_page(body, URL, header)


TAGS = st.sampled_from(
    ["<a href=", "<base href=", "<form action=", "<img srcset=", "<meta name=referrer content="]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(TAGS, st.text(max_size=30)), max_size=8))
def test_hostile_attribute_values(parts: list[tuple[str, str]]) -> None:
    html = "".join(f'{tag}"{value}">' for tag, value in parts)
    parsed = parse_page(html.encode("utf-8", "replace"), URL, "text/html")
    assert all(link.startswith(("http://", "https://")) and "#" not in link for link in parsed.links)
