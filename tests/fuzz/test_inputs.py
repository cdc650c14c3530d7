"""HTML, RDAP, takeover fingerprints, suppressions, zone and hosts files: their documented errors only."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st

from connectsec.domain.rdap_parse import RdapFormatError, load_json, parse_bootstrap, parse_domain
from connectsec.html.page import parse_page
from connectsec.suppressions import load_suppressions
from connectsec.takeover.hosts_input import names_from_hosts_file, names_from_zone_file
from connectsec.takeover.services import Service, clean_fingerprint
from tests.fuzz.bounds import fuzz

_tags = st.sampled_from(
    [
        "<html>",
        "<base href='//x/'>",
        "<meta charset=utf-16>",
        "<meta http-equiv=refresh content='0;url=/x'>",
        "<meta name=referrer content=never>",
        "<script src=",
        "<form action=",
        "<input type=password name=p>",
        "<img srcset='a 1x, , b 2x'>",
        "<a href='javascript:x'>",
        "<svg><script>",
        "<link rel=stylesheet href=",
        "</form>",
        "<iframe src=//[::1>",
        "'",
        '"',
        ">",
        "&amp;",
        "\x00",
        "\xff",
        "http://[",
        "<template>",
    ]
)
html_bodies = st.one_of(
    st.binary(max_size=300),
    st.lists(st.one_of(_tags, st.text(max_size=8)), max_size=25).map(lambda parts: "".join(parts).encode()),
)
content_types = st.one_of(
    st.none(), st.sampled_from(["text/html; charset=utf-16le", "text/html; charset=x-bogus", "text/html"])
)


@fuzz(
    html_bodies,
    st.sampled_from(["https://app.example/p", "https://[::1]/", "http://h:99999/", ""]),
    content_types,
)
def test_parse_page_never_raises(body: bytes, url: str, content_type: str | None) -> None:
    page = parse_page(body, url, content_type)
    assert page is parse_page(body, url, content_type)


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(
                st.sampled_from(
                    [
                        "objectClassName",
                        "errorCode",
                        "events",
                        "eventAction",
                        "eventDate",
                        "status",
                        "entities",
                        "roles",
                        "vcardArray",
                        "handle",
                        "services",
                        "publication",
                    ]
                ),
                st.text(max_size=6),
            ),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=16,
)
rdap_dates = st.one_of(st.text(max_size=30), st.datetimes().map(lambda d: d.isoformat() + "Z"))


@fuzz(st.one_of(st.binary(max_size=200), json_value.map(lambda v: json.dumps(v).encode())))
def test_rdap_answers_raise_only_rdap_format_error(body: bytes) -> None:
    try:
        document = load_json(body)
        facts = parse_domain(document)
    except RdapFormatError:
        return
    assert all(status == status.strip().lower() for status in facts.statuses)


@fuzz(
    st.lists(
        st.fixed_dictionaries(
            {"eventAction": st.sampled_from(["expiration", " Registration "]), "eventDate": rdap_dates}
        ),
        max_size=3,
    ),
    json_value,
)
def test_rdap_events_never_raise(events: list[dict[str, str]], entities: Any) -> None:
    facts = parse_domain(
        {"objectClassName": "domain", "events": events, "entities": entities, "status": entities}
    )
    for when in (facts.expires, facts.registered):
        assert when is None or when.utcoffset() is not None


@fuzz(json_value, st.text(max_size=20))
def test_rdap_bootstrap_raises_only_rdap_format_error(document: Any, domain: str) -> None:
    try:
        bootstrap = parse_bootstrap(document)
    except RdapFormatError:
        return
    assert all(url.endswith("/") for url in bootstrap.servers_for(domain))


def test_deeply_nested_rdap_answer_is_a_format_error() -> None:
    """Found by fuzzing: json's RecursionError escaped load_json."""
    with pytest.raises(RdapFormatError):
        load_json(b"[" * 100_000)


_fingerprint_chars = st.sampled_from([*"ab .*`|\\-_[](){}#+!&;", "&#124;", "&amp;", "\\.", ".*", "``"])


@fuzz(st.lists(_fingerprint_chars, max_size=20).map("".join), st.text(max_size=60))
def test_takeover_fingerprints_clean_and_match_without_raising(raw: str, body: str) -> None:
    alternatives = clean_fingerprint(raw)
    assert all(a and a == a.strip() for a in alternatives)
    service = Service(name="s", status="Vulnerable", fingerprints=alternatives)
    found = service.body_match(body)
    assert found is None or found in alternatives
    for alternative in alternatives:
        if ".*" not in alternative:
            assert service.body_match(f"<p>{alternative}</p>") is not None


def _in_file(text: str, name: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="connectsec-fuzz-"))
    path = folder / name
    path.write_text(text, "utf-8")
    return path


toml_values = st.one_of(
    st.sampled_from(
        ['"x"', '""', "2027-01-31", "2027-01-31T00:00:00", "1", "[]", "{}", '"secret.*"', "true"]
    ),
    st.text(max_size=8).map(json.dumps),
)
suppress_entries = st.lists(
    st.dictionaries(
        st.sampled_from(["fingerprint", "rule", "path", "reason", "expires", "other"]),
        toml_values,
        max_size=5,
    ),
    max_size=3,
).map(
    lambda entries: "".join("[[suppress]]\n" + "".join(f"{k} = {v}\n" for k, v in e.items()) for e in entries)
)


@fuzz(st.one_of(suppress_entries, st.text(max_size=80), st.just("suppress = 3\n")))
def test_suppression_files_raise_only_value_error(text: str) -> None:
    path = _in_file(text, "connectsec.toml")
    try:
        entries = load_suppressions(path)
    except ValueError as exc:
        message = str(exc)
        assert "\n" not in message.strip()
    else:
        assert all(entry.reason for entry in entries)
    finally:
        path.unlink()
        path.parent.rmdir()


_zone_lines = st.sampled_from(
    [
        "$ORIGIN example.com.",
        "$TTL 300",
        "@ IN SOA ns hostmaster 1 2 3 4 5",
        "www IN CNAME x.azurewebsites.net.",
        "* IN A 192.0.2.1",
        'a IN TXT "x"',
        "$INCLUDE /etc/passwd",
        "bad line",
        "(",
        ")",
        "é IN A 1.2.3.4",
        "x IN CNAME",
        "; comment",
        "",
        "\x00",
        "$GENERATE 1-50 h$ A 192.0.2.1",
    ]
)


@fuzz(st.one_of(st.lists(_zone_lines, max_size=8).map("\n".join), st.text(max_size=80)))
def test_zone_files_raise_only_value_error(text: str) -> None:
    path = _in_file(text, "zone.txt")
    try:
        names = names_from_zone_file(str(path))
    except ValueError:
        return
    finally:
        path.unlink()
        path.parent.rmdir()
    assert all(name == name.lower() for name in names)


@fuzz(
    st.one_of(
        st.lists(
            st.sampled_from(["a.example", "*.b.example", "# c", "é.example", "x..y", ""]), max_size=5
        ).map("\n".join),
        st.text(max_size=80),
    )
)
def test_hosts_files_raise_only_value_error(text: str) -> None:
    path = _in_file(text, "hosts.txt")
    try:
        names = names_from_hosts_file(str(path))
    except ValueError:
        return
    finally:
        path.unlink()
        path.parent.rmdir()
    assert all(name.isascii() for name in names)
