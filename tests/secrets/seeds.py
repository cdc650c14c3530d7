"""Secret values made at test time (never written into this project's files) and a repository hiding them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.secrets.gitrepo import GitRepo

_ALNUM = string.ascii_letters + string.digits


def _pick(rng: random.Random, alphabet: str, size: int) -> str:
    # Random strings that always mix lower case, upper case and digits.
    body = "".join(rng.choice(alphabet) for _ in range(size - 3))
    return "a7Q" + body if alphabet == _ALNUM else body + "".join(rng.choice(alphabet) for _ in range(3))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_seeds(seed: int = 8) -> dict[str, str]:
    """Every seeded secret by name."""
    rng = random.Random(seed)

    def alnum(size: int) -> str:
        return _pick(rng, _ALNUM, size)

    upper = string.ascii_uppercase + string.digits
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = {
        "iss": "client-" + alnum(8),
        "qsh": hashlib.sha256(b"GET&/x&").hexdigest(),
        "exp": 2_000_000_000,
    }
    payload = _b64url(json.dumps(claims).encode())
    signature = _b64url(hmac.new(alnum(32).encode(), f"{header}.{payload}".encode(), "sha256").digest())
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return {
        "shared_secret": alnum(43),
        "db_password": alnum(18),
        "jira_classic": alnum(24),
        "client_secret": alnum(64),
        "refresh_token": alnum(48),
        "github": "ghp_" + alnum(36),
        "github_removed": "ghp_" + alnum(36),
        "gitlab": "glpat-" + alnum(20),
        "slack": "xoxb-" + "".join(rng.choice(string.digits) for _ in range(11)) + "-" + alnum(24),
        "npm": "npm_" + alnum(36),
        "pypi": "pypi-AgEIcHlwaS5vcmc" + alnum(70),
        "atlassian": "ATATT3xFfGF0"
        + alnum(180)
        + "="
        + "".join(rng.choice("0123456789ABCDEF") for _ in range(8)),
        "jwt": f"{header}.{payload}.{signature}",
        "aws_id": "AKIA" + "".join(rng.choice(upper) for _ in range(16)),
        "aws_secret": alnum(30) + "/" + alnum(9),
        "azure": base64.b64encode(rng.randbytes(64)).decode(),
        "pem": pem,
        "gcp_pem": ec.generate_private_key(ec.SECP256R1())
        .private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        .decode(),
        "generic": alnum(32),
        "fixture_github": "ghp_" + alnum(36),
        "binary_slack": "xoxp-" + "".join(rng.choice(string.digits) for _ in range(12)) + "-" + alnum(30),
        "vendored_github": "ghp_" + alnum(36),
    }


def pem_body(pem: str) -> str:
    """What the scanner fingerprints of a PEM block: the base64 body without line breaks."""
    return "".join(line for line in pem.strip().splitlines() if not line.startswith("-----"))


@dataclass(frozen=True)
class Seeded:
    """Where a seeded secret must be reported."""

    rule: str
    path: str
    line: int
    commit: str
    in_worktree: bool


@dataclass
class Built:
    repo: GitRepo
    expected: dict[str, Seeded] = field(default_factory=dict)
    """Fingerprinted value → where it must be reported."""


def build_repository(repo: GitRepo, secret: Callable[[str], str]) -> Built:
    """Commits on two branches with secrets in every place the scan must look; `secret(name)` gives each value
    (the real seed, or a placeholder for the clean twin)."""
    built = Built(repo)
    expect = built.expected

    def seeded(name: str, value: str, rule: str, path: str, line: int, commit: str, worktree: bool) -> None:
        expect[value] = Seeded(rule, path, line, commit, worktree)

    repo.write(
        "README.md",
        "# App\n\nConfigure AWS with `AKIAIOSFODNN7EXAMPLE` and `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`.\n"
        "Set `GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`\n"
        '`"sharedSecret": "<your-shared-secret>"`.\n'
        "DATABASE_URL=postgres://postgres:postgres@localhost:5432/dev\n"
        "client_secret = ${CLIENT_SECRET}\n",
    )
    repo.write("src/app.js", "const express = require('express');\nmodule.exports = express();\n")
    repo.write("package.json", '{"name": "app", "version": "1.0.0"}\n')
    repo.write("node_modules/lib/index.js", f"const token = '{secret('vendored_github')}';\n")
    repo.write("dist/bundle.min.js", f"var t='{secret('vendored_github')}';\n")
    repo.commit("initial app")

    repo.write(
        ".env",
        f"PORT=3000\nSHARED_SECRET={secret('shared_secret')}\n"
        f"DATABASE_URL=postgres://app:{secret('db_password')}@db.internal:5432/app\n"
        f"JIRA_API_TOKEN={secret('jira_classic')}\n",
    )
    c_env = repo.commit("local settings")
    seeded("shared_secret", secret("shared_secret"), "secret.shared-secret", ".env", 2, c_env, False)
    seeded("db_password", secret("db_password"), "secret.database-url-password", ".env", 3, c_env, False)
    seeded("jira_classic", secret("jira_classic"), "secret.atlassian-api-token", ".env", 4, c_env, False)

    repo.write(
        "config/oauth.json",
        f'{{\n  "client_id": "app",\n  "client_secret": "{secret("client_secret")}"\n}}\n',
    )
    repo.write("config/settings.yaml", f"oauth:\n  refresh_token: {secret('refresh_token')}\n")
    c_oauth = repo.commit("oauth config")
    seeded(
        "client_secret",
        secret("client_secret"),
        "secret.oauth-client-secret",
        "config/oauth.json",
        3,
        c_oauth,
        True,
    )
    seeded(
        "refresh_token",
        secret("refresh_token"),
        "secret.oauth-refresh-token",
        "config/settings.yaml",
        2,
        c_oauth,
        True,
    )

    removed_at = ""
    for number in range(24):
        lines = [f"// change {n}" for n in range(number + 1)]
        if number == 5:
            lines.append(f"const GH = '{secret('github_removed')}';")
        repo.write("src/app.js", "const express = require('express');\n" + "\n".join(lines) + "\n")
        commit = repo.commit(f"change {number}")
        if number == 5:
            removed_at = commit
    seeded(
        "github_removed", secret("github_removed"), "secret.github-token", "src/app.js", 8, removed_at, False
    )

    gcp = {
        "type": "service_account",
        "project_id": "app",
        "private_key": secret("gcp_pem"),
        "client_email": "a@b",
    }
    repo.write("keys/server.pem", secret("pem"))
    repo.write("deploy/gcp.json", json.dumps(gcp, indent=2) + "\n")
    c_keys = repo.commit("keys")
    seeded("pem", pem_body(secret("pem")), "secret.private-key", "keys/server.pem", 1, c_keys, True)
    seeded(
        "gcp_pem",
        pem_body(secret("gcp_pem")),
        "secret.gcp-service-account-key",
        "deploy/gcp.json",
        4,
        c_keys,
        True,
    )

    repo.write(
        "deploy/aws.py",
        '"""Deploy."""\n'
        f'AWS_ACCESS_KEY_ID = "{secret("aws_id")}"\n'
        f'AWS_SECRET_ACCESS_KEY = "{secret("aws_secret")}"\n'
        'AZURE = "DefaultEndpointsProtocol=https;AccountName=app;'
        f'AccountKey={secret("azure")};EndpointSuffix=core.windows.net"\n',
    )
    c_cloud = repo.commit("deploy")
    seeded("aws_id", secret("aws_id"), "secret.aws-access-key", "deploy/aws.py", 2, c_cloud, True)
    seeded("aws_secret", secret("aws_secret"), "secret.aws-secret-key", "deploy/aws.py", 3, c_cloud, True)
    seeded("azure", secret("azure"), "secret.azure-storage-key", "deploy/aws.py", 4, c_cloud, True)

    repo.git("checkout", "-q", "-b", "feature")
    tokens = [
        ("github", "secret.github-token"),
        ("gitlab", "secret.gitlab-token"),
        ("slack", "secret.slack-token"),
        ("npm", "secret.npm-token"),
        ("pypi", "secret.pypi-token"),
        ("atlassian", "secret.atlassian-api-token"),
        ("jwt", "secret.connect-jwt"),
    ]
    repo.write(
        "src/tokens.js",
        "// integration tokens\n"
        + "".join(f"export const {name.upper()} = '{secret(name)}';\n" for name, _ in tokens),
    )
    c_branch = repo.commit("tokens on a branch")
    for number, (name, rule) in enumerate(tokens, start=2):
        seeded(name, secret(name), rule, "src/tokens.js", number, c_branch, False)
    repo.git("checkout", "-q", "main")

    repo.remove(".env")
    repo.commit("remove .env")

    blob = bytes(range(256)) + b"\x00\x00" + secret("binary_slack").encode() + b"\x00" + bytes(range(200))
    repo.write("assets/blob.dat", blob)
    repo.write(
        "tests/fixtures/creds.json",
        f'{{\n  "token": "{secret("fixture_github")}"\n}}\n',
    )
    repo.write("src/client.js", f"// client\nconst apiToken = '{secret('generic')}';\n")
    c_last = repo.commit("assets, fixtures, client")
    seeded("binary_slack", secret("binary_slack"), "secret.slack-token", "assets/blob.dat", 2, c_last, True)
    seeded(
        "fixture_github",
        secret("fixture_github"),
        "secret.test-fixture",
        "tests/fixtures/creds.json",
        2,
        c_last,
        True,
    )
    seeded("generic", secret("generic"), "secret.generic-high-entropy", "src/client.js", 2, c_last, True)
    return built
