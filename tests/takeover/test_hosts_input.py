"""Names from a vendor zone file (dnspython) and from a plain host list."""

from __future__ import annotations

from pathlib import Path

import pytest

from connectsec.takeover.hosts_input import WILDCARD_LABEL, names_from_hosts_file, names_from_zone_file

ZONE = """\
$ORIGIN acme-app.com.
$TTL 300
@       IN SOA ns1.acme-app.com. hostmaster.acme-app.com. 1 7200 900 1209600 300
@       IN NS  ns1.acme-app.com.
ns1     IN A   192.0.2.53
www     IN CNAME app
app     IN A   192.0.2.10
docs    IN CNAME acme.readthedocs.io.
*.dev   IN CNAME gone-acme.herokuapp.com.
mail    IN MX  10 mx.acme-app.com.
"""


def test_every_owner_name_of_a_zone_file(tmp_path: Path) -> None:
    path = tmp_path / "acme-app.com.zone"
    path.write_text(ZONE)
    assert names_from_zone_file(str(path)) == (
        "acme-app.com",
        "app.acme-app.com",
        "docs.acme-app.com",
        "mail.acme-app.com",
        "ns1.acme-app.com",
        "www.acme-app.com",
        f"{WILDCARD_LABEL}.dev.acme-app.com",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("www IN A 192.0.2.1\n", "no origin"),
        ("$ORIGIN acme-app.com.\nwww IN A not-an-address\n", "zone file"),
        ("$ORIGIN acme-app.com.\nwww IN BOGUS x\n", "zone file"),
    ],
)
def test_bad_zone_files_give_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.zone"
    path.write_text(text)
    with pytest.raises(ValueError, match=message) as caught:
        names_from_zone_file(str(path))
    assert "\n" not in str(caught.value)


def test_a_missing_zone_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read"):
        names_from_zone_file(str(tmp_path / "absent.zone"))


def test_host_list_with_comments_case_and_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "hosts.txt"
    lines = ["# vendor hosts", "WWW.acme-app.com.", "", "  api.acme-app.com  # the API", "www.acme-app.com"]
    lines += ["*.dev.acme-app.com", "bücher.acme-app.com"]
    path.write_text("\n".join(lines) + "\n")
    assert names_from_hosts_file(str(path)) == (
        "www.acme-app.com",
        "api.acme-app.com",
        f"{WILDCARD_LABEL}.dev.acme-app.com",
        "xn--bcher-kva.acme-app.com",
    )


def test_a_bad_host_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "hosts.txt"
    path.write_text("www.acme-app.com\nhttps://api.acme-app.com/x\n")
    with pytest.raises(ValueError, match=r"line 2: not a host name"):
        names_from_hosts_file(str(path))


def test_binary_host_list(tmp_path: Path) -> None:
    path = tmp_path / "hosts.bin"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ValueError, match="not UTF-8"):
        names_from_hosts_file(str(path))
