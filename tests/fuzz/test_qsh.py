"""qsh canonical request: only ValueError on bad input, blind to order, a fixed point where Connect allows."""

from __future__ import annotations

import random
from urllib.parse import quote

from hypothesis import assume
from hypothesis import strategies as st

from connectsec.connect_jwt.qsh import canonical_request, query_string_hash
from tests.fuzz.bounds import fuzz

_url_chars = st.sampled_from([*"aZ09-._~/?#&=+%,; é\u2028\ud800", "%zz", "%2F", "%26", "jwt", "//"])
hostile_urls = st.one_of(st.text(max_size=40), st.lists(_url_chars, max_size=20).map("".join))
methods = st.one_of(st.sampled_from(["GET", "post", "Delete"]), st.text(max_size=6))
segments = st.lists(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=6).map(lambda t: quote(t, safe="")),
    max_size=4,
)
params = st.dictionaries(
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=6).filter(lambda k: k != "jwt"),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=6),
    max_size=4,
)


@fuzz(
    methods,
    st.one_of(hostile_urls, st.builds(lambda u: "https://h" + u, hostile_urls)),
    st.one_of(st.none(), hostile_urls),
)
def test_bad_input_raises_only_value_error(method: str, url: str, base_url: str | None) -> None:
    try:
        canonical = canonical_request(method, url, base_url)
        digest = query_string_hash(method, url, base_url)
    except ValueError:  # UnicodeEncodeError included: the path keeps an unpaired surrogate as given
        return
    head, path, _query = canonical.split("&", 2)
    assert head == method.upper()
    assert path.startswith("/")
    assert "&" not in path
    assert len(digest) == 64


def _url(segments: list[str], pairs: list[tuple[str, str]]) -> str:
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)
    return "https://app.example/" + "/".join(segments) + (f"?{query}" if query else "")


@fuzz(segments, params, st.randoms(use_true_random=False))
def test_parameter_order_does_not_matter(path: list[str], query: dict[str, str], rnd: random.Random) -> None:
    pairs = [*query.items(), ("jwt", "token")]
    shuffled = pairs[:]
    rnd.shuffle(shuffled)
    assert canonical_request("GET", _url(path, pairs)) == canonical_request("GET", _url(path, shuffled))


@fuzz(segments, params)
def test_canonical_form_is_a_fixed_point(path: list[str], query: dict[str, str]) -> None:
    """Re-canonicalising `METHOD&path&query` as a URL gives it back (one key per name, see below)."""
    canonical = canonical_request("GET", _url(path, list(query.items())))
    method, canonical_path, canonical_query = canonical.split("&", 2)
    # Connect strips one trailing slash only, so `/a//` → `/a/` → `/a`.
    assume(canonical_path == "/" or not canonical_path.endswith("/"))
    again = f"https://app.example{canonical_path}" + (f"?{canonical_query}" if canonical_query else "")
    assert canonical_request(method, again) == canonical


def test_repeated_keys_are_joined_so_not_a_fixed_point() -> None:
    """Connect joins repeated values with a bare comma, which reads back as one value with a comma."""
    canonical = canonical_request("GET", "/p?a=2&a=1")
    assert canonical == "GET&/p&a=1,2"
    assert canonical_request("GET", "/p?a=1,2") == "GET&/p&a=1%2C2"
