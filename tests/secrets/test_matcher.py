"""The detectors on plain text: what counts as a secret and what is bait."""

from __future__ import annotations

import base64
import json

import pytest

from connectsec.secrets.matcher import Matcher, fingerprint, is_placeholder, preview, shannon_entropy
from tests.secrets.seeds import make_seeds

SEEDS = make_seeds(21)
MATCHER = Matcher()


def _rules(text: str, path: str = "app.js") -> list[tuple[str, int]]:
    data = text.encode()
    return [(h.rule, data.count(b"\n", 0, h.offset) + 1) for h in MATCHER.find(data, path)]


def _b64(obj: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def test_unsigned_jwts_are_not_secrets() -> None:
    signed = SEEDS["jwt"]
    unsigned = f"{_b64({'alg': 'none'})}.{signed.split('.')[1]}.{signed.split('.')[2]}"
    assert _rules(f"t = '{signed}'\nu = '{unsigned}'\n") == [("secret.connect-jwt", 1)]


def test_assigned_values_need_quotes_in_code_but_not_in_config() -> None:
    line = f"SHARED_SECRET={SEEDS['shared_secret']}\n"
    assert _rules(line, "src/app.py") == []
    assert _rules(line, "deploy/.env.production") == [("secret.shared-secret", 1)]
    assert _rules(f"sharedSecret: '{SEEDS['shared_secret']}',\n", "src/app.js") == [
        ("secret.shared-secret", 1)
    ]


def test_expressions_and_identifiers_are_not_values() -> None:
    text = (
        "sharedSecret: req.body.sharedSecret,\n"
        "const token = 'getTokenFromTheStoreNow';\n"
        "client_secret = config.oauth.clientSecret\n"
    )
    assert _rules(text, "config.yml") == []


@pytest.mark.parametrize(
    "value",
    [
        "AKIAIOSFODNN7EXAMPLE",
        "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "<your-token>",
        "${CLIENT_SECRET}",
        "changeme-a1b2c3d4e5f6g7",
        "************************",
    ],
)
def test_placeholders(value: str) -> None:
    assert is_placeholder(value.encode())


def test_classic_atlassian_token_in_basic_auth_against_atlassian_net() -> None:
    token = SEEDS["jira_classic"]
    text = f"curl -u dev@corp.test:{token} https://corp.atlassian.net/rest/api/3/myself\n"
    assert _rules(text, "scripts/check.sh") == [("secret.atlassian-api-token", 1)]


def test_development_database_urls_are_not_leaks() -> None:
    text = (
        "a = 'postgres://postgres:postgres@localhost/dev'\n"
        "b = 'mysql://root:root@db/app'\n"
        f"c = 'mongodb+srv://svc:{SEEDS['db_password']}@cluster0.mongo.test/app'\n"
    )
    assert _rules(text) == [("secret.database-url-password", 3)]


def test_one_value_one_rule_most_specific_first() -> None:
    text = f"GITHUB_TOKEN = '{SEEDS['github']}'\n"
    assert _rules(text) == [("secret.github-token", 1)]


def test_minified_long_lines_are_scanned_around_the_keyword() -> None:
    text = "var a=1;" * 5000 + f"var k='{SEEDS['npm']}';" + "var b=2;" * 5000
    assert _rules(text, "static/app.bundle.js") == [("secret.npm-token", 1)]


def test_generic_entropy_needs_random_looking_values() -> None:
    assert _rules(f"const apiKey = '{SEEDS['generic']}';\n") == [("secret.generic-high-entropy", 1)]
    assert _rules("const apiKey = 'aaaaaaaaaaaaaaaaaaaa1';\n") == []
    assert _rules("const password_field = 'Zx81Lk29Qw02Po47Mn';\n") == []


def test_preview_and_fingerprint_never_hold_the_value() -> None:
    value = SEEDS["github"].encode()
    assert preview(value) == f"{SEEDS['github'][:4]}…(40 chars)"
    assert len(fingerprint(value)) == 64
    assert SEEDS["github"][4:] not in preview(value) + fingerprint(value)
    assert shannon_entropy("aaaa") == 0.0
