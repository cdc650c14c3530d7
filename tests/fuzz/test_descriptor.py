"""The descriptor: load_descriptor raises only DescriptorError; build_inventory never raises on what loads."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import strategies as st

from connectsec.descriptor.errors import DescriptorError
from connectsec.descriptor.parse import build_inventory, load_descriptor
from connectsec.model import EndpointKind
from tests.fuzz.bounds import fuzz

SOURCE = "https://app.example/atlassian-connect.json"
BASE_URLS = ["https://app.example", "https://app.example/base/", "http://127.0.0.1:8080"]
AUTH_TYPES = ["jwt", "JWT", "none", "oauth"]
LIFECYCLE = ["installed", "uninstalled", "x"]
hostile_urls = st.one_of(
    st.sampled_from(
        [
            "/page",
            "page",
            "https://[::1",
            "http://[",
            "https://h:port/x",
            "https://h:99999/x",
            "//evil/x",
            "https://app.example/icon.png",
            "/p?issue={issue.key}&u=${user.accountId}",
            "{}",
            " ",
            "",
            "javascript:alert(1)",
            "https://user:pw@h/",
            "https://h\x00/",
            "https://é.example/",
        ]
    ),
    st.text(max_size=30),
    st.builds(lambda t: "https://" + t, st.text(max_size=20)),
)


def _mostly(usual: st.SearchStrategy[Any], odd: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`usual` nine times in ten, so most generated descriptors get past validation to build_inventory."""
    return st.integers(0, 9).flatmap(lambda n: odd if n == 0 else usual)


json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10), hostile_urls
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(
                st.sampled_from(["url", "key", "conditions", "icon", "cacheable"]), st.text(max_size=8)
            ),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=12,
)
modules = st.dictionaries(
    st.sampled_from(
        ["generalPages", "adminPages", "webhooks", "webItems", "webPanels", "jiraIssueFields", "x"]
    ),
    st.one_of(
        st.lists(
            st.fixed_dictionaries(
                {"key": st.text(max_size=6), "url": hostile_urls},
                optional={
                    "conditions": json_value,
                    "context": st.sampled_from(["page", "addon"]),
                    "icon": json_value,
                },
            ),
            max_size=3,
        ),
        json_value,
    ),
    max_size=4,
)
descriptors = st.fixed_dictionaries(
    {
        "key": _mostly(st.sampled_from(["app", "my.app-1"]), st.text(max_size=90)),
        "baseUrl": _mostly(st.sampled_from(BASE_URLS), hostile_urls),
        "authentication": _mostly(st.fixed_dictionaries({"type": st.sampled_from(AUTH_TYPES)}), json_value),
    },
    optional={
        "modules": modules,
        "lifecycle": st.one_of(
            st.dictionaries(st.sampled_from(LIFECYCLE), hostile_urls, max_size=3), json_value
        ),
        "apiMigrations": st.one_of(st.fixed_dictionaries({"signed-install": st.booleans()}), json_value),
        "links": json_value,
        "name": json_value,
    },
)


def _load_and_build(data: bytes, base_url: str | None = None) -> None:
    try:
        model, raw = load_descriptor(data, SOURCE)
    except DescriptorError as exc:
        message = str(exc)
        assert "\n" not in message
        return
    inventory = build_inventory(model, raw, SOURCE, base_url)
    assert inventory.app_key == model.key
    assert all(endpoint.url for endpoint in inventory.endpoints)
    assert len({(e.method, e.url) for e in inventory.endpoints}) == len(inventory.endpoints)
    assert inventory.endpoints[0].kind is EndpointKind.DESCRIPTOR


@fuzz(st.binary(max_size=300))
def test_arbitrary_bytes_raise_only_descriptor_error(data: bytes) -> None:
    _load_and_build(data)


@fuzz(json_value)
def test_arbitrary_json_raises_only_descriptor_error(value: Any) -> None:
    _load_and_build(json.dumps(value).encode())


def _usable_base_url(url: str) -> bool:
    """What `--base-url` lets through (an absolute http(s) URL that urlsplit accepts)."""
    try:
        return urlsplit(url).scheme in {"http", "https"} and bool(urlsplit(url).hostname)
    except ValueError:
        return False


@fuzz(descriptors, st.one_of(st.none(), hostile_urls.filter(_usable_base_url)))
def test_descriptor_shaped_json_loads_or_says_why(descriptor: dict[str, Any], base_url: str | None) -> None:
    _load_and_build(json.dumps(descriptor).encode(), base_url)


@fuzz(descriptors)
def test_loading_is_stable_across_encodings(descriptor: dict[str, Any]) -> None:
    """The same document as compact, indented and BOM-prefixed bytes gives the same result."""
    outcomes = []
    for data in (
        json.dumps(descriptor).encode(),
        json.dumps(descriptor, indent=2, ensure_ascii=False).encode(),
        b"\xef\xbb\xbf" + json.dumps(descriptor).encode(),
    ):
        try:
            model, raw = load_descriptor(data, SOURCE)
        except DescriptorError as exc:
            outcomes.append(str(exc))
        else:
            outcomes.append(repr(build_inventory(model, raw, SOURCE)))
    assert outcomes[0] == outcomes[1] == outcomes[2]


@pytest.mark.parametrize(
    "data",
    [b"[" * 100_000, b'{"key": ' + b"[" * 100_000, b"\xff\xfe{}", b"{" + b'"a":1,' * 10 + b"}", b"1e999999"],
)
def test_hostile_documents_raise_only_descriptor_error(data: bytes) -> None:
    with pytest.raises(DescriptorError):
        load_descriptor(data, SOURCE)


@pytest.mark.parametrize("url", ["https://[::1", "http://[", "//[x", "https://a]/"])
def test_unparseable_module_urls_become_notes(url: str) -> None:
    """Found by the fuzz tests above: urlsplit's ValueError escaped build_inventory."""
    descriptor = {
        "key": "app",
        "baseUrl": "https://app.example",
        "authentication": {"type": "jwt"},
        "lifecycle": {"installed": url},
        "modules": {"generalPages": [{"key": "k", "url": url}]},
        "links": {"self": url},
    }
    model, raw = load_descriptor(json.dumps(descriptor).encode(), SOURCE)
    inventory = build_inventory(model, raw, SOURCE)
    assert [e.url for e in inventory.endpoints] == [SOURCE]
    assert inventory.hosts == ("app.example",)
    assert len(inventory.notes) == 2
    assert all("is not a valid URL; not scanned" in note for note in inventory.notes)
