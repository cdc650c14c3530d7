"""qsh canonical request: the Atlassian interop vectors, ordering rules and properties."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectsec.connect_jwt import canonical_request, query_string_hash

VECTORS_FILE = Path(__file__).resolve().parent.parent / "data" / "qsh-interop.json"


def _load_vectors() -> list[dict[str, Any]]:
    data = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))
    return [*data["vectors"], *data["library_cases"]]


VECTORS = _load_vectors()


def test_all_fifty_vectors_are_loaded() -> None:
    assert len(VECTORS) == 50
    assert len({v["id"] for v in VECTORS}) == 50


@pytest.mark.parametrize("vector", VECTORS, ids=[v["id"] for v in VECTORS])
def test_interop_vector(vector: dict[str, Any]) -> None:
    args = (vector["method"], vector["url"], vector.get("base_url"))
    assert canonical_request(*args) == vector["canonical"]
    assert query_string_hash(*args) == vector["qsh"]


@pytest.mark.parametrize(
    ("url", "base_url", "path"),
    [
        ("https://x.test/base/test", "https://x.test/base", "/test"),
        ("https://x.test/base/test", "https://x.test/base/", "/test"),
        ("https://x.test/base", "https://x.test/base", "/"),
        ("https://x.test/base/", "https://x.test/base", "/"),
        ("https://x.test/basement/test", "https://x.test/base", "/basement/test"),
        ("https://x.test/other/base/test", "https://x.test/base", "/other/base/test"),
        ("https://x.test/test", "https://x.test/", "/test"),
        ("/base/test", "https://x.test/base", "/test"),
        ("https://x.test", None, "/"),
        ("https://x.test?a=b", None, "/"),
        ("//x.test/p", None, "/p"),
        ("", None, "/"),
        ("/a%2Fb/%7E/", None, "/a%2Fb/%7E"),
        ("/a//", None, "/a/"),
        ("/p#frag?not=query", None, "/p"),
    ],
)
def test_path_rules(url: str, base_url: str | None, path: str) -> None:
    assert canonical_request("get", url, base_url).split("&")[1] == path


def test_keys_sort_by_percent_encoded_form() -> None:
    # No interop vector tells encoded from decoded key order; Java atlassian-jwt (host side) sorts encoded.
    assert canonical_request("GET", "/p?%3A=1&.=2") == "GET&/p&%3A=1&.=2"


def test_repeated_values_sort_by_decoded_value_in_utf16_order() -> None:
    assert canonical_request("GET", "/p?v=%EF%BC%81&v=%F0%9F%98%80") == "GET&/p&v=%F0%9F%98%80,%EF%BC%81"


def test_query_details() -> None:
    assert canonical_request("GET", "/p?jwt=abc&JWT=x") == "GET&/p&JWT=x"
    assert canonical_request("GET", "/p?jwt=abc") == "GET&/p&"
    assert canonical_request("GET", "/p?a=1&&b=2") == "GET&/p&a=1&b=2"
    assert canonical_request("GET", "/p?a=%FF") == "GET&/p&a=%EF%BF%BD"
    assert canonical_request("GET", "/p?a+b=c%20d") == "GET&/p&a%20b=c%20d"


@pytest.mark.parametrize(
    ("method", "url"),
    [("", "/p"), ("G ET", "/p"), ("GET&", "/p"), ("GET", "example.com/p"), ("GET", "mailto:a@b.test")],
)
def test_invalid_input_raises_value_error(method: str, url: str) -> None:
    with pytest.raises(ValueError):
        query_string_hash(method, url)


PARAM_TEXT = st.text(max_size=8)
PARAMS = st.lists(st.tuples(PARAM_TEXT, PARAM_TEXT), max_size=6)


def _query(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)


@given(pairs=PARAMS, data=st.data())
def test_parameter_order_does_not_matter(pairs: list[tuple[str, str]], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(pairs))
    assert query_string_hash("GET", f"/p?{_query(pairs)}") == query_string_hash(
        "GET", f"/p?{_query(shuffled)}"
    )


@given(pairs=PARAMS, token=st.text(), position=st.integers(min_value=0))
def test_jwt_parameter_is_ignored(pairs: list[tuple[str, str]], token: str, position: int) -> None:
    with_jwt = list(pairs)
    with_jwt.insert(position % (len(pairs) + 1), ("jwt", token))
    assert query_string_hash("GET", f"/p?{_query(with_jwt)}") == query_string_hash(
        "GET", f"/p?{_query(pairs)}"
    )


PRINTABLE = st.text(st.characters(exclude_categories=("Cs", "Cc")))


@given(rest=PRINTABLE, base=PRINTABLE, method=st.sampled_from(["GET", "post", "PUT", "DELETE"]))
def test_never_raises_on_printable_urls(rest: str, base: str, method: str) -> None:
    qsh = query_string_hash(method, "https://example.com/" + rest, "https://example.com/" + base)
    assert len(qsh) == 64


@given(url=st.text(), base=st.none() | st.text())
def test_arbitrary_text_hashes_or_raises_value_error(url: str, base: str | None) -> None:
    with contextlib.suppress(ValueError):
        assert len(query_string_hash("GET", url, base)) == 64
