"""Option values typer cannot check alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from connectsec.cli.options import parse_dns_server, parse_rdap_url, readable_file


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("127.0.0.1", ("127.0.0.1", 53)),
        ("127.0.0.1:5353", ("127.0.0.1", 5353)),
        ("::1", ("::1", 53)),
        ("[::1]:5353", ("::1", 5353)),
        ("[::1]", ("::1", 53)),
        ("[2001:db8::1]", ("2001:db8::1", 53)),
    ],
)
def test_dns_server_forms(value: str, expected: tuple[str, int]) -> None:
    assert parse_dns_server(value) == expected


@pytest.mark.parametrize(
    "value", ["resolver.example", "127.0.0.1:x", "127.0.0.1:70000", "[::1]:0", "[::1]x", "1.2.3.4:99999", ""]
)
def test_dns_server_rejects(value: str) -> None:
    with pytest.raises(ValueError, match="--dns-server"):
        parse_dns_server(value)


def test_rdap_url_normalised_and_checked() -> None:
    assert parse_rdap_url("https://rdap.example/ ") == "https://rdap.example"
    assert parse_rdap_url("http://127.0.0.1:8080/rdap/") == "http://127.0.0.1:8080/rdap"
    with pytest.raises(ValueError, match="--rdap-url"):
        parse_rdap_url("rdap.example")


def test_readable_file(tmp_path: Path) -> None:
    good = tmp_path / "hosts.txt"
    good.write_text("a.example\n")
    assert readable_file("--hosts-file", good) == str(good)
    with pytest.raises(ValueError, match=r"--hosts-file .*directory"):
        readable_file("--hosts-file", tmp_path)
