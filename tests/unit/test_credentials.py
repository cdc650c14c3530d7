"""Credentials from options, files, variables and connectsec.toml; minted tokens verify."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from connectsec.auth.credentials import CredentialsError, Tenant, load_credentials
from connectsec.auth.minting import TokenMinter, without_jwt
from connectsec.connect_jwt import decode_unverified, verify_hs256
from connectsec.model import Endpoint, EndpointKind, HttpRequestSpec

SECRET = "tenant-secret-0123456789-abcdefghijklmnopqrstuvwxyz"


def test_options_and_secret_file(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text(SECRET + "\n")
    creds = load_credentials(
        client_key="ck-1", shared_secret_file=tmp_path / "secret", user_account_id="u1", environ={}
    )
    assert creds.primary == Tenant("cli", "ck-1", SECRET, "u1", None)
    assert creds.can_mint
    assert creds.secrets() == (SECRET,)
    assert SECRET not in repr(creds)
    assert SECRET not in creds.describe()


def test_secret_from_environment() -> None:
    creds = load_credentials(client_key="ck", environ={"CONNECTSEC_SHARED_SECRET": SECRET})
    assert creds.primary is not None
    assert creds.primary.shared_secret == SECRET


def test_client_key_alone_cannot_mint() -> None:
    creds = load_credentials(client_key="ck", environ={})
    assert creds.primary is not None
    assert not creds.can_mint


def test_config_tenants(tmp_path: Path) -> None:
    (tmp_path / "b.secret").write_text(SECRET)
    (tmp_path / "connectsec.toml").write_text(
        '[[tenants]]\nname = "a"\nclient_key = "ck-a"\nshared_secret_env = "SECRET_A"\n'
        'admin_account_id = "admin-1"\n\n'
        '[[tenants]]\nname = "b"\nclient_key = "ck-b"\nshared_secret_file = "b.secret"\n'
        'product_url = "https://b.atlassian.net"\n'
    )
    creds = load_credentials(config=tmp_path / "connectsec.toml", environ={"SECRET_A": "secret-a-value"})
    assert [t.name for t in creds.tenants] == ["a", "b"]
    assert creds.tenants[0].shared_secret == "secret-a-value"
    assert creds.tenants[1].shared_secret == SECRET
    assert creds.tenants[0].subject_for(admin_only=True) == "admin-1"
    assert creds.tenants[1].product_url == "https://b.atlassian.net"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[tenants]]\nclient_key = "x"\nshared_secret = "inline"\n', "shared_secret_file"),
        ("[[tenants]]\nname = 'a'\n", "client_key is required"),
        ('[[tenants]]\nclient_key = "x"\nshared_secret_env = "MISSING_VAR"\n', "MISSING_VAR is not set"),
        ('[[tenants]]\nclient_key = "x"\ncolour = "red"\n', "unknown key 'colour'"),
        ("tenants = 3\n", "array of tables"),
        ("[[tenants]\n", "not valid TOML"),
    ],
)
def test_bad_config(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "connectsec.toml"
    path.write_text(text)
    with pytest.raises(CredentialsError) as info:
        load_credentials(config=path, environ={})
    assert message in str(info.value)
    assert "inline" not in str(info.value)


def test_secret_without_client_key_is_refused() -> None:
    with pytest.raises(CredentialsError):
        load_credentials(environ={"CONNECTSEC_SHARED_SECRET": SECRET}, user_account_id="u")


def test_empty_secret_file(tmp_path: Path) -> None:
    (tmp_path / "s").write_text("\n")
    with pytest.raises(CredentialsError, match="empty"):
        load_credentials(client_key="ck", shared_secret_file=tmp_path / "s", environ={})


BASE = "https://app.example/base"
TENANT = Tenant("t", "ck-1", SECRET, "user-1", "admin-1")


@pytest.mark.parametrize(
    ("kind", "method", "admin", "in_query", "subject"),
    [
        (EndpointKind.PAGE, "GET", False, True, "user-1"),
        (EndpointKind.PAGE, "GET", True, True, "admin-1"),
        (EndpointKind.CRAWLED, "GET", False, True, "user-1"),
        (EndpointKind.WEBHOOK, "POST", False, False, "user-1"),
        (EndpointKind.API, "GET", False, False, "user-1"),
    ],
)
def test_minted_tokens_verify_for_their_request(
    kind: EndpointKind, method: str, admin: bool, in_query: bool, subject: str
) -> None:
    url = f"{BASE}/page?b=2&a=1"
    spec = HttpRequestSpec(method, url, Endpoint(url=url, kind=kind, method=method, admin_only=admin))
    signed = TokenMinter(BASE).sign(spec, TENANT)
    if in_query:
        token = parse_qs(urlsplit(signed.url).query)["jwt"][0]
        assert dict(signed.headers).get("Authorization") is None
    else:
        token = dict(signed.headers)["Authorization"].removeprefix("JWT ")
        assert signed.url == url
    claims = verify_hs256(token, SECRET, method=method, url=signed.url, base_url=BASE)
    assert claims["iss"] == "ck-1"
    assert claims["sub"] == subject
    assert decode_unverified(token).header["alg"] == "HS256"


def test_signing_twice_replaces_the_token() -> None:
    url = f"{BASE}/page"
    spec = HttpRequestSpec("GET", url, Endpoint(url=url, kind=EndpointKind.PAGE))
    minter = TokenMinter(BASE)
    twice = minter.sign(minter.sign(spec, TENANT), TENANT)
    assert twice.url.count("jwt=") == 1


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a/p?jwt=x&b=1", "https://a/p?b=1"),
        ("https://a/p?b=1", "https://a/p?b=1"),
        ("https://a/p?jwt=x", "https://a/p"),
        ("https://a/p?x=jwt", "https://a/p?x=jwt"),
    ],
)
def test_without_jwt(url: str, expected: str) -> None:
    assert without_jwt(url) == expected
